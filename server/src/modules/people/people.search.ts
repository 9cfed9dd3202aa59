import { can, maskIin, phoneDigitsOfQuery, plateOfQuery, type SearchHit, type SearchQuery } from '@kuzet/contracts';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { PeopleRepository } from './people.repository.ts';
import { fullName, type PeopleService } from './people.service.ts';
import { apartmentOfQuery, buildingKey, editDistance, hasFacts, queryFacts, skeleton, words, type QueryFacts } from './search-keys.ts';

type Match = SearchHit['match'];
interface Scored { type: SearchHit['type']; id: string; score: number; match: Match; sortKey: string }

const GRADE: Match[] = ['exact', 'prefix', 'fuzzy'];
/** Name candidates rescored in code: the SQL ranking keeps the best this many. */
const CANDIDATES = 120;
/** Lift per fact of the query a namesake has (apartment, building, birth year or date, phone digits). */
export const FACT_BONUS = 0.1;

/**
 * How well one query word matches one key (both skeletons): exact 1, prefix 0.75–0.95
 * (longer coverage higher: «Ахметов» prefers Ахметова over Ахметовская), a typo 0.4–0.55.
 */
export function wordScore(t: string, k: string): { score: number; grade: number } {
  if (k === t) return { score: 1, grade: 0 };
  if (t.length >= 2 && k.startsWith(t)) return { score: 0.75 + (0.2 * t.length) / k.length, grade: 1 };
  const allowed = t.length <= 3 ? 0 : t.length <= 5 ? 1 : 2;
  const d = editDistance(t, k, allowed);
  if (d <= allowed) return { score: 0.7 - 0.15 * d, grade: 2 };
  // A typo in a word still being typed: the key's start is one edit away.
  if (t.length >= 4 && k.length > t.length && editDistance(t, k.slice(0, t.length), 1) <= 1) return { score: 0.4, grade: 2 };
  return { score: 0, grade: 3 };
}

/** The one search box across residents, phones, plates, apartments and premises. */
export class PeopleSearch {
  constructor(
    private readonly repo: PeopleRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  async search(actor: Actor, complexId: string, query: SearchQuery): Promise<SearchHit[]> {
    const q = query.q;
    const full = can(actor.role, 'people.identify');
    const digits = q.replace(/\D/g, '');
    // An operator cannot search by IIN: a 12-digit query is refused outright, so a masked hit never confirms a number.
    if (!full && /^\s*\d[\d\s]*$/.test(q) && digits.length === 12) throw new DomainError('IIN_SEARCH_FORBIDDEN');

    const scored: Scored[] = [];
    const apt = apartmentOfQuery(q);
    // Besides the name, a query may carry what tells namesakes apart: «Ахметов Алибек кв 45», «… 1985», «… 4567».
    const facts = apt ? null : queryFacts(q);
    const nameTokens = words(facts ? facts.rest : q).filter((w) => !/^\d+$/.test(w)).map((w) => ({ raw: w.toLowerCase(), key: skeleton(w) })).filter((t) => t.key.length >= 1);
    if (apt) scored.push(...(await this.apartments(complexId, apt)));
    else if (nameTokens.length) scored.push(...(await this.names(complexId, nameTokens, facts && hasFacts(facts) ? facts : null)));

    const phone = phoneDigitsOfQuery(q);
    if (phone && phone.length >= 5) {
      for (const c of await this.repo.candidates(complexId, ['phone'], phone, { fuzzy: false, prefixLimit: 50 })) {
        scored.push({ type: c.entityType as 'person', id: c.entityId, score: c.key === phone ? 1 : 0.8, match: c.key === phone ? 'exact' : 'prefix', sortKey: '' });
      }
    }
    if (full && digits.length >= 6 && /^[\d\s]+$/.test(q)) {
      for (const c of await this.repo.candidates(complexId, ['iin'], digits, { fuzzy: false, prefixLimit: 50 })) {
        scored.push({ type: 'person', id: c.entityId, score: c.key === digits ? 1 : 0.8, match: c.key === digits ? 'exact' : 'prefix', sortKey: '' });
      }
    }
    const plate = apt ? null : plateOfQuery(q);
    if (plate) {
      // A plate with a typo is looked for (by trigrams over every key: slower) only when nothing matches as typed.
      let plates = await this.repo.candidates(complexId, ['plate'], plate, { fuzzy: false, prefixLimit: 50 });
      if (!plates.length && plate.length >= 6 && /[A-Z]/.test(plate)) plates = await this.repo.candidates(complexId, ['plate'], plate, { fuzzy: true, prefixLimit: 50 });
      for (const c of plates) {
        const w = wordScore(plate, c.key);
        if (w.score > 0) scored.push({ type: 'vehicle', id: c.entityId, score: w.score, match: GRADE[w.grade]!, sortKey: c.key });
      }
    }

    // One hit per object, the best of its matches; ties in Kazakh alphabetical order (the list's order).
    const best = new Map<string, Scored>();
    for (const s of scored) {
      const cur = best.get(s.id);
      if (!cur || s.score > cur.score) best.set(s.id, s);
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0) || (a.id < b.id ? -1 : 1)).slice(0, query.limit);
    const hits = await this.describe(actor, ranked);
    if (query.submitted === 'true') {
      await this.audit.append({
        action: 'person.searched',
        actorId: actor.id,
        subjectType: 'search',
        complexId,
        details: { q, reason: query.reason ?? null, results: hits.length, found: hits.slice(0, 10).map((h) => `${h.type}:${h.id}`) },
      });
    }
    return hits;
  }

  private async names(complexId: string, tokens: { raw: string; key: string }[], facts: QueryFacts | null): Promise<Scored[]> {
    const fields = ['name', 'premise'];
    // One letter matches a twentieth of the complex: wait for the second.
    const usable = tokens.filter((t) => t.key.length >= 2);
    if (!usable.length) return [];
    // Each query word against the complex's distinct name words (a few thousand): scored here, so the typo rules are one.
    const terms: { i: number; key: string; score: number }[] = [];
    for (const [i, t] of usable.entries()) {
      for (const key of await this.repo.similarTerms(complexId, t.key)) {
        const w = wordScore(t.key, key);
        if (w.score > 0) terms.push({ i, key, score: w.score });
      }
    }
    if (!terms.length) return [];
    const found = usable.length === 1 ? await this.oneWord(complexId, terms) : await this.repo.nameCandidates(complexId, terms, CANDIDATES);
    if (!found.length) return [];
    const cands = new Map(found.map((c) => [c.entityId, c.entityType]));
    // The residents of a named apartment are candidates even past the kept 120 (1,000 Ивановы, one in кв 45).
    if (facts?.apartment) for (const r of await this.repo.residentsOfApartments((await this.aptRows(complexId, facts.building, facts.apartment)).map((a) => a.id))) cands.set(r.id, 'person');
    const ids = [...cands.keys()];
    const keys = await this.repo.keysOf(ids, fields);
    const keysOf = new Map<string, string[]>();
    for (const k of keys) keysOf.set(k.entityId, [...(keysOf.get(k.entityId) ?? []), k.key]);
    const persons = new Map((await this.repo.personsByIds(ids.filter((id) => cands.get(id) === 'person'))).map((p) => [p.id, p]));
    const premises = new Map((await this.repo.premisesByIds(ids.filter((id) => cands.get(id) === 'premise'))).map((p) => [p.id, p]));
    const fits = facts ? await this.factsFit([...persons.values()], facts) : new Map<string, number>();
    const out: Scored[] = [];
    for (const id of ids) {
      const ks = keysOf.get(id) ?? [];
      const person = persons.get(id);
      const rawWords = person ? words(fullName(person).toLowerCase()) : words((premises.get(id)?.name ?? '').toLowerCase());
      let total = 0;
      let worst = 0;
      for (const t of tokens) {
        let b = { score: 0, grade: 3 };
        for (const k of ks) {
          const s = wordScore(t.key, k);
          if (s.score > b.score) b = s;
        }
        // Typed exactly as written (Әлібек, not Алибек): a nudge above its transliterations.
        if (b.score > 0 && rawWords.includes(t.raw)) b.score += 0.02;
        total += b.score;
        worst = Math.max(worst, b.grade);
      }
      if (total === 0) continue;
      const type = cands.get(id) === 'premise' ? 'premise' : 'person';
      // Archived people rank below the living with the same name.
      const archived = person?.archivedAt ? 0.05 : 0;
      const lift = FACT_BONUS * (fits.get(id) ?? 0);
      out.push({ type, id, score: total / tokens.length - archived + lift, match: GRADE[Math.min(worst, 2)]!, sortKey: person?.sortKey ?? '' });
    }
    return out;
  }

  /**
   * One query word: its terms best first, each term's entities in list order off the index,
   * until enough are kept — a common surname (1,000 Ивановы) costs one short index range.
   */
  private async oneWord(complexId: string, terms: { key: string; score: number }[]) {
    const out = new Map<string, { entityId: string; entityType: string }>();
    const sorted = [...terms].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
    // The best few words one index range each; a long tail of similar words (a typo) in one query.
    for (const [n, t] of sorted.entries()) {
      if (out.size >= CANDIDATES) break;
      if (n === 3) {
        const rest = sorted.slice(3).map((x) => ({ i: 0, key: x.key, score: x.score }));
        for (const e of await this.repo.nameCandidates(complexId, rest, CANDIDATES - out.size)) if (!out.has(e.entityId)) out.set(e.entityId, e);
        break;
      }
      for (const e of await this.repo.entitiesOfWord(complexId, t.key, CANDIDATES - out.size)) if (!out.has(e.entityId)) out.set(e.entityId, e);
    }
    return [...out.values()];
  }

  /**
   * How many of the query's facts each person has: lives (or lived) in the apartment /
   * building named, born in the year (on the date) typed, has a phone with those digits.
   */
  private async factsFit(persons: { id: string; birthDate: string | null }[], f: QueryFacts): Promise<Map<string, number>> {
    const ids = persons.map((p) => p.id);
    const out = new Map<string, number>();
    const add = (id: string) => out.set(id, (out.get(id) ?? 0) + 1);
    if (f.apartment !== null || f.building !== null) {
      const homes = new Map<string, { building: boolean; apartment: boolean }>();
      for (const r of await this.repo.residencies(ids)) {
        const inBuilding = f.building === null || buildingKey(r.buildingName) === f.building;
        const h = homes.get(r.personId) ?? { building: false, apartment: false };
        h.building ||= f.building !== null && inBuilding;
        h.apartment ||= f.apartment !== null && inBuilding && r.apartmentNumber === f.apartment;
        homes.set(r.personId, h);
      }
      for (const [id, h] of homes) {
        if (h.building) add(id);
        if (h.apartment) add(id);
      }
    }
    for (const p of persons) {
      if (f.birthDate !== null ? p.birthDate === f.birthDate : f.birthYear !== null && p.birthDate?.startsWith(`${f.birthYear}-`)) add(p.id);
    }
    if (f.phone !== null) {
      const has = new Set((await this.repo.phones(ids)).filter((ph) => ph.phone.includes(f.phone!)).map((ph) => ph.personId));
      for (const id of has) add(id);
    }
    return out;
  }

  private async aptRows(complexId: string, building: string | null, apartment: string) {
    return (await this.repo.apartmentsByNumber(complexId, apartment)).filter((a) => building === null || buildingKey(a.buildingName) === building.toLowerCase());
  }

  private async apartments(complexId: string, apt: { building: string | null; apartment: string }): Promise<Scored[]> {
    const rows = await this.aptRows(complexId, apt.building, apt.apartment);
    const out: Scored[] = rows.map((a, i) => ({ type: 'apartment', id: a.id, score: 1.1 - i * 0.001, match: 'exact', sortKey: '' }));
    for (const r of await this.repo.residentsOfApartments(rows.map((a) => a.id))) {
      if (!r.movedOut) out.push({ type: 'person', id: r.id, score: 1, match: 'exact', sortKey: r.sortKey });
    }
    return out;
  }

  private async describe(actor: Actor, ranked: Scored[]): Promise<SearchHit[]> {
    const ofType = (t: SearchHit['type']) => ranked.filter((r) => r.type === t).map((r) => r.id);
    const personIds = ofType('person');
    const [persons, vehicles, premises, labels] = await Promise.all([
      this.repo.personsByIds(personIds),
      this.repo.vehiclesOf('id', ofType('vehicle')),
      this.repo.premisesByIds(ofType('premise')),
      this.people.apartmentLabels(personIds),
    ]);
    const owners = new Map((await this.repo.personsByIds(vehicles.map((v) => v.ownerPersonId).filter((x): x is string => !!x))).map((p) => [p.id, p]));
    const apartments = new Map<string, { label: string; id: string }>();
    for (const r of ranked.filter((x) => x.type === 'apartment')) {
      const a = await this.repo.apartment(r.id);
      if (a) apartments.set(a.id, { id: a.id, label: `${a.buildingName}, кв. ${a.number} · подъезд ${a.entranceNumber}, этаж ${a.floor}` });
    }
    const pById = new Map(persons.map((p) => [p.id, p]));
    const vById = new Map(vehicles.map((v) => [v.id, v]));
    const mById = new Map(premises.map((p) => [p.id, p]));
    const full = can(actor.role, 'people.identify');
    const hits: SearchHit[] = [];
    for (const r of ranked) {
      const base = { id: r.id, match: r.match, score: Math.round(r.score * 1000) / 1000 };
      if (r.type === 'person') {
        const p = pById.get(r.id);
        if (!p) continue;
        const iin = full ? p.iin : maskIin(p.iin);
        const sub = [(labels.get(p.id) ?? []).join('; '), iin ? `ИИН ${iin}` : '', p.archivedAt ? 'архив' : ''].filter(Boolean).join(' · ');
        hits.push({ ...base, type: 'person', title: fullName(p), subtitle: sub, personId: p.id, apartmentId: null });
      } else if (r.type === 'vehicle') {
        const v = vById.get(r.id);
        if (!v) continue;
        const owner = v.ownerPersonId ? owners.get(v.ownerPersonId) : undefined;
        const sub = [[v.make, v.model, v.colour].filter(Boolean).join(' '), owner ? fullName(owner) : '', v.parkingPlace].filter(Boolean).join(' · ');
        hits.push({ ...base, type: 'vehicle', title: v.plateDisplay, subtitle: sub, personId: v.ownerPersonId, apartmentId: null });
      } else if (r.type === 'premise') {
        const m = mById.get(r.id);
        if (!m) continue;
        hits.push({ ...base, type: 'premise', title: m.name, subtitle: [m.buildingName, m.hours].filter(Boolean).join(' · '), personId: null, apartmentId: null });
      } else {
        const a = apartments.get(r.id);
        if (a) hits.push({ ...base, type: 'apartment', title: a.label.split(' · ')[0]!, subtitle: a.label.split(' · ')[1] ?? '', personId: null, apartmentId: a.id });
      }
    }
    return hits;
  }
}
