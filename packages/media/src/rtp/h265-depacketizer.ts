/**
 * H.265 RTP depacketizer (RFC 7798): single NAL unit packets, Aggregation Packets
 * (type 48) and Fragmentation Units (type 49). DONL/DOND fields are not expected:
 * we assume sprop-max-don-diff = 0 (the default, and what cameras send), so NAL units
 * are in decoding order as received. PACI packets (type 50) break the access unit.
 * Keyframe = the access unit holds an IRAP picture (types 16–23: BLA, IDR, CRA).
 * VPS (32), SPS (33) and PPS (34) are captured whenever they pass by.
 */
import { NAL_KEY, NAL_PARAM, NAL_VCL, RtpDepacketizer, type DepacketizerOptions } from './depacketizer.ts';

const AP = 48;
const FU = 49;
const PACI = 50;

export class H265Depacketizer extends RtpDepacketizer {
  constructor(opts: DepacketizerOptions) {
    super('h265', opts);
  }

  protected depacketize(p: Uint8Array): void {
    if (p.length < 2) return p.length === 0 ? undefined : this.damage('malformed');
    const type = ((p[0] as number) >> 1) & 0x3f;
    if (type < AP) {
      this.addNal(p);
    } else if (type === AP) {
      // AP: 2-byte payload header, then repeated [16-bit size][NAL unit] (no DONL).
      let off = 2;
      while (off < p.length) {
        if (off + 2 > p.length) return this.damage('malformed');
        const size = ((p[off] as number) << 8) | (p[off + 1] as number);
        off += 2;
        if (size < 2 || off + size > p.length) return this.damage('malformed');
        this.addNal(p.subarray(off, off + size));
        off += size;
      }
    } else if (type === FU) {
      if (p.length < 3) return this.damage('malformed');
      const fuHeader = p[2] as number;
      const part = p.subarray(3);
      if (fuHeader & 0x80) {
        // Rebuild the NAL header: F and LayerId MSB from the payload header, the FU's
        // type, then the payload header's second byte (LayerId rest, TID).
        const h0 = ((p[0] as number) & 0x81) | ((fuHeader & 0x3f) << 1);
        this.fuStart(h0, p[1] as number, 2, part);
      }
      if (fuHeader & 0x40) this.fuEnd(fuHeader & 0x80 ? part.subarray(part.length) : part);
      else if (!(fuHeader & 0x80)) this.fuPart(part);
    } else if (type === PACI) {
      this.damage('unsupported');
    }
    // 51–63: unspecified, ignored.
  }

  protected inspect(nal: Uint8Array): number {
    if (nal.length < 2) return 0;
    const flags = this.classify(nal[0] as number);
    if (flags === NAL_PARAM) {
      const type = ((nal[0] as number) >> 1) & 0x3f;
      this.setParam(type === 32 ? 'vps' : type === 33 ? 'sps' : 'pps', nal);
    }
    return flags;
  }

  protected classify(header0: number): number {
    const type = (header0 >> 1) & 0x3f;
    if (type >= 16 && type <= 23) return NAL_VCL | NAL_KEY;
    if (type < 32) return NAL_VCL;
    if (type >= 32 && type <= 34) return NAL_PARAM;
    return 0;
  }
}
