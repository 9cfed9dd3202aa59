/**
 * H.264 RTP depacketizer (RFC 6184), packetization modes 0 and 1: single NAL unit
 * packets, STAP-A and FU-A. The interleaved mode (STAP-B, MTAP, FU-B) needs DON
 * reordering and is not sent by cameras; such packets break the access unit.
 * Keyframe = the access unit holds an IDR slice (type 5). SPS (7) and PPS (8) are
 * captured whenever they pass by. See depacketizer.ts for grouping and loss handling.
 */
import { NAL_KEY, NAL_PARAM, NAL_VCL, RtpDepacketizer, type DepacketizerOptions } from './depacketizer.ts';

const STAP_A = 24;
const FU_A = 28;

export class H264Depacketizer extends RtpDepacketizer {
  constructor(opts: DepacketizerOptions) {
    super('h264', opts);
  }

  protected depacketize(p: Uint8Array): void {
    if (p.length === 0) return;
    const type = (p[0] as number) & 0x1f;
    if (type >= 1 && type <= 23) {
      this.addNal(p);
    } else if (type === STAP_A) {
      // STAP-A: [indicator] then repeated [16-bit size][NAL unit].
      let off = 1;
      while (off < p.length) {
        if (off + 2 > p.length) return this.damage('malformed');
        const size = ((p[off] as number) << 8) | (p[off + 1] as number);
        off += 2;
        if (size === 0 || off + size > p.length) return this.damage('malformed');
        this.addNal(p.subarray(off, off + size));
        off += size;
      }
    } else if (type === FU_A) {
      if (p.length < 2) return this.damage('malformed');
      const indicator = p[0] as number;
      const header = p[1] as number;
      const part = p.subarray(2);
      // The NAL header is rebuilt from the indicator's F/NRI bits and the header's type.
      if (header & 0x80) this.fuStart((indicator & 0xe0) | (header & 0x1f), 0, 1, part);
      if (header & 0x40) this.fuEnd(header & 0x80 ? part.subarray(part.length) : part);
      else if (!(header & 0x80)) this.fuPart(part);
    } else if (type >= 25 && type <= 29) {
      this.damage('unsupported'); // STAP-B, MTAP16, MTAP24, FU-B: interleaved mode
    }
    // 0, 30, 31: undefined / unspecified; ignored as RFC 6184 §5.4 says.
  }

  protected inspect(nal: Uint8Array): number {
    const flags = this.classify(nal[0] as number);
    if (flags === NAL_PARAM) this.setParam(((nal[0] as number) & 0x1f) === 7 ? 'sps' : 'pps', nal);
    return flags;
  }

  /**
   * An IDR slice that lost a later fragment is kept cut short at the gap. H.264
   * decoders (ffmpeg's, hence Chromium's) decode a slice's macroblocks up to where its
   * data ends and conceal the rest of the picture; the frames that follow decode
   * normally. At 2 % loss a 1080p IDR (~110 packets) is whole only one time in ten: a
   * head is a first picture now instead of tens of seconds later, and far less broken
   * than P-frames predicted from a keyframe that was dropped. Other slices are still
   * dropped whole (a missing P-slice costs a frame's update, not the GOP).
   */
  protected override truncatable(header0: number): boolean {
    return (header0 & 0x1f) === 5;
  }

  protected classify(header0: number): number {
    const type = header0 & 0x1f;
    if (type === 5) return NAL_VCL | NAL_KEY;
    if (type >= 1 && type <= 4) return NAL_VCL;
    if (type === 7 || type === 8) return NAL_PARAM;
    return 0;
  }
}
