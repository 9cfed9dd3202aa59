/**
 * Splits an Annex B byte stream arriving in arbitrary chunks (ffmpeg's stdout) into
 * access units, each starting at an access unit delimiter (H.264 NAL type 9).
 * Bounded: an access unit larger than maxBytes is dropped.
 */
export class AnnexBReader {
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onAccessUnit: (nalus: Uint8Array[]) => void,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    // Emit every complete access unit: from one AUD up to (not including) the next.
    for (;;) {
      const first = this.findAud(0);
      if (first < 0) {
        if (this.buf.length > this.maxBytes) this.buf = Buffer.alloc(0);
        return;
      }
      const next = this.findAud(first + 4);
      if (next < 0) {
        if (first > 0) this.buf = this.buf.subarray(first);
        if (this.buf.length > this.maxBytes) this.buf = Buffer.alloc(0);
        return;
      }
      this.emit(this.buf.subarray(first, next));
      this.buf = this.buf.subarray(next);
    }
  }

  /** Start of the next start code (00 00 01) followed by an H.264 AUD, from `from`. */
  private findAud(from: number): number {
    const b = this.buf;
    for (let i = from; i + 3 < b.length; i++) {
      if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1 && (b[i + 3]! & 0x1f) === 9) return i > 0 && b[i - 1] === 0 ? i - 1 : i;
    }
    return -1;
  }

  private emit(au: Buffer): void {
    const nalus: Uint8Array[] = [];
    let start = -1;
    for (let i = 0; i + 2 < au.length; i++) {
      if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
        if (start >= 0) nalus.push(trimZeros(au.subarray(start, i)));
        start = i + 3;
        i += 2;
      }
    }
    if (start >= 0 && start < au.length) nalus.push(au.subarray(start));
    // Copy out: the buffer is reused for the next chunks.
    this.onAccessUnit(nalus.filter((n) => n.length > 0).map((n) => new Uint8Array(n)));
  }
}

function trimZeros(n: Uint8Array): Uint8Array {
  let end = n.length;
  while (end > 0 && n[end - 1] === 0) end--;
  return n.subarray(0, end);
}
