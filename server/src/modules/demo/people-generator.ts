import { iinCheckDigit } from '@kuzet/contracts';
import { personKeys, premiseKeys, vehicleKeys } from '../people/people.keys.ts';
import type { KeyRow } from '../people/people.repository.ts';
import { kazakhSortKey } from '../people/search-keys.ts';
import * as N from './people-names.ts';
import { intBetween, rng, stableUuid } from './random.ts';

/**
 * Synthetic residents of the demo complex: households in apartments, Kazakh and Russian
 * names, valid IINs, mobile phones, cars with Kazakh plates, ground-floor premises and the
 * management company. Deterministic: the same seed and count give the same people.
 * The first rows are hand-placed look-alikes the search tests rely on.
 */
export interface ApartmentRef { id: string; buildingId: string; buildingName: string; number: string }

export interface GeneratedPeople {
  persons: { id: string; complexId: string; lastName: string; firstName: string; patronymic: string | null; iin: string | null; birthDate: string | null; sex: string; consent: string; source: string; sortKey: string }[];
  phones: { id: string; complexId: string; personId: string; phone: string; label: string }[];
  residencies: { id: string; complexId: string; personId: string; apartmentId: string; relation: string; movedIn: string | null; movedOut: string | null }[];
  vehicles: { id: string; complexId: string; plate: string; plateDisplay: string; make: string; model: string; colour: string; ownerPersonId: string; parkingPlace: string }[];
  premises: { id: string; complexId: string; buildingId: string; name: string; kind: string; contactName: string; phone: string; hours: string; alarmDetails: string }[];
  companies: { id: string; complexId: string; kind: string; name: string; phone: string; email: string; address: string }[];
  caretakers: { id: string; complexId: string; managementCompanyId: string; buildingId: string; name: string; position: string; phone: string }[];
  keys: (KeyRow & { complexId: string })[];
}

/** Hand-placed look-alikes: [last, first, patronymic, sex, building, apartment, phone, plate]. */
export const LOOK_ALIKES = [
  ['Ахметов', 'Алибек', 'Серикович', 'male', 'Блок 1', '10', '77011234567', '777ABC02'],
  ['Ахметова', 'Айгерим', 'Нурлановна', 'female', 'Блок 1', '11', '77017654321', null],
  ['Ахмедов', 'Нурлан', 'Маратович', 'male', 'Блок 2', '20', '77051112233', '123KZA02'],
  ['Алибеков', 'Ерлан', 'Асхатович', 'male', 'Блок 2', '21', '77073334455', null],
  ['Сейтжанов', 'Әлібек', 'Болатұлы', 'male', 'Блок 3', '45', '77475556677', null],
  ['Нуржанов', 'Алибек', 'Кайратович', 'male', 'Блок 4', '30', '77087778899', 'A123BC'],
] as const;

const MOBILE = ['701', '702', '705', '707', '708', '747', '771', '775', '777', '778'];
const PLATE_LETTERS = 'ABCDEFHKLMNOPRSTUXYZ';

export function generatePeople(complexId: string, apartments: ApartmentRef[], count: number, seed = 9): GeneratedPeople {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const out: GeneratedPeople = { persons: [], phones: [], residencies: [], vehicles: [], premises: [], companies: [], caretakers: [], keys: [] };
  const iins = new Set<string>();
  const phones = new Set<string>();
  const plates = new Set<string>();
  const byName = new Map(apartments.map((a) => [`${a.buildingName}/${a.number}`, a]));

  const makeIin = (sex: 'male' | 'female'): { iin: string; birthDate: string } => {
    for (;;) {
      const y = intBetween(r, 1940, 2020);
      const m = intBetween(r, 1, 12);
      const d = intBetween(r, 1, 28);
      const c = y >= 2000 ? (sex === 'male' ? 5 : 6) : sex === 'male' ? 3 : 4;
      const first = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${c}${String(intBetween(r, 0, 9999)).padStart(4, '0')}`;
      const check = iinCheckDigit(first);
      if (check === null || iins.has(first + check)) continue;
      iins.add(first + check);
      return { iin: first + check, birthDate: `${y}-${first.slice(2, 4)}-${first.slice(4, 6)}` };
    }
  };
  const makePhone = (): string => {
    for (;;) {
      const p = `7${pick(MOBILE)}${String(intBetween(r, 0, 9_999_999)).padStart(7, '0')}`;
      if (!phones.has(p)) return phones.add(p), p;
    }
  };
  const makePlate = (): string => {
    for (;;) {
      const p = `${String(intBetween(r, 1, 999)).padStart(3, '0')}${pick([...PLATE_LETTERS])}${pick([...PLATE_LETTERS])}${pick([...PLATE_LETTERS])}${r() < 0.85 ? '02' : '05'}`;
      if (!plates.has(p)) return plates.add(p), p;
    }
  };
  const addVehicle = (owner: string, plate: string) => {
    const [make, models] = pick(N.carMakes);
    const id = stableUuid(`vehicle:${seed}:${plate}`);
    const display = /^\d/.test(plate) ? `${plate.slice(0, 3)} ${plate.slice(3, -2)} ${plate.slice(-2)}` : `${plate[0]} ${plate.slice(1, 4)} ${plate.slice(4)}`;
    out.vehicles.push({ id, complexId, plate, plateDisplay: display, make, model: pick(models), colour: pick(N.colours), ownerPersonId: owner, parkingPlace: `P-${intBetween(r, 1, 400)}` });
    out.keys.push(...vehicleKeys(id, plate).map((k) => ({ ...k, complexId })));
  };
  const addPerson = (p: { lastName: string; firstName: string; patronymic: string | null; sex: 'male' | 'female' }, apt: ApartmentRef, relation: string, phone: string | null, n: number) => {
    const id = stableUuid(`person:${seed}:${n}`);
    const { iin, birthDate } = makeIin(p.sex);
    out.persons.push({ id, complexId, ...p, iin, birthDate, consent: 'law_enforcement', source: 'demo', sortKey: kazakhSortKey([p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' ')) });
    if (phone) out.phones.push({ id: stableUuid(`phone:${seed}:${n}`), complexId, personId: id, phone, label: 'мобильный' });
    out.residencies.push({ id: stableUuid(`residency:${seed}:${n}`), complexId, personId: id, apartmentId: apt.id, relation, movedIn: `${intBetween(r, 2015, 2025)}-0${intBetween(r, 1, 9)}-01`, movedOut: null });
    out.keys.push(...personKeys(id, { ...p, iin }, phone ? [phone] : []).map((k) => ({ ...k, complexId })));
    return id;
  };

  let n = 0;
  for (const [last, first, patr, sex, building, number, phone, plate] of LOOK_ALIKES) {
    const apt = byName.get(`${building}/${number}`) ?? apartments[n % apartments.length]!;
    phones.add(phone);
    const id = addPerson({ lastName: last, firstName: first, patronymic: patr, sex }, apt, 'owner', phone, n++);
    if (plate) {
      plates.add(plate);
      addVehicle(id, plate);
    }
  }

  // Households: a family name per apartment, 1–4 people; some rent.
  let ai = 0;
  while (n < count) {
    const apt = apartments[ai++ % apartments.length]!;
    const kazakh = r() < 0.7;
    const surname = pick(kazakh ? N.kazakhSurnames : N.russianSurnames);
    const size = Math.min(count - n, intBetween(r, 1, 4));
    const father = pick(kazakh ? N.kazakhMale : N.russianMale);
    const relation = r() < 0.15 ? 'tenant' : 'owner';
    for (let k = 0; k < size; k++) {
      const sex: 'male' | 'female' = k === 0 ? (r() < 0.6 ? 'male' : 'female') : r() < 0.5 ? 'male' : 'female';
      const first = pick(sex === 'male' ? (kazakh ? N.kazakhMale : N.russianMale) : kazakh ? N.kazakhFemale : N.russianFemale);
      const lastName = sex === 'female' ? N.femaleSurname(surname) : surname;
      const patronymic = k === 0 || r() < 0.3 ? null : kazakh && r() < 0.5 ? N.kazakhPatronymic(father, sex) : N.russianPatronymic(father, sex);
      const phone = r() < 0.85 ? makePhone() : null;
      const id = addPerson({ lastName, firstName: first, patronymic, sex }, apt, k === 0 ? relation : relation === 'tenant' ? 'tenant' : 'family', phone, n++);
      if (k === 0 && r() < 0.35) addVehicle(id, makePlate());
    }
  }

  // Ground-floor premises, the ОСИ and a caretaker per building.
  const buildings = [...new Map(apartments.map((a) => [a.buildingId, a.buildingName])).entries()];
  const shops: [string, string, string][] = [
    ['Магнум Express', 'shop', '08:00–23:00'], ['Кофейня «Дәмді»', 'cafe', '07:30–22:00'], ['Аптека «Европа»', 'pharmacy', 'круглосуточно'],
    ['Салон красоты «Айсұлу»', 'service', '10:00–20:00'], ['Стоматология «Дент-Люкс»', 'office', '09:00–19:00'], ['ТОО «Алатау Консалт»', 'office', '09:00–18:00'],
    ['Пекарня «Нан»', 'shop', '07:00–21:00'], ['Химчистка «Таза»', 'service', '09:00–20:00'], ['Цветы «Раушан»', 'shop', '08:00–22:00'],
    ['Кафе «Достар»', 'cafe', '10:00–23:00'], ['Small', 'shop', '08:00–23:00'], ['Детский центр «Балапан»', 'office', '09:00–19:00'],
  ];
  shops.forEach(([name, kind, hours], i) => {
    const b = buildings[i % buildings.length]!;
    const id = stableUuid(`premise:${seed}:${i}`);
    const phone = makePhone();
    out.premises.push({ id, complexId, buildingId: b[0], name, kind, contactName: `${pick(N.kazakhSurnames)} ${pick(N.kazakhMale)}`, phone, hours, alarmDetails: `Пульт ЧОП «Қорған», код объекта ${1000 + i}` });
    out.keys.push(...premiseKeys(id, name, phone).map((k) => ({ ...k, complexId })));
  });
  const osi = stableUuid(`osi:${seed}`);
  out.companies.push({ id: osi, complexId, kind: 'osi', name: 'ОСИ «Алатау Сити»', phone: '77273000000', email: 'osi@alatau-city.kz', address: 'Блок 1, офис 2' });
  buildings.forEach(([bid, bname], i) => {
    out.caretakers.push({ id: stableUuid(`caretaker:${seed}:${i}`), complexId, managementCompanyId: osi, buildingId: bid, name: `${pick(N.russianSurnames)} ${pick(N.russianMale)} (${bname})`, position: 'дворник-смотритель', phone: makePhone() });
  });
  return out;
}
