/**
 * Kazakh phone numbers typed as people type them (8 701 123 45 67, +7 (701) 123-45-67,
 * 701 123 4567, 7011234567) normalised to E.164 without the plus: 77011234567.
 */
export type PhoneResult = { ok: true; phone: string; display: string } | { ok: false; reason: 'format' };

export function normalisePhone(input: string): PhoneResult {
  const trimmed = input.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return { ok: false, reason: 'format' };
  let d = trimmed.replace(/\D/g, '');
  if (d.length === 11 && (d[0] === '8' || d[0] === '7')) d = `7${d.slice(1)}`;
  else if (d.length === 10) d = `7${d}`;
  else return { ok: false, reason: 'format' };
  // Kazakhstan's numbers start with 7 after the country code: 7 (mobile), 71x..72x (landline).
  if (d[1] !== '7') return { ok: false, reason: 'format' };
  return { ok: true, phone: d, display: formatPhone(d) };
}

/** +7 701 123 45 67 */
export function formatPhone(d: string): string {
  return `+${d[0]} ${d.slice(1, 4)} ${d.slice(4, 7)} ${d.slice(7, 9)} ${d.slice(9, 11)}`;
}

/** The digits a search box query means as a phone (or its beginning): 8 701 12 → 770112. */
export function phoneDigitsOfQuery(input: string): string | null {
  if (!/^\+?[\d\s\-().]+$/.test(input.trim())) return null;
  let d = input.replace(/\D/g, '');
  if (d.length < 4) return null;
  if (d[0] === '8') d = `7${d.slice(1)}`;
  else if (d[0] !== '7' || (d.length <= 10 && d[1] !== '7')) d = `7${d}`;
  return d.length <= 11 ? d : null;
}
