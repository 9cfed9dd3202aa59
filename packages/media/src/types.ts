/**
 * The shared vocabulary of the media library. Everything here is protocol-level:
 * nothing knows about cameras, HTTP or the database.
 */

export type VideoCodec = 'h264' | 'h265';

/** One coded picture: all NAL units of one frame, without start codes or length prefixes. */
export interface AccessUnit {
  codec: VideoCodec;
  /** NAL units (no Annex B start codes). Views into packet buffers where possible: copy before keeping. */
  nalus: Uint8Array[];
  /** RTP timestamp extended to 64 bits (no wrap), in the clock rate of the stream (90 kHz for video). */
  pts: number;
  /** True when the access unit holds an IDR/IRAP picture (decodable on its own). */
  keyframe: boolean;
  /** Wall-clock ms (Date.now()) when the last packet of the access unit arrived. */
  receivedAt: number;
  /**
   * True when a piece of the access unit was lost or malformed: it holds only the NAL
   * units that arrived whole (decoders conceal the rest). Absent or false when intact.
   */
  damaged?: boolean;
}

/** Parameters needed to build a decoder configuration (avcC / hvcC). */
export interface VideoParameterSets {
  codec: VideoCodec;
  /** H.265 only. */
  vps?: Uint8Array;
  sps: Uint8Array;
  pps: Uint8Array;
}

export interface VideoInfo {
  codec: VideoCodec;
  width: number;
  height: number;
  /** e.g. 'High', 'Main'. */
  profile: string;
  /** e.g. 4.0 */
  level: number;
  /** From VUI timing info when present. */
  fps: number | null;
  /** RFC 6381 codec string, e.g. 'avc1.640028', 'hvc1.1.6.L120.B0'. */
  codecString: string;
}
