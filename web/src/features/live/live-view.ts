import type { Tone } from '../cameras/camera-view.ts';
import type { PlayerStateName } from './player-state.ts';

/** How a player state reads at a glance (the camera badges' colours and shapes). */
export const playerTone: Record<PlayerStateName, Tone> = {
  idle: 'idle',
  connecting: 'pending',
  playing: 'ok',
  stalled: 'warn',
  offline: 'bad',
  failed: 'bad',
};
