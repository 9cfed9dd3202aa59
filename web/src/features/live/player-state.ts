import { liveCloseCodes, type StatusReason, type StreamState } from '@kuzet/contracts';

/** Why a player gave up: shown on the tile, never an endless spinner. */
export const failReasons = [
  'unsupported_codec',
  'no_mse',
  'forbidden',
  'not_found',
  'unauthenticated',
  'bad_request',
  'media_error',
] as const;
export type FailReason = (typeof failReasons)[number];

export const playerStates = ['idle', 'connecting', 'playing', 'stalled', 'offline', 'failed'] as const;
export type PlayerStateName = (typeof playerStates)[number];

export type PlayerState =
  | { name: 'idle' }
  | { name: 'connecting' }
  | { name: 'playing' }
  | { name: 'stalled' }
  | { name: 'offline'; reason: StatusReason | null }
  | { name: 'failed'; reason: FailReason };

export interface PlayerModel {
  state: PlayerState;
  /** Connections lost in a row without a frame shown (the reconnect backoff grows with it). */
  attempt: number;
  /** Media (decode, append) errors in a row without a frame shown. */
  mediaErrors: number;
}

export type PlayerEvent =
  /** The tile wants video (visible, a camera assigned, the session unlocked). */
  | { type: 'start' }
  /** The tile stopped pulling video (hidden, off screen, unmounted). */
  | { type: 'stop' }
  /** The server's status message. */
  | { type: 'status'; state: StreamState; reason: StatusReason | null }
  /** A media fragment arrived. */
  | { type: 'fragment' }
  /** A frame was presented. */
  | { type: 'frame' }
  /** No frame presented for a while though the tile plays. */
  | { type: 'stall' }
  /** The socket closed (code from the server, 1006 for a dropped connection). */
  | { type: 'closed'; code: number }
  /** MSE cannot play this codec, or there is no MSE at all. */
  | { type: 'unsupported'; reason: 'unsupported_codec' | 'no_mse' }
  /** The SourceBuffer or the video element reported an error. */
  | { type: 'media-error' };

export const initialModel: PlayerModel = { state: { name: 'idle' }, attempt: 0, mediaErrors: 0 };

/** After this many media errors in a row the player stops retrying and says so. */
export const MAX_MEDIA_ERRORS = 3;

const CLOSE_FAILURES: ReadonlyMap<number, FailReason> = new Map([
  [liveCloseCodes.forbidden, 'forbidden'],
  [liveCloseCodes.notFound, 'not_found'],
  [liveCloseCodes.badRequest, 'bad_request'],
  [liveCloseCodes.unauthenticated, 'unauthenticated'],
]);

/** Failures a fresh start may clear (the session came back); the others need another camera. */
const RETRIABLE_ON_START: ReadonlySet<FailReason> = new Set(['unauthenticated', 'media_error']);

/** Whether the model wants an open socket (the controller connects, or reconnects after a pause). */
export function wantsSocket(model: PlayerModel): boolean {
  const name = model.state.name;
  return name !== 'idle' && name !== 'failed';
}

function is(model: PlayerModel, ...names: PlayerStateName[]): boolean {
  return names.includes(model.state.name);
}

function to(model: PlayerModel, state: PlayerState, patch: Partial<PlayerModel> = {}): PlayerModel {
  return { ...model, ...patch, state };
}

/** The player's state machine: idle → connecting → playing ⇄ stalled; offline(reason); failed(reason). */
export function playerReducer(model: PlayerModel, event: PlayerEvent): PlayerModel {
  switch (event.type) {
    case 'start':
      if (is(model, 'idle')) return to(model, { name: 'connecting' }, { attempt: 0, mediaErrors: 0 });
      if (model.state.name === 'failed' && RETRIABLE_ON_START.has(model.state.reason)) {
        return to(model, { name: 'connecting' }, { attempt: 0, mediaErrors: 0 });
      }
      return model;
    case 'stop':
      return is(model, 'idle', 'failed') ? model : to(model, { name: 'idle' }, { attempt: 0 });
    case 'status':
      if (!wantsSocket(model)) return model;
      if (event.state === 'offline' || event.state === 'disabled') {
        const reason = event.reason ?? (event.state === 'disabled' ? 'disabled' : null);
        const current = model.state;
        if (current.name === 'offline' && current.reason === reason) return model;
        return to(model, { name: 'offline', reason });
      }
      // Online again (or reconnecting upstream): wait for frames.
      return is(model, 'offline') ? to(model, { name: 'connecting' }) : model;
    case 'fragment':
      return is(model, 'offline') ? to(model, { name: 'connecting' }) : model;
    case 'frame':
      if (is(model, 'connecting', 'stalled')) return to(model, { name: 'playing' }, { attempt: 0, mediaErrors: 0 });
      if (is(model, 'playing') && (model.attempt !== 0 || model.mediaErrors !== 0)) {
        return { ...model, attempt: 0, mediaErrors: 0 };
      }
      return model;
    case 'stall':
      return is(model, 'playing') ? to(model, { name: 'stalled' }) : model;
    case 'closed': {
      if (!wantsSocket(model)) return model;
      const failure = CLOSE_FAILURES.get(event.code);
      if (failure) return to(model, { name: 'failed', reason: failure });
      return to(model, { name: 'connecting' }, { attempt: model.attempt + 1 });
    }
    case 'unsupported':
      return is(model, 'idle') ? model : to(model, { name: 'failed', reason: event.reason });
    case 'media-error': {
      if (!wantsSocket(model)) return model;
      const mediaErrors = model.mediaErrors + 1;
      if (mediaErrors >= MAX_MEDIA_ERRORS) return to(model, { name: 'failed', reason: 'media_error' }, { mediaErrors });
      return to(model, { name: 'connecting' }, { mediaErrors, attempt: model.attempt + 1 });
    }
  }
}

/** Pause before reconnect number `attempt` (1, 2, …): 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function backoffMs(attempt: number): number {
  if (attempt <= 0) return 0;
  return Math.min(10_000, 1000 * 2 ** (attempt - 1));
}
