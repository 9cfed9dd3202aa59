/**
 * What the detector reports (shape copied from the shared design, detection-api.md; the
 * detector's own type lives in modules/detection/detection.types.ts — nothing is imported
 * from there, so the two branches merge without a dependency).
 */
export interface ReportBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DetectionReport {
  /** Stable id of this event within the detector (uuid). */
  eventKey: string;
  cameraId: string;
  kind: 'motion' | 'tamper';
  /** motion: the include zone it was in. */
  zoneId: string | null;
  cause: 'covered' | 'defocused' | 'turned' | null;
  phase: 'start' | 'update' | 'end';
  startedAt: number;
  endedAt: number | null;
  /** 0..1 */
  peakScore: number;
  /** New samples since the last report. */
  boxes: { at: number; box: ReportBox }[];
  /** On 'start' (and the best one on 'end' if better). */
  snapshotJpeg: Uint8Array | null;
  /** Classifier stage output (seam; null now). */
  label: string | null;
}

/** Must not throw, must not block. */
export interface DetectionSink {
  report(r: DetectionReport): void;
}
