/**
 * Kazakh vehicle plates. Since 2012: 3 digits, 3 letters (individuals) or 2 letters
 * (legal entities), 2-digit region 01–20: 123ABC02, 123AB02. Since 1993 (still on the
 * road): a region letter, 3 digits, 2 or 3 letters: A123BC, A123BCD. People type them
 * with spaces and in either alphabet; Cyrillic look-alikes become Latin.
 */
export type PlateKind = 'individual' | 'legal' | 'old';
export type PlateResult = { ok: true; plate: string; display: string; kind: PlateKind } | { ok: false; reason: 'format' };

/** Cyrillic letters that look like Latin ones on a plate. */
const LOOK_ALIKE: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y',
};

/** Upper case, spaces and dashes gone, look-alikes Latin. Letters with no look-alike stay (and fail). */
export function plateCompact(input: string): string {
  return [...input.toUpperCase().replace(/[\s\-_.]/g, '')].map((c) => LOOK_ALIKE[c] ?? c).join('');
}

export function normalisePlate(input: string): PlateResult {
  const p = plateCompact(input);
  let m = /^(\d{3})([A-Z]{2,3})(\d{2})$/.exec(p);
  if (m) {
    const region = Number(m[3]);
    if (region < 1 || region > 20) return { ok: false, reason: 'format' };
    return { ok: true, plate: p, display: `${m[1]} ${m[2]} ${m[3]}`, kind: m[2]!.length === 3 ? 'individual' : 'legal' };
  }
  m = /^([A-Z])(\d{3})([A-Z]{2,3})$/.exec(p);
  if (m) return { ok: true, plate: p, display: `${m[1]} ${m[2]} ${m[3]}`, kind: 'old' };
  return { ok: false, reason: 'format' };
}

/** A search query that could be (the start of) a plate: digits and plate letters, at least 3 signs, some digit. */
export function plateOfQuery(input: string): string | null {
  const p = plateCompact(input);
  return /^[A-Z0-9]{3,9}$/.test(p) && /\d/.test(p) ? p : null;
}
