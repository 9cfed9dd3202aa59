/**
 * Annex B elementary stream → NAL units → access units. Only used once per clip at load
 * time, so clarity wins over speed here.
 */
export type Codec = 'h264' | 'h265';

/** NAL units (without start codes, trailing zero bytes dropped) as views into `buf`. */
export function splitNals(buf: Buffer): Buffer[] {
  const starts: Array<{ at: number; payload: number }> = [];
  for (let i = 0; i + 2 < buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      starts.push({ at: i, payload: i + 3 });
      i += 2;
    }
  }
  const out: Buffer[] = [];
  starts.forEach((s, k) => {
    let end = starts[k + 1]?.at ?? buf.length;
    while (end > s.payload && buf[end - 1] === 0) end--; // zero_byte of a 4-byte start code / trailing zeros
    if (end > s.payload) out.push(buf.subarray(s.payload, end));
  });
  return out;
}

export function nalType(nal: Buffer, codec: Codec): number {
  const b = nal[0] ?? 0;
  return codec === 'h264' ? b & 0x1f : (b >> 1) & 0x3f;
}

export function isAud(nal: Buffer, codec: Codec): boolean {
  return nalType(nal, codec) === (codec === 'h264' ? 9 : 35);
}

export function isVcl(nal: Buffer, codec: Codec): boolean {
  const t = nalType(nal, codec);
  return codec === 'h264' ? t >= 1 && t <= 5 : t <= 31;
}

export function isKeyNal(nal: Buffer, codec: Codec): boolean {
  const t = nalType(nal, codec);
  return codec === 'h264' ? t === 5 : t >= 16 && t <= 21; // H.265: IRAP pictures
}

export function isParameterSet(nal: Buffer, codec: Codec): boolean {
  const t = nalType(nal, codec);
  return codec === 'h264' ? t === 7 || t === 8 : t === 32 || t === 33 || t === 34;
}

/** First slice of a picture: first_mb_in_slice == 0 (H.264) / first_slice_segment_in_pic_flag (H.265). */
function startsPicture(nal: Buffer, codec: Codec): boolean {
  if (!isVcl(nal, codec)) return false;
  const b = codec === 'h264' ? nal[1] : nal[2];
  return b !== undefined && (b & 0x80) !== 0;
}

/**
 * Groups NAL units into access units. Our encodes carry AUDs, which delimit cleanly; for
 * streams without them a new picture starts at a first slice, and non-VCL units seen
 * after a picture (SPS/PPS/SEI) belong to the next one.
 */
export function accessUnits(nals: Buffer[], codec: Codec): Buffer[][] {
  const aus: Buffer[][] = [];
  let cur: Buffer[] = [];
  let sawVcl = false;
  for (const nal of nals) {
    const boundary = isAud(nal, codec) || (sawVcl && (startsPicture(nal, codec) || !isVcl(nal, codec)));
    if (boundary && cur.length) {
      aus.push(cur);
      cur = [];
      sawVcl = false;
    }
    cur.push(nal);
    if (isVcl(nal, codec)) sawVcl = true;
  }
  if (cur.length) aus.push(cur);
  return aus.filter((au) => au.some((n) => isVcl(n, codec)));
}
