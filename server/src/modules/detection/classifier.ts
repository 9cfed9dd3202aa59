import type { GrayFrame } from './analysis.ts';
import type { Box } from './detection.types.ts';

/** What the classifier sees of a motion event at its start. */
export interface ClassifierInput {
  cameraId: string;
  zoneId: string | null;
  startedAt: number;
  /** The objects' boxes on `frame` (normalized). */
  boxes: Box[];
}

export interface ClassifierVerdict {
  /** e.g. 'person', 'vehicle'; absent = unclassified. */
  label?: string | null;
  /** True: not worth an alert (a cat, a swaying branch): the event is dropped before it is reported. */
  veto?: boolean;
}

/**
 * The stage after motion (issue 10's seam): called once per motion event, before its start
 * is reported, with the analysis frame (gray, FRAME_W × FRAME_H) that confirmed it. May be
 * async (a model in a worker); the event waits for it.
 */
export interface Classifier {
  classify(event: ClassifierInput, frame: GrayFrame): ClassifierVerdict | Promise<ClassifierVerdict>;
}

/** Today's classifier: labels nothing, vetoes nothing. */
export const noopClassifier: Classifier = {
  classify: () => ({}),
};
