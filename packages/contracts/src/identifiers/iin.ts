/**
 * Kazakhstan's individual identification number (IIN): YYMMDD, a century/sex digit,
 * a 4-digit serial and a check digit. The check digit is Σ dᵢ·wᵢ mod 11 with weights
 * 1..11; when that gives 10 it is recomputed with 3..11,1,2; a number whose second
 * pass also gives 10 is never issued. Shared by the server and the console.
 */
export type Sex = 'male' | 'female';

export interface IinInfo {
  iin: string;
  birthDate: string; // YYYY-MM-DD
  sex: Sex;
  /** Passes the check digit but the birth year is odd (before 1900 or in the future): flag, don't reject. */
  implausible: boolean;
}

export type IinResult = { ok: true; info: IinInfo } | { ok: false; reason: 'format' | 'checksum' | 'date' | 'century' };

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit for the first 11 digits, or null when no digit exists (never issued). */
export function iinCheckDigit(first11: string): number | null {
  const d = [...first11].map(Number);
  const sum = (w: number[]) => d.reduce((s, x, i) => s + x * w[i]!, 0) % 11;
  const a = sum(W1);
  if (a !== 10) return a;
  const b = sum(W2);
  return b === 10 ? null : b;
}

const CENTURY: Record<string, [number, Sex]> = {
  '1': [1800, 'male'],
  '2': [1800, 'female'],
  '3': [1900, 'male'],
  '4': [1900, 'female'],
  '5': [2000, 'male'],
  '6': [2000, 'female'],
};

/** Validates an IIN (spaces allowed around groups) and derives birth date and sex. */
export function parseIin(input: string, today: Date = new Date()): IinResult {
  const iin = input.replace(/\s+/g, '');
  if (!/^\d{12}$/.test(iin)) return { ok: false, reason: 'format' };
  const check = iinCheckDigit(iin.slice(0, 11));
  if (check === null || check !== Number(iin[11])) return { ok: false, reason: 'checksum' };
  const century = CENTURY[iin[6]!];
  if (!century) return { ok: false, reason: 'century' };
  const year = century[0] + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false, reason: 'date' };
  const birthDate = `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  const implausible = year < 1900 || date.getTime() > today.getTime();
  return { ok: true, info: { iin, birthDate, sex: century[1], implausible } };
}

/** What an operator sees: the first two and last two digits. Never enough to confirm a number. */
export function maskIin(iin: string | null): string | null {
  if (iin === null) return null;
  return `${iin.slice(0, 2)}${'•'.repeat(8)}${iin.slice(10)}`;
}
