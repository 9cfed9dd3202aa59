import { LIVE_FRAME_INIT, LIVE_FRAME_MEDIA, LIVE_WALL_HEADER_BYTES, statusReasons, streamStates } from '@kuzet/contracts';
import type { LiveMessage, StatusReason, StreamState } from '@kuzet/contracts';

/** One binary WebSocket frame of the live stream, header read, fMP4 bytes as a view (no copy). */
export interface LiveFrame {
  kind: 'init' | 'media';
  keyframe: boolean;
  /** The server's arrival time of the frame, ms since the epoch. */
  arrival: number;
  data: Uint8Array;
}

/**
 * A binary frame of the wall's socket: [byte 0: kind (1 init, 2 media)]
 * [byte 1: flags, bit 0 keyframe] [bytes 2–3: uint16 channel] [bytes 4–11: float64
 * big-endian arrival ms] [fMP4 bytes]. Null for anything else.
 */
export function parseWallFrame(buffer: ArrayBuffer): (LiveFrame & { channel: number }) | null {
  if (buffer.byteLength <= LIVE_WALL_HEADER_BYTES) return null;
  const view = new DataView(buffer);
  const kindByte = view.getUint8(0);
  const kind = kindByte === LIVE_FRAME_INIT ? 'init' : kindByte === LIVE_FRAME_MEDIA ? 'media' : null;
  if (!kind) return null;
  const arrival = view.getFloat64(4, false);
  return {
    kind,
    keyframe: (view.getUint8(1) & 1) === 1,
    channel: view.getUint16(2, false),
    arrival: Number.isFinite(arrival) ? arrival : 0,
    data: new Uint8Array(buffer, LIVE_WALL_HEADER_BYTES),
  };
}

const STATES: readonly string[] = streamStates;
const REASONS: readonly string[] = statusReasons;

/** A text frame of the wall's socket: one channel's message, or its refusal. Null when unreadable. */
export type ChannelMessage = { channel: number; message: LiveMessage } | { channel: number; refused: number };

export function parseChannelMessage(text: string): ChannelMessage | null {
  const p = readObject(text);
  if (!p || typeof p.channel !== 'number') return null;
  if (p.type === 'refused') return typeof p.code === 'number' ? { channel: p.channel, refused: p.code } : null;
  const message = readMessage(p);
  return message ? { channel: p.channel, message } : null;
}

function readObject(text: string): Record<string, unknown> | null {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return null;
  }
  return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
}

/** A text frame: the codec of the next init segment, or the camera's status. Null when unreadable. */
export function parseLiveMessage(text: string): LiveMessage | null {
  const p = readObject(text);
  return p ? readMessage(p) : null;
}

function readMessage(p: Record<string, unknown>): LiveMessage | null {
  if (p.type === 'codec' && typeof p.codec === 'string' && p.codec !== '') {
    return {
      type: 'codec',
      codec: p.codec,
      width: typeof p.width === 'number' ? p.width : null,
      height: typeof p.height === 'number' ? p.height : null,
      transcoded: p.transcoded === true,
    };
  }
  if (p.type === 'status' && typeof p.state === 'string' && STATES.includes(p.state)) {
    const reason = typeof p.reason === 'string' && REASONS.includes(p.reason) ? (p.reason as StatusReason) : null;
    return { type: 'status', state: p.state as StreamState, reason };
  }
  return null;
}

/** The MSE type for a codec string ("avc1.64001f" → 'video/mp4; codecs="avc1.64001f"'). */
export function mimeOf(codec: string): string {
  return `video/mp4; codecs="${codec}"`;
}
