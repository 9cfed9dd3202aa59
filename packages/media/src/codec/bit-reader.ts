/**
 * MSB-first bit reader over an RBSP (emulation prevention already removed), with the
 * Exp-Golomb codes of H.264/H.265. Every read is bounds-checked and throws
 * BitstreamError; parsers catch it and return null so that garbage from a camera
 * never becomes an exception in the ingest path.
 */

export class BitstreamError extends Error {
  override name = 'BitstreamError';
}

export class BitReader {
  private pos = 0; // in bits
  private readonly end: number; // in bits

  constructor(
    private readonly buf: Uint8Array,
    byteOffset = 0,
  ) {
    this.pos = byteOffset * 8;
    this.end = buf.length * 8;
  }

  get bitPosition(): number {
    return this.pos;
  }

  get bitsLeft(): number {
    return this.end - this.pos;
  }

  /** One bit as 0/1. */
  u1(): number {
    if (this.pos >= this.end) throw new BitstreamError('read past end of bitstream');
    const bit = ((this.buf[this.pos >>> 3] as number) >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  flag(): boolean {
    return this.u1() === 1;
  }

  /** Unsigned n-bit value, 0 <= n <= 32. Uses arithmetic, not <<, so 32-bit values stay positive. */
  u(n: number): number {
    if (n < 0 || n > 32) throw new BitstreamError(`cannot read ${n} bits at once`);
    if (this.pos + n > this.end) throw new BitstreamError('read past end of bitstream');
    let v = 0;
    for (let i = 0; i < n; i++) {
      v = v * 2 + (((this.buf[this.pos >>> 3] as number) >>> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new BitstreamError('skip past end of bitstream');
    this.pos += n;
  }

  /**
   * ue(v). More than 31 leading zeros cannot occur in a valid stream for the syntax elements
   * we read, and would overflow a safe integer quickly, so it is treated as corruption.
   */
  ue(): number {
    let zeros = 0;
    while (this.u1() === 0) {
      if (++zeros > 31) throw new BitstreamError('Exp-Golomb code too long');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.u(zeros);
  }

  /** se(v): 1, -1, 2, -2, ... */
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }
}
