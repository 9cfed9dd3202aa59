/**
 * The SourceBuffer's work list: nothing is appended or removed while it is updating;
 * appends waiting together go in as one (the GOP cache arrives as a burst).
 */
export interface BufferLike {
  readonly updating: boolean;
  appendBuffer(data: BufferSource): void;
  remove(start: number, end: number): void;
}

type Bytes = Uint8Array<ArrayBuffer>;

type Op = { kind: 'append'; data: Bytes } | { kind: 'remove'; start: number; end: number };

/** More waiting than this means the tile cannot keep up: the caller reconnects. */
export const MAX_PENDING_BYTES = 24 * 1024 * 1024;

export class AppendQueue {
  private ops: Op[] = [];
  private bytes = 0;

  constructor(
    private buffer: BufferLike,
    private readonly onError: (error: unknown) => void,
  ) {}

  get pendingBytes(): number {
    return this.bytes;
  }

  get idle(): boolean {
    return this.ops.length === 0 && !this.buffer.updating;
  }

  /** Points the queue at a new SourceBuffer (codec changed); what waited is dropped. */
  replaceBuffer(buffer: BufferLike): void {
    this.buffer = buffer;
    this.clear();
  }

  append(data: Bytes): void {
    this.ops.push({ kind: 'append', data });
    this.bytes += data.byteLength;
    this.run();
  }

  remove(start: number, end: number): void {
    if (!(end > start)) return;
    this.ops.push({ kind: 'remove', start, end });
    this.run();
  }

  clear(): void {
    this.ops = [];
    this.bytes = 0;
  }

  /** Runs the next operation when the buffer is free; call it on 'updateend' too. */
  run(): void {
    if (this.buffer.updating || this.ops.length === 0) return;
    const op = this.ops[0];
    if (!op) return;
    try {
      if (op.kind === 'remove') {
        this.ops.shift();
        this.buffer.remove(op.start, op.end);
        return;
      }
      let count = 0;
      let size = 0;
      for (const next of this.ops) {
        if (next.kind !== 'append') break;
        count++;
        size += next.data.byteLength;
      }
      const batch = this.ops.splice(0, count) as { kind: 'append'; data: Bytes }[];
      this.bytes -= size;
      this.buffer.appendBuffer(count === 1 ? (batch[0]?.data ?? new Uint8Array()) : concat(batch, size));
    } catch (error) {
      this.clear();
      this.onError(error);
    }
  }
}

function concat(batch: readonly { data: Bytes }[], size: number): Bytes {
  const out = new Uint8Array(size);
  let o = 0;
  for (const { data } of batch) {
    out.set(data, o);
    o += data.byteLength;
  }
  return out;
}
