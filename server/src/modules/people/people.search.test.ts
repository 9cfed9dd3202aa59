import type { Role, SearchHit } from '@kuzet/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { Actor } from '../auth/actor.ts';
import { DemoService } from '../demo/demo.service.ts';
import { rng } from '../demo/random.ts';
import { buildingKey, kazakhSortKey, queryFacts } from './search-keys.ts';
import { generatedQueries, rankOutcome, tally, withUniqueNames, type Outcome, type RankPerson } from './testdata/ranking.ts';

// Acceptance 1 of issue 9: each query form finds the intended person or vehicle first on
// the demo residents seeded with look-alikes; and ≥ 95 % of 500 generated queries do.
describe('the search box on 4,000 demo residents with look-alikes', () => {
  let t: TestApp;
  let inspector: Actor;
  let operator: Actor;
  const actor = (role: Role): Actor => ({ id: crypto.randomUUID(), username: role, displayName: role, role, complexId: t.complexId, districtId: null });
  const search = (q: string, who: Actor = inspector, limit = 10) => t.services.peopleSearch.search(who, t.complexId, { q, limit, submitted: 'false' });
  const first = async (q: string) => (await search(q))[0];

  beforeAll(async () => {
    t = await createTestApp();
    await new DemoService(t.env.handle.db, t.services).seedPeople(4000);
    inspector = actor('inspector');
    operator = actor('operator');
  }, 300_000);
  afterAll(async () => t?.close());

  it.each([
    ['Ахметов', 'Ахметов Алибек Серикович'],
    ['Akhmetov', 'Ахметов Алибек Серикович'],
    ['Ahmetov', 'Ахметов Алибек Серикович'],
    ['Ахметова', 'Ахметова Айгерим Нурлановна'],
    ['Akhmetova', 'Ахметова Айгерим Нурлановна'],
    ['Ахмедов', 'Ахмедов Нурлан Маратович'],
    ['Әлібек', 'Сейтжанов Әлібек Болатұлы'],
    ['Алибеков', 'Алибеков Ерлан Асхатович'],
    ['Ахметов Алибек', 'Ахметов Алибек Серикович'],
    ['Akhmetov Alibek', 'Ахметов Алибек Серикович'],
    ['Ahmetов Алибек', 'Ахметов Алибек Серикович'], // mixed alphabets in one word
    ['Ахмтов', 'Ахметов Алибек Серикович'], // a letter missing
    ['Akhmetof', 'Ахметов Алибек Серикович'], // a wrong letter
    ['Ахметвоа', 'Ахметова Айгерим Нурлановна'], // swapped letters
    ['Seitzhanov Älıbek', 'Сейтжанов Әлібек Болатұлы'], // Kazakh Latin 2021
    ['8 701 123 45 67', 'Ахметов Алибек Серикович'],
    ['+7 (701) 123-45-67', 'Ахметов Алибек Серикович'],
    ['87017654321', 'Ахметова Айгерим Нурлановна'],
  ])('«%s» finds %s first', async (q, name) => {
    expect((await first(q))?.title).toBe(name);
  });

  it('«Ахметова» ranks Ахметова above Ахметов, and Ахметов above Ахмедов', async () => {
    const titles = (await search('Ахметова')).map((h) => h.title);
    const i = (n: string) => titles.indexOf(n);
    expect(i('Ахметова Айгерим Нурлановна')).toBe(0);
    expect(i('Ахметов Алибек Серикович')).toBeGreaterThan(0);
    const t2 = (await search('Ахметов')).map((h) => h.title);
    expect(t2.slice(0, 2)).toEqual(['Ахметов Алибек Серикович', 'Ахметова Айгерим Нурлановна']);
    expect(t2.indexOf('Ахмедов Нурлан Маратович')).toBeGreaterThan(1);
  });

  const alibeks = ['Ахметов Алибек Серикович', 'Нуржанов Алибек Кайратович', 'Сейтжанов Әлібек Болатұлы'];
  it('«Alibek» finds Алибек and Әлібек alike, before Алибеков', async () => {
    const titles = (await search('Alibek')).map((h) => h.title);
    expect(titles.slice(0, 3).sort()).toEqual(alibeks);
    expect(titles.indexOf('Алибеков Ерлан Асхатович')).toBeGreaterThan(2);
  });

  it('«Алибек» puts the two Алибек first (in list order), then Әлібек, then Алибеков', async () => {
    const titles = (await search('Алибек')).map((h) => h.title);
    expect(titles.slice(0, 4)).toEqual([alibeks[0], alibeks[1], alibeks[2], 'Алибеков Ерлан Асхатович']);
  });

  it.each([['777 ABC 02'], ['777авс02'], ['777 АВС 02'], ['777abc02'], ['777 ABC']])('plate «%s» finds the car 777 ABC 02 first', async (q) => {
    const h = (await first(q)) as SearchHit;
    expect([h.type, h.title]).toEqual(['vehicle', '777 ABC 02']);
    expect(h.subtitle).toContain('Ахметов Алибек');
  });

  it('an old-generation plate typed in Cyrillic: «а 123 вс»', async () => {
    expect((await first('а 123 вс'))?.title).toBe('A 123 BC');
  });

  it.each([['блок 3 кв 45'], ['Блок 3, кв. 45'], ['block 3 apt 45']])('«%s» finds the apartment, then who lives there', async (q) => {
    const hits = await search(q);
    expect([hits[0]?.type, hits[0]?.title]).toEqual(['apartment', 'Блок 3, кв. 45']);
    expect(hits.map((h) => h.title)).toContain('Сейтжанов Әлібек Болатұлы');
  });

  it('premises by name in either alphabet', async () => {
    expect((await first('Dәmdi'))?.title).toBe('Кофейня «Дәмді»');
    expect((await first('аптека'))?.title).toBe('Аптека «Европа»');
  });

  it('finds by IIN for the inspector; refuses an IIN search to the operator', async () => {
    const card = await t.services.people.card(inspector, (await first('Ахметова'))!.personId!, 'test');
    expect((await first(card.iin!))?.title).toBe('Ахметова Айгерим Нурлановна');
    await expect(search(card.iin!, operator)).rejects.toMatchObject({ code: 'IIN_SEARCH_FORBIDDEN' });
    // A prefix of an IIN finds nothing for an operator: no hit confirms a number.
    expect((await search(card.iin!.slice(0, 8), operator)).filter((h) => h.type === 'person')).toEqual([]);
  });

  it('sorts the list in Kazakh alphabetical order, the order the search breaks ties in', async () => {
    const names: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await t.services.people.list(inspector, t.complexId, { limit: 200, offset, archived: 'false' });
      names.push(...page.items.map((p) => p.name));
      if (page.items.length < 200) break;
    }
    expect(names.length).toBe(4000);
    const keys = names.map(kazakhSortKey);
    expect(keys).toEqual([...keys].sort());
    // Ә sorts right after А, before Б (not after Я as a byte order would put it).
    const iA = names.findIndex((n) => n.startsWith('Абд'));
    const iAe = names.findIndex((n) => n.startsWith('Әбенов'));
    const iB = names.findIndex((n) => n.startsWith('Бай'));
    expect(iA).toBeLessThan(iAe);
    expect(iAe).toBeLessThan(iB);
    // Ties in the search (same skeleton, same score) come in the list's order.
    const hits = (await search('Иванов', inspector, 50)).filter((h) => h.match === 'exact');
    const hk = hits.map((h) => kazakhSortKey(h.title));
    expect(hk).toEqual([...hk].sort());
  });

  /** Every resident with a home, a birth date and a phone, as the generated queries see them. */
  async function rankPeople(): Promise<RankPerson[]> {
    const db = t.env.handle.db;
    const persons = await db.selectFrom('persons').select(['id', 'lastName', 'firstName', sql<string | null>`to_char(birth_date, 'YYYY-MM-DD')`.as('birthDate')]).where('complexId', '=', t.complexId).orderBy('id').execute();
    const homes = await db.selectFrom('residencies as r').innerJoin('apartments as a', 'a.id', 'r.apartmentId').innerJoin('buildings as b', 'b.id', 'a.buildingId').select(['r.personId', 'a.number', 'b.name']).orderBy('r.personId').orderBy('a.number').execute();
    const phones = await db.selectFrom('personPhones').select(['personId', 'phone']).orderBy('personId').orderBy('phone').execute();
    const home = new Map<string, { building: string; apartment: string }>();
    for (const h of homes) if (!home.has(h.personId)) home.set(h.personId, { building: buildingKey(h.name), apartment: h.number });
    const phone = new Map<string, string>();
    for (const ph of phones) if (!phone.has(ph.personId)) phone.set(ph.personId, ph.phone);
    return persons.map((p) => ({ ...p, home: home.get(p.id) ?? null, phone: phone.get(p.id) ?? null }));
  }

  it('finds the intended resident first (or tied with namesakes) for ≥ 95 % of 500 generated queries (another alphabet + one typo)', async () => {
    const people = await rankPeople();
    const nameOf = new Map(people.map((p) => [p.id, `${p.lastName} ${p.firstName}`]));
    const outcomes: Outcome[] = [];
    const misses: string[] = [];
    for (const { q, person } of generatedQueries(people, 500, rng(20261129))) {
      const o = rankOutcome(await search(q, inspector, 50), { id: person.id, name: `${person.lastName} ${person.firstName}` }, (id) => nameOf.get(id));
      outcomes.push(o);
      if (o === 'miss') misses.push(`${q} (wanted ${person.lastName} ${person.firstName})`);
    }
    const r = tally(outcomes);
    console.log(`generated queries, name only: ${r.first}/500 the very person first, ${r.firstOrTied}/500 first or tied with namesakes at the top; misses: ${misses.slice(0, 10).join('; ')}`);
    expect(r.firstOrTied).toBeGreaterThanOrEqual(475);
  }, 300_000);

  it('puts the very person first for ≥ 95 % of 500 generated queries for residents whose name no one else has', async () => {
    const people = await rankPeople();
    const unique = withUniqueNames(people);
    expect(unique.length).toBeGreaterThan(500);
    const outcomes: Outcome[] = [];
    const misses: string[] = [];
    for (const { q, person } of generatedQueries(unique, 500, rng(20261201))) {
      const o = rankOutcome(await search(q, inspector, 50), { id: person.id, name: `${person.lastName} ${person.firstName}` }, () => undefined);
      outcomes.push(o);
      if (o !== 'first') misses.push(`${q} (wanted ${person.lastName} ${person.firstName})`);
    }
    const r = tally(outcomes);
    console.log(`generated queries, unique names (${unique.length} of ${people.length} residents): ${r.first}/500 the very person first; misses: ${misses.slice(0, 10).join('; ')}`);
    expect(r.first).toBeGreaterThanOrEqual(475);
  }, 300_000);

  it('a query that carries an apartment, birth year or phone digits puts the very person first for ≥ 95 % of 500 generated queries', async () => {
    const people = await rankPeople();
    const outcomes: Outcome[] = [];
    const misses: string[] = [];
    for (const { q, person } of generatedQueries(people, 500, rng(20261130), true)) {
      const o = rankOutcome(await search(q, inspector, 50), { id: person.id, name: `${person.lastName} ${person.firstName}` }, () => undefined);
      outcomes.push(o);
      if (o !== 'first') misses.push(`${q} (wanted ${person.lastName} ${person.firstName})`);
    }
    const r = tally(outcomes);
    console.log(`generated queries with a fact: ${r.first}/500 the very person first; misses: ${misses.slice(0, 10).join('; ')}`);
    expect(r.first).toBeGreaterThanOrEqual(475);
  }, 300_000);

  it('namesakes: the apartment, building, birth year or phone digits in the query decide which one is first', async () => {
    const people = await rankPeople();
    // Namesakes (same surname and first name) with different homes, years and phones.
    const groups = new Map<string, RankPerson[]>();
    for (const p of people) groups.set(`${p.lastName} ${p.firstName}`, [...(groups.get(`${p.lastName} ${p.firstName}`) ?? []), p]);
    const pair = [...groups.entries()].find(([, g]) => g.length >= 2 && g[0]!.home && g[1]!.home && g[0]!.home.apartment !== g[1]!.home.apartment && g[0]!.birthDate?.slice(0, 4) !== g[1]!.birthDate?.slice(0, 4) && g[0]!.phone && g[1]!.phone);
    expect(pair).toBeDefined();
    const [name, group] = pair!;
    // Whichever of them the name alone puts first, each is first when the query says which.
    const plain = await search(name);
    expect(group.map((g) => g.id)).toContain(plain[0]!.personId);
    for (const g of group.slice(0, 2)) {
      for (const q of [`${name} кв ${g.home!.apartment}`, `${name} блок ${g.home!.building} кв ${g.home!.apartment}`, `${name} ${g.birthDate!.slice(0, 4)}`, `${name} ${g.phone!.slice(-4)}`, `${name} ${g.birthDate!.slice(8, 10)}.${g.birthDate!.slice(5, 7)}.${g.birthDate!.slice(0, 4)}`]) {
        expect([q, (await search(q))[0]?.personId]).toEqual([q, g.id]);
      }
    }
  }, 120_000);

  it('reads the facts out of a name query', () => {
    expect(queryFacts('Ахметов Алибек блок 3 кв 45')).toMatchObject({ rest: 'ахметов алибек', building: '3', apartment: '45' });
    expect(queryFacts('Ахметов 1985')).toMatchObject({ rest: 'ахметов', birthYear: 1985, phone: null });
    expect(queryFacts('Ахметов 12.03.1985')).toMatchObject({ birthYear: 1985, birthDate: '1985-03-12' });
    expect(queryFacts('Ахметов 4567')).toMatchObject({ phone: '4567', apartment: null });
    expect(queryFacts('Ахметов 45')).toMatchObject({ apartment: '45', phone: null });
    expect(queryFacts('Akhmetov Alibek 8 701 123 45 67')).toMatchObject({ rest: 'akhmetov alibek', phone: '77011234567' });
    expect(queryFacts('Ахметов Алибек Серикович')).toMatchObject({ rest: 'ахметов алибек серикович', apartment: null, birthYear: null, phone: null });
  });
});
