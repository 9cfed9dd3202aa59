/**
 * RTP fixed header parsing (RFC 3550 §5.1) without copying.
 *
 * The payload is a view into the caller's buffer. Callers on the hot path pass a
 * reusable `into` object and an offset/length into a socket chunk, so parsing one
 * packet allocates only the payload view.
 */

export interface RtpPacket {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  /** 16-bit sequence number. */
  sequenceNumber: number;
  /** 32-bit RTP timestamp, unsigned. */
  timestamp: number;
  /** 32-bit SSRC, unsigned. */
  ssrc: number;
  /** View into the input buffer: header, CSRCs, header extension and padding removed. */
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** A blank packet to pass as `into` and reuse across calls. */
export function createRtpPacket(): RtpPacket {
  return {
    version: 2,
    padding: false,
    extension: false,
    csrcCount: 0,
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    payload: EMPTY,
  };
}

/** Unsigned big-endian 32-bit read; plain arithmetic so the result never goes negative. */
export function readU32(b: Uint8Array, i: number): number {
  return (
    (b[i] as number) * 0x1000000 + (((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number))
  );
}

export function readU16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

/**
 * Parses one RTP packet occupying `buf[offset, offset + length)`.
 * Returns null (never throws) for anything malformed: too short, version ≠ 2, CSRC list
 * or header extension running past the end, or a padding count that is zero or larger
 * than the payload. When `into` is given it is filled and returned (no allocation).
 */
export function parseRtpPacket(
  buf: Uint8Array,
  offset = 0,
  length = buf.length - offset,
  into?: RtpPacket,
): RtpPacket | null {
  if (offset < 0 || length < 12 || offset + length > buf.length) return null;
  const b0 = buf[offset] as number;
  if (b0 >> 6 !== 2) return null;
  const end = offset + length;
  const csrcCount = b0 & 0x0f;
  let pos = offset + 12 + csrcCount * 4;
  if (pos > end) return null;
  const extension = (b0 & 0x10) !== 0;
  if (extension) {
    // 16-bit profile-defined id, 16-bit length in 32-bit words, then the words: skipped.
    if (pos + 4 > end) return null;
    pos += 4 + readU16(buf, pos + 2) * 4;
    if (pos > end) return null;
  }
  let payloadEnd = end;
  const padding = (b0 & 0x20) !== 0;
  if (padding) {
    // The last octet counts the padding octets, itself included (so 0 is invalid).
    const pad = buf[end - 1] as number;
    if (pad === 0 || pad > end - pos) return null;
    payloadEnd -= pad;
  }
  const b1 = buf[offset + 1] as number;
  const p = into ?? createRtpPacket();
  p.version = 2;
  p.padding = padding;
  p.extension = extension;
  p.csrcCount = csrcCount;
  p.marker = (b1 & 0x80) !== 0;
  p.payloadType = b1 & 0x7f;
  p.sequenceNumber = readU16(buf, offset + 2);
  p.timestamp = readU32(buf, offset + 4);
  p.ssrc = readU32(buf, offset + 8);
  p.payload = buf.subarray(pos, payloadEnd);
  return p;
}
