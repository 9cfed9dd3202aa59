import { normalisePhone, parseIin, type ImportField, type ImportProblemCode, type ImportRow } from '@kuzet/contracts';
import type { BulkCreate, BulkPerson, BulkUpdate, RegistryApartment, RegistryPerson } from '../people/people.bulk.ts';
import { apartmentOfQuery, buildingKey } from '../people/search-keys.ts';
import { fold, parseDate, parseRelation, splitFullName, splitPhones, type RawRow } from './import.columns.ts';

export interface Plan {
  rows: ImportRow[];
  creates: BulkCreate[];
  updates: BulkUpdate[];
  /** Registry people (not archived, living in the complex) no row of the file names. */
  missing: string[];
}

/** «АХМЕТОВ» → «Ахметов»: lists often shout; mixed case is kept as written. */
export function tidyName(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  if (t !== t.toUpperCase() || t === t.toLowerCase()) return t;
  return t.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

const nameKey = (p: { lastName: string; firstName: string; patronymic: string | null }, birthDate: string | null, apartmentId: string) =>
  `${fold(`${p.lastName} ${p.firstName} ${p.patronymic ?? ''}`)}|${birthDate ?? ''}|${apartmentId}`;

const aptLabel = (a: RegistryApartment) => `${a.buildingName}, кв. ${a.number}`;

/**
 * Compares a list's rows with the registry: each row is new, changed (with its changed
 * fields), unchanged or invalid (with its problems). A person is the same when the IIN
 * is, else when name, birth date and apartment are. Pure: writes nothing.
 */
export class Planner {
  private readonly byIin = new Map<string, RegistryPerson>();
  private readonly byName = new Map<string, RegistryPerson>();
  private readonly aptByKey = new Map<string, RegistryApartment>();
  private readonly aptByNumber = new Map<string, RegistryApartment[]>();
  private readonly seen = new Map<string, number>();
  private readonly matched = new Set<string>();
  readonly plan: Plan = { rows: [], creates: [], updates: [], missing: [] };

  constructor(
    private readonly persons: RegistryPerson[],
    apartments: RegistryApartment[],
    private readonly today: Date,
  ) {
    for (const p of persons) {
      if (p.iin) this.byIin.set(p.iin, p);
      for (const r of p.residencies) {
        if (r.movedOut) continue;
        this.byName.set(nameKey(p, p.birthDate, r.apartmentId), p);
        this.byName.set(nameKey(p, null, r.apartmentId), p);
      }
    }
    for (const a of apartments) {
      this.aptByKey.set(`${buildingKey(a.buildingName)}|${a.number.toLowerCase()}`, a);
      const list = this.aptByNumber.get(a.number.toLowerCase()) ?? [];
      list.push(a);
      this.aptByNumber.set(a.number.toLowerCase(), list);
    }
  }

  private apartment(raw: RawRow): { apt: RegistryApartment | null; text: string } {
    let building = raw.building ?? null;
    let number = raw.apartment ?? null;
    const label = raw.label ?? (number && !/^\d+\s*[а-яa-z]?$/i.test(number) ? number : null);
    if (label) {
      const q = apartmentOfQuery(label);
      if (q) [building, number] = [q.building ?? building, q.apartment];
    }
    const text = [raw.building, raw.entrance && `подъезд ${raw.entrance}`, raw.label ?? raw.apartment].filter(Boolean).join(', ');
    const n = number?.replace(/^(кв|квартира|apt)\.?\s*/i, '').trim().toLowerCase();
    if (!n) return { apt: null, text };
    let apt: RegistryApartment | null = null;
    if (building) apt = this.aptByKey.get(`${buildingKey(building)}|${n}`) ?? null;
    else {
      const list = this.aptByNumber.get(n) ?? [];
      apt = list.length === 1 ? list[0]! : null; // without a building only a number unique in the complex is an address
    }
    if (apt && raw.entrance && Number(raw.entrance.replace(/\D/g, '')) !== apt.entranceNumber) apt = null;
    return { apt, text };
  }

  add(line: number, raw: RawRow): void {
    const problems: { code: ImportProblemCode; detail: string }[] = [];
    const bad = (code: ImportProblemCode, detail = '') => problems.push({ code, detail });
    const names = raw.fullName && !raw.lastName ? splitFullName(raw.fullName) : { lastName: raw.lastName ?? '', firstName: raw.firstName ?? '', patronymic: raw.patronymic ?? null };
    const lastName = tidyName(names.lastName);
    const firstName = tidyName(names.firstName);
    const patronymic = names.patronymic ? tidyName(names.patronymic) : null;
    if (!lastName) bad('missing_last_name');
    if (!firstName) bad('missing_first_name');

    const { apt, text } = this.apartment(raw);
    if (!raw.apartment && !raw.label) bad('missing_apartment');
    else if (!apt) bad('unknown_apartment', text);

    let iin: { iin: string; birthDate: string; sex: 'male' | 'female'; implausible: boolean } | null = null;
    if (raw.iin) {
      const r = parseIin(raw.iin, this.today);
      if (r.ok) iin = r.info;
      else bad('bad_iin', r.reason);
    }
    let birthDate: string | null = null;
    if (raw.birthDate) {
      birthDate = parseDate(raw.birthDate);
      if (!birthDate) bad('bad_birth_date', raw.birthDate);
    }
    if (iin && birthDate && iin.birthDate !== birthDate) bad('birth_date_mismatch', `${birthDate} ≠ ${iin.birthDate}`);
    birthDate = iin?.birthDate ?? birthDate;

    const phones: string[] = [];
    for (const ph of splitPhones(raw.phones)) {
      const r = normalisePhone(ph);
      if (r.ok) {
        if (!phones.includes(r.phone)) phones.push(r.phone);
      } else bad('bad_phone', ph);
    }
    const relation = parseRelation(raw.relation);
    if (!relation) bad('bad_relation', raw.relation ?? '');
    let movedIn: string | null = null;
    if (raw.movedIn) {
      movedIn = parseDate(raw.movedIn);
      if (!movedIn) bad('bad_moved_in', raw.movedIn);
    }

    const person = { lastName, firstName, patronymic };
    // Who this row is: by IIN, else by name + birth date + apartment.
    let match: RegistryPerson | undefined;
    if (apt && lastName && firstName) {
      const byName = this.byName.get(nameKey(person, birthDate, apt.id));
      if (iin) {
        match = this.byIin.get(iin.iin);
        if (!match && byName) {
          if (byName.iin && byName.iin !== iin.iin) bad('duplicate_in_registry', `${byName.lastName} ${byName.firstName}: ${byName.iin}`);
          else match = byName;
        }
      } else match = byName;
    } else if (iin) match = this.byIin.get(iin.iin);

    const identities = [iin?.iin, apt && lastName ? nameKey(person, birthDate, apt.id) : undefined, match && `person:${match.id}`].filter((x): x is string => !!x);
    const first = identities.map((k) => this.seen.get(k)).find((l) => l !== undefined);
    if (first !== undefined) bad('duplicate_in_file', String(first));
    for (const k of identities) if (!this.seen.has(k)) this.seen.set(k, line);
    if (match) this.matched.add(match.id);

    const row: ImportRow = { line, status: 'invalid', name: [lastName, firstName, patronymic].filter(Boolean).join(' '), apartment: apt ? aptLabel(apt) : text, iin: iin?.iin ?? raw.iin ?? null, personId: match?.id ?? null, problems, changes: [] };
    this.plan.rows.push(row);
    if (problems.length || !apt || !relation) return;

    const residency = { apartmentId: apt.id, relation, movedIn };
    if (!match) {
      row.status = 'new';
      const p: BulkPerson = { ...person, iin: iin?.iin ?? null, iinImplausible: iin?.implausible ?? false, birthDate, sex: iin?.sex ?? null, phones };
      this.plan.creates.push({ person: p, residency });
      return;
    }
    const update = this.compare(match, row, { ...person, iin, birthDate, phones }, residency, aptLabel(apt));
    row.status = update ? 'changed' : 'unchanged';
    if (update) this.plan.updates.push(update);
  }

  /** The changed fields of a known person; a list adds and corrects, it never clears what it leaves empty. */
  private compare(
    p: RegistryPerson,
    row: ImportRow,
    r: { lastName: string; firstName: string; patronymic: string | null; iin: { iin: string; birthDate: string; sex: 'male' | 'female'; implausible: boolean } | null; birthDate: string | null; phones: string[] },
    residency: { apartmentId: string; relation: string; movedIn: string | null },
    label: string,
  ): BulkUpdate | null {
    const change = (field: ImportField, from: string | null, to: string | null) => row.changes.push({ field, from: from ?? '', to: to ?? '' });
    const next: BulkPerson = { lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic, iin: p.iin, iinImplausible: false, birthDate: p.birthDate, sex: null, phones: [...p.phones] };
    for (const f of ['lastName', 'firstName', 'patronymic'] as const) {
      const v = r[f];
      if (v && fold(v) !== fold(p[f] ?? '')) {
        change(f, p[f], v);
        next[f] = v;
      }
    }
    if (r.iin && !p.iin) {
      change('iin', null, r.iin.iin);
      next.iin = r.iin.iin;
    }
    if (r.birthDate && r.birthDate !== p.birthDate) {
      change('birthDate', p.birthDate, r.birthDate);
      next.birthDate = r.birthDate;
    }
    const addPhones = r.phones.filter((ph) => !p.phones.includes(ph));
    if (addPhones.length) {
      next.phones.push(...addPhones);
      change('phones', p.phones.join(', '), next.phones.join(', '));
    }
    const cur = p.residencies.find((x) => x.apartmentId === residency.apartmentId && !x.movedOut);
    let res: BulkUpdate['residency'] = null;
    if (!cur) {
      change('apartment', null, label);
      res = { ...residency, op: 'add' };
    } else {
      if (cur.relation !== residency.relation) change('relation', cur.relation, residency.relation);
      if (residency.movedIn && residency.movedIn !== cur.movedIn) change('movedIn', cur.movedIn, residency.movedIn);
      else residency.movedIn = cur.movedIn;
      if (cur.relation !== residency.relation || cur.movedIn !== residency.movedIn) res = { ...residency, op: 'update' };
    }
    if (!row.changes.length) return null;
    // Sex and implausibility follow the IIN the person ends with.
    const info = next.iin ? parseIin(next.iin, this.today) : null;
    if (info?.ok) Object.assign(next, { iinImplausible: info.info.implausible, sex: info.info.sex });
    const keysChanged = row.changes.some((c) => ['lastName', 'firstName', 'patronymic', 'iin', 'phones'].includes(c.field));
    return { personId: p.id, person: next, addPhones, residency: res, keysChanged };
  }

  /** Ends the plan: the registry's people the file did not name. */
  finish(): Plan {
    this.plan.missing = this.persons.filter((p) => !p.archived && !this.matched.has(p.id) && p.residencies.some((r) => !r.movedOut)).map((p) => p.id);
    return this.plan;
  }
}
