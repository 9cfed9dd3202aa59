import type { AccessUnit, VideoParameterSets } from '@kuzet/media';

/**
 * What a stream session feeds, in its worker, to each consumer of one camera stream:
 * the live feed (fMP4 for viewers + the GOP cache) now, the recorder (the main stream
 * to disk) and the detector (keyframes of the sub stream) next. One upstream session,
 * any number of consumers; each does only the work it needs per frame.
 *
 * Calls are synchronous, in stream order: onParams before the first access unit and
 * whenever the parameter sets change; onReset when the upstream session ends (failure,
 * new address, stop) — nothing held for it is valid after that.
 */
export interface AccessUnitConsumer {
  onParams(ps: VideoParameterSets): void;
  /** The NAL views live only during the call (they point into socket buffers): copy what you keep. */
  onAccessUnit(au: AccessUnit): void;
  onReset(): void;
}
