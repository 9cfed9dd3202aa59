import type { Cells } from './import.read.ts';

/** The fields a list's columns can mean. `label` is a whole address («блок 3 кв 45»); `fullName` is ФИО in one cell. */
export type Column = 'building' | 'entrance' | 'apartment' | 'label' | 'lastName' | 'firstName' | 'patronymic' | 'fullName' | 'iin' | 'birthDate' | 'phones' | 'relation' | 'movedIn';

/** Headers as management companies write them, in Russian, Kazakh and English; compared folded (see fold). */
const HEADERS: Record<Column, string[]> = {
  building: ['блок', 'корпус', 'дом', 'здание', 'строение', 'building', 'block', 'bldg', 'house', 'үй', 'блок корпус'],
  entrance: ['подъезд', 'подьезд', 'entrance', 'kireberis', 'кіреберіс', 'подъезд №', 'entrance no'],
  apartment: ['квартира', 'кв', 'номер квартиры', 'квартира №', 'кв №', 'apartment', 'apt', 'flat', 'apartment no', 'пәтер', 'пәтер нөмірі'],
  label: ['адрес', 'address', 'мекенжай', 'помещение'],
  lastName: ['фамилия', 'surname', 'last name', 'lastname', 'family name', 'тегі'],
  firstName: ['имя', 'first name', 'firstname', 'given name', 'name', 'аты'],
  patronymic: ['отчество', 'patronymic', 'middle name', 'әкесінің аты'],
  fullName: ['фио', 'ф и о', 'full name', 'аты жөні', 'тааж', 'resident'],
  iin: ['иин', 'iin', 'жсн', 'иин жсн'],
  birthDate: ['дата рождения', 'д р', 'др', 'date of birth', 'birth date', 'birthdate', 'dob', 'туған күні'],
  phones: ['телефон', 'телефоны', 'тел', 'контактный телефон', 'моб телефон', 'phone', 'phones', 'telephone', 'mobile'],
  relation: ['роль', 'статус', 'отношение', 'отношение к квартире', 'кем является', 'role', 'relation', 'status', 'мәртебесі'],
  movedIn: ['дата заселения', 'заселен', 'заселение', 'дата въезда', 'въезд', 'moved in', 'move in date', 'moved in date', 'move in', 'кірген күні'],
};

export function fold(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}№]+/gu, ' ').trim();
}

const BY_HEADER = new Map<string, Column>(Object.entries(HEADERS).flatMap(([col, names]) => names.map((n) => [fold(n), col as Column] as const)));

/** Which column of the header row is which field; unknown headers map to null (ignored, shown in the preview). */
export function mapHeader(header: Cells): (Column | null)[] {
  const seen = new Set<Column>();
  return header.map((h) => {
    const col = BY_HEADER.get(fold(h)) ?? BY_HEADER.get(fold(h).replace(/\s*№$/, '')) ?? null;
    if (!col || seen.has(col)) return null;
    seen.add(col);
    return col;
  });
}

/** A header that names a person and an address: surname and name (or ФИО) and an apartment (or an address). */
export function usableHeader(cols: (Column | null)[]): boolean {
  const has = (c: Column) => cols.includes(c);
  return ((has('lastName') && has('firstName')) || has('fullName')) && (has('apartment') || has('label'));
}

/** One row as raw text per field (cells trimmed; `="…"` of Excel exports unwrapped). */
export type RawRow = Partial<Record<Column, string>>;

export function rawRow(cols: (Column | null)[], cells: Cells): RawRow {
  const out: RawRow = {};
  cols.forEach((c, i) => {
    if (!c) return;
    let v = (cells[i] ?? '').trim();
    const m = /^="(.*)"$/.exec(v);
    if (m) v = m[1]!;
    if (v) out[c] = v;
  });
  return out;
}

export type Relation = 'owner' | 'tenant' | 'registered' | 'family';
const RELATIONS: Record<Relation, string[]> = {
  owner: ['собственник', 'собственница', 'владелец', 'владелица', 'хозяин', 'owner', 'меншік иесі', 'иесі'],
  tenant: ['арендатор', 'наниматель', 'квартиросъемщик', 'съемщик', 'tenant', 'renter', 'жалға алушы'],
  registered: ['прописан', 'прописана', 'зарегистрирован', 'зарегистрирована', 'прописка', 'registered', 'тіркелген'],
  family: ['член семьи', 'семья', 'родственник', 'family', 'family member', 'отбасы мүшесі'],
};
const BY_RELATION = new Map<string, Relation>(Object.entries(RELATIONS).flatMap(([r, names]) => names.map((n) => [fold(n), r as Relation] as const)));

/** The relation a cell names; an empty cell is `registered` (the lists' default), an unknown word null. */
export function parseRelation(v: string | undefined): Relation | null {
  if (!v) return 'registered';
  return BY_RELATION.get(fold(v)) ?? null;
}

/** 15.03.1987, 15/03/1987, 1987-03-15 (also an Excel date cell, already ISO), or an Excel serial day number. */
export function parseDate(v: string): string | null {
  let y: number, m: number, d: number;
  let r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v))) [y, m, d] = [Number(r[3]), Number(r[2]), Number(r[1])];
  else if (/^\d{5}$/.test(v)) {
    const t = new Date(Date.UTC(1899, 11, 30) + Number(v) * 86_400_000);
    [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  } else return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (y < 1880 || y > 2100 || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Phones in one cell: separated by commas, semicolons or slashes. */
export function splitPhones(v: string | undefined): string[] {
  return v ? v.split(/[,;/\n]+/).map((s) => s.trim()).filter(Boolean) : [];
}

/** ФИО in one cell → surname, name, patronymic (the rest of the words). */
export function splitFullName(v: string): { lastName: string; firstName: string; patronymic: string | null } {
  const [last = '', first = '', ...rest] = v.split(/\s+/).filter(Boolean);
  return { lastName: last, firstName: first, patronymic: rest.length ? rest.join(' ') : null };
}
