/** The longest clip the server makes (the contract: ≤ 1 h). */
export const MAX_CLIP_MS = 60 * 60 * 1000;

export type ClipProblem = 'missing' | 'order' | 'too-long' | null;

/** What is wrong with a chosen clip range, if anything. */
export function clipProblem(start: number | null, end: number | null): ClipProblem {
  if (start === null || end === null) return 'missing';
  if (end <= start) return 'order';
  if (end - start > MAX_CLIP_MS) return 'too-long';
  return null;
}
