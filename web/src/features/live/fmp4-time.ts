/**
 * The two numbers the player reads from the fMP4 it receives: the track timescale
 * (init segment: moov/trak/mdia/mdhd) and a fragment's base media decode time
 * (moof/traf/tfdt). tfdt / timescale is the media time, in seconds, of the fragment's
 * first sample: what `requestVideoFrameCallback` reports as `mediaTime` when it is shown.
 */

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'moof', 'traf']);

function typeAt(bytes: Uint8Array, o: number): string {
  return String.fromCharCode(bytes[o] ?? 0, bytes[o + 1] ?? 0, bytes[o + 2] ?? 0, bytes[o + 3] ?? 0);
}

/** Finds the first box at `path` (e.g. ['moof', 'traf', 'tfdt']); returns its payload range. */
export function findBox(bytes: Uint8Array, path: readonly string[]): { start: number; end: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let end = bytes.byteLength;
  for (let depth = 0; depth < path.length; depth++) {
    const want = path[depth];
    let o = start;
    let found: { start: number; end: number } | null = null;
    while (o + 8 <= end) {
      let size = view.getUint32(o);
      let header = 8;
      if (size === 1) {
        if (o + 16 > end) return null;
        size = view.getUint32(o + 8) * 0x100000000 + view.getUint32(o + 12);
        header = 16;
      } else if (size === 0) {
        size = end - o;
      }
      if (size < header || o + size > end) return null;
      if (typeAt(bytes, o + 4) === want) {
        found = { start: o + header, end: o + size };
        break;
      }
      o += size;
    }
    if (!found) return null;
    if (depth < path.length - 1 && !CONTAINERS.has(want ?? '')) return null;
    start = found.start;
    end = found.end;
  }
  return { start, end };
}

/** moof/traf/tfdt baseMediaDecodeTime (version 1: 64-bit, version 0: 32-bit), or null. */
export function readBaseDecodeTime(bytes: Uint8Array): number | null {
  const box = findBox(bytes, ['moof', 'traf', 'tfdt']);
  if (!box || box.end - box.start < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(box.start);
  if (version === 1) {
    if (box.end - box.start < 12) return null;
    return view.getUint32(box.start + 4) * 0x100000000 + view.getUint32(box.start + 8);
  }
  return view.getUint32(box.start + 4);
}

/** moov/trak/mdia/mdhd timescale of the init segment, or null. */
export function readTimescale(bytes: Uint8Array): number | null {
  const box = findBox(bytes, ['moov', 'trak', 'mdia', 'mdhd']);
  if (!box) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(box.start);
  const at = box.start + (version === 1 ? 20 : 12);
  if (at + 4 > box.end) return null;
  const timescale = view.getUint32(at);
  return timescale > 0 ? timescale : null;
}
