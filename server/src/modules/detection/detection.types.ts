/**
 * The detector's main-thread interface (docs: /work/detection-api.md, this module's README).
 * Coordinates are normalized 0..1 of the picture (x right, y down); times are epoch ms.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type ZoneSchedule = { kind: 'always' } | { kind: 'window'; from: string; to: string; days?: number[] };

/**
 * What the detector needs of a detection zone: structurally the contract's `DetectionZone`
 * (packages/contracts/src/detection.ts), so that type can be passed as is.
 */
export interface ZoneSpec {
  id: string;
  kind: 'include' | 'exclude';
  polygon: [number, number][];
  /** 1..10, higher = a smaller change counts. */
  sensitivity: number;
  /** Fraction of the picture's area. */
  minObjectSize: number;
  schedule: ZoneSchedule;
  cooldownSeconds: number;
  enabled: boolean;
}

export interface CameraDetectionConfig {
  enabled: boolean;
  zones: ZoneSpec[];
}

export type TamperCause = 'covered' | 'defocused' | 'turned';

export interface DetectionReport {
  /** Stable id of this event within the detector (uuid). */
  eventKey: string;
  cameraId: string;
  kind: 'motion' | 'tamper';
  /** motion: the include zone it was in. */
  zoneId: string | null;
  cause: TamperCause | null;
  /**
   * start, then updates, then end. An event merged by its zone's cooldown (motion again
   * within cooldownSeconds after its end) is reopened: an 'update' with endedAt null after
   * the 'end', and a new 'end' later.
   */
  phase: 'start' | 'update' | 'end';
  startedAt: number;
  endedAt: number | null;
  /** 0..1 */
  peakScore: number;
  /** New samples since the last report. */
  boxes: { at: number; box: Box }[];
  /** On 'start' (or the first update after it when the picture was not ready in time). */
  snapshotJpeg: Uint8Array | null;
  /** The classifier stage's output (seam; null now). */
  label: string | null;
}

/** Must not throw, must not block. */
export interface DetectionSink {
  report(r: DetectionReport): void;
}
