/**
 * Test and bench only: did a search find the intended person? Two honest figures —
 * **first**: the intended person is the first hit; **first or tied namesake**: the hits
 * before them all have the top score and the same name as written in a passport (the
 * query could not tell them apart: it carried nothing but the name). Names are compared
 * with this folder's own transliteration (`retype`), not the search's skeletons.
 */
import type { SearchHit } from '@kuzet/contracts';
import { oneTypo, retype, type Scheme } from './query-variants.ts';

export type Outcome = 'first' | 'tied' | 'miss';

const passport = (name: string) => retype(name, 'passport').toLowerCase();

export function rankOutcome(hits: SearchHit[], intended: { id: string; name: string }, nameOf: (personId: string) => string | undefined): Outcome {
  const i = hits.findIndex((h) => h.type === 'person' && h.personId === intended.id);
  if (i === 0) return 'first';
  if (i < 0) return 'miss';
  const top = hits[0]!.score;
  const want = passport(intended.name);
  for (const h of hits.slice(0, i + 1)) {
    if (h.score !== top || h.type !== 'person' || !h.personId) return 'miss';
    const n = nameOf(h.personId);
    if (n === undefined || passport(n) !== want) return 'miss';
  }
  return 'tied';
}

/** Counts of outcomes, and the two rates (0–100, one decimal). */
export function tally(outcomes: Outcome[]) {
  const first = outcomes.filter((o) => o === 'first').length;
  const tied = outcomes.filter((o) => o === 'tied').length;
  const pct = (n: number) => Math.round((n / Math.max(1, outcomes.length)) * 1000) / 10;
  return { queries: outcomes.length, first, firstOrTied: first + tied, firstPct: pct(first), firstOrTiedPct: pct(first + tied) };
}

/**
 * The residents no one else in the registry shares a name with (surname + first name,
 * compared in passport spelling): for them a name-only query has one right answer, so
 * "the very person first" is the whole measure.
 */
export function withUniqueNames<P extends { lastName: string; firstName: string }>(people: P[]): P[] {
  const count = new Map<string, number>();
  for (const p of people) count.set(passport(`${p.lastName} ${p.firstName}`), (count.get(passport(`${p.lastName} ${p.firstName}`)) ?? 0) + 1);
  return people.filter((p) => count.get(passport(`${p.lastName} ${p.firstName}`)) === 1);
}

/** A resident as the generated queries see them. */
export interface RankPerson {
  id: string;
  lastName: string;
  firstName: string;
  birthDate: string | null;
  /** A home: building number («3» of «Блок 3») and apartment number. */
  home: { building: string; apartment: string } | null;
  phone: string | null;
}

/**
 * `count` queries for random residents: surname + first name in another alphabet with
 * one typo (acceptance 1's generated set); with `facts`, each also carries one thing the
 * person has — their apartment («блок 3 кв 45» or «кв 45»), birth year, or the last seven
 * digits of a phone — as an inspector who knows more than the name types it.
 */
export function generatedQueries(people: RankPerson[], count: number, r: () => number, facts = false): { q: string; person: RankPerson }[] {
  const out: { q: string; person: RankPerson }[] = [];
  for (let i = 0; i < count; i++) {
    const p = people[Math.floor(r() * people.length)]!;
    const name = `${p.lastName} ${p.firstName}`;
    const kazakhLetters = /[әғқңөұүһі]/i.test(name);
    const schemes: Scheme[] = kazakhLetters ? ['passport', 'kazakh-latin', 'russian-cyrillic'] : ['passport', 'kazakh-latin'];
    let q = oneTypo(retype(name, schemes[Math.floor(r() * schemes.length)]!), r);
    if (facts) {
      const options: string[] = [];
      if (p.home) options.push(`блок ${p.home.building} кв ${p.home.apartment}`, `кв ${p.home.apartment}`);
      if (p.birthDate) options.push(p.birthDate.slice(0, 4));
      if (p.phone) options.push(`${p.phone.slice(-7, -4)} ${p.phone.slice(-4, -2)} ${p.phone.slice(-2)}`);
      if (options.length) q += ` ${options[Math.floor(r() * options.length)]!}`;
    }
    out.push({ q, person: p });
  }
  return out;
}
