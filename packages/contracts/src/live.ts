import { z } from 'zod';
import { Id } from './common.ts';
import { StatusReason, StreamKind, StreamState } from './cameras.ts';

/**
 * Live video: `GET /api/v1/cameras/:cameraId/live?stream=sub|main`.
 * - A plain GET answers LiveInfo.
 * - A WebSocket upgrade on the same URL streams fMP4 (same-origin only; cookie auth):
 *   text frames are JSON LiveMessage; binary frames are
 *   [byte 0: kind (1 = init segment, 2 = media fragment)]
 *   [byte 1: flags (bit 0: keyframe)]
 *   [bytes 2–9: float64 big-endian, the server's arrival time of the frame, ms since epoch]
 *   [the fMP4 bytes].
 *   The first fragment after an init segment is a keyframe (the GOP cache: playback
 *   starts at once). A `codec` message precedes every init segment.
 */
export const LiveQuery = z.strictObject({
  stream: StreamKind.default('sub'),
  /**
   * `cache` (default): start at the GOP cache, the first picture at once.
   * `keyframe`: wait for the next live keyframe, as go2rtc and Frigate do — the
   * benchmark's baseline.
   */
  start: z.enum(['cache', 'keyframe']).default('cache'),
});

export const LiveInfo = z.strictObject({
  cameraId: Id,
  stream: StreamKind,
  state: StreamState,
  reason: StatusReason.nullable(),
  /** Codec the browser receives (H.265 cameras are transcoded to H.264). */
  transcoded: z.boolean(),
  websocketPath: z.string(),
});
export type LiveInfo = z.infer<typeof LiveInfo>;

export const LiveMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('codec'), codec: z.string(), width: z.number().int().nullable(), height: z.number().int().nullable(), transcoded: z.boolean() }),
  z.strictObject({ type: z.literal('status'), state: StreamState, reason: StatusReason.nullable() }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

export const LIVE_FRAME_INIT = 1;
export const LIVE_FRAME_MEDIA = 2;
export const LIVE_HEADER_BYTES = 10;

/**
 * WebSocket close codes the server uses (and, on the wall's socket, the `code` of a
 * channel's `refused` message). `unavailable`: the view could not be audited, so no
 * video is served; the player tries again later.
 */
export const liveCloseCodes = { unauthenticated: 4401, forbidden: 4403, notFound: 4404, badRequest: 4400, unavailable: 4500, serverStopping: 4503 } as const;

/**
 * The wall's one WebSocket: `GET /api/v1/live` (same-origin, cookie auth; a plain GET
 * answers LiveWallInfo). One connection per page carries every tile: the page sends
 * text frames LiveClientMessage (`subscribe` a channel to a camera's stream,
 * `unsubscribe` it); the server checks scope and grant and writes the audit entry per
 * subscription before any video of it is sent, and answers per channel:
 * - text frames LiveChannelMessage: a LiveMessage with its `channel`, or `refused`
 *   (the code is one of liveCloseCodes; the other channels go on);
 * - binary frames [byte 0: kind (1 init, 2 media)] [byte 1: flags (bit 0 keyframe)]
 *   [bytes 2–3: uint16 big-endian channel] [bytes 4–11: float64 big-endian, the
 *   server's arrival time, ms epoch] [the fMP4 bytes].
 * Each channel gets its own backpressure: a channel that backs up skips to its next
 * keyframe while the others keep flowing.
 */
export const LIVE_WALL_PATH = '/api/v1/live';
export const LIVE_WALL_HEADER_BYTES = 12;
export const LIVE_MAX_CHANNELS = 64;
export const LiveChannel = z.number().int().min(1).max(65_535);

export const LiveClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), channel: LiveChannel, cameraId: Id, stream: StreamKind, start: z.enum(['cache', 'keyframe']).default('cache') }),
  z.strictObject({ type: z.literal('unsubscribe'), channel: LiveChannel }),
]);
export type LiveClientMessage = z.input<typeof LiveClientMessage>;

export type LiveChannelMessage = (LiveMessage & { channel: number }) | { type: 'refused'; channel: number; code: number };

export const LiveWallInfo = z.strictObject({ websocketPath: z.string(), maxChannels: z.number().int() });
export type LiveWallInfo = z.infer<typeof LiveWallInfo>;

export const wallGrids = [1, 4, 9, 16, 25] as const;
export const WallGrid = z.union([z.literal(1), z.literal(4), z.literal(9), z.literal(16), z.literal(25)]);

export const WallLayout = z.strictObject({
  id: Id,
  name: z.string(),
  grid: WallGrid,
  /** One entry per tile, row by row; null = empty tile. */
  cells: z.array(Id.nullable()).max(25),
  updatedAt: z.string(),
});
export type WallLayout = z.infer<typeof WallLayout>;
export const WallLayoutList = z.strictObject({ items: z.array(WallLayout) });
export const SaveWallLayoutRequest = z.strictObject({
  name: z.string().trim().min(1).max(80),
  grid: WallGrid,
  cells: z.array(Id.nullable()).max(25),
});
export const WallLayoutParams = z.strictObject({ layoutId: Id });
