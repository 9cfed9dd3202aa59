import crypto from 'node:crypto';
import type { Role } from '@kuzet/contracts';
import type { Database } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import { demoCameraRequests } from './demo-cameras.ts';
import { generatePeople } from './people-generator.ts';
import { generateDemoSite } from './site-generator.ts';
import { seedDemoZones } from '../zones/demo-zones.ts';

export const DEMO_SEEDED_KEY = 'demo.seeded';
export const DEMO_CAMERAS_KEY = 'demo.cameras';
export const DEMO_ZONES_KEY = 'demo.detection-zones';
export const DEMO_PEOPLE_KEY = 'demo.people';
export const DEMO_PREVENTION_KEY = 'demo.prevention';
/** Demo preventive registry records (issue 9): a few residents, some due today, some overdue. */
export const DEMO_PREVENTION_RECORDS = 14;
/** Synthetic residents of the demo complex (issue 9). */
export const DEMO_RESIDENTS = 4000;

export interface DemoLogin {
  username: string;
  role: Role;
  password: string;
}

/**
 * Seeds the demo complex once. Later issues plug in more steps (residents,
 * cameras…) by adding to `steps`; each step runs once, recorded in settings.
 */
export class DemoService {
  constructor(
    private readonly db: Database,
    private readonly services: Services,
  ) {}

  async isSeeded(): Promise<boolean> {
    return !!(await this.db.selectFrom('settings').select('key').where('key', '=', DEMO_SEEDED_KEY).executeTakeFirst());
  }

  /**
   * Each step runs once. Returns the demo logins when the users were seeded now, or
   * null when the demo was already there. Cameras point at the simulator on `simPort`.
   */
  async seed(
    passwordFromEnv: string | null,
    cameras: { simPort: number; count: number } | null = null,
    residents = 0,
  ): Promise<{ logins: DemoLogin[]; generatedPassword: boolean } | null> {
    const result = (await this.isSeeded()) ? null : await this.seedSiteAndUsers(passwordFromEnv);
    if (residents > 0 && !(await this.hasKey(DEMO_PEOPLE_KEY))) await this.seedPeople(residents);
    if (residents > 0 && !(await this.hasKey(DEMO_PREVENTION_KEY))) await this.seedPrevention();
    if (cameras && cameras.count > 0 && !(await this.hasKey(DEMO_CAMERAS_KEY))) await this.seedCameras(cameras.simPort, cameras.count);
    // Issue 10 (alerts helper): default detection zones, once (also for a demo seeded before zones existed).
    if (cameras && cameras.count > 0 && !(await this.hasKey(DEMO_ZONES_KEY))) {
      const n = await seedDemoZones(this.db, this.services.zones);
      await this.db.insertInto('settings').values({ key: DEMO_ZONES_KEY, value: JSON.stringify({ cameras: n }) }).execute();
    }
    return result;
  }

  private async hasKey(key: string): Promise<boolean> {
    return !!(await this.db.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst());
  }

  /** Residents, vehicles, premises and the ОСИ of the demo complex; once (settings.demo.people). */
  async seedPeople(count: number, seed = 9): Promise<void> {
    const complexId = generateDemoSite().complex.id;
    const repo = this.services.people.repo;
    const data = generatePeople(complexId, await repo.apartmentRefs(complexId), count, seed);
    await repo.bulkInsert(data);
    await this.db.insertInto('settings').values({ key: DEMO_PEOPLE_KEY, value: JSON.stringify({ count, seed }) }).execute();
  }

  /**
   * A few residents on the preventive registry, answered for by the demo inspector: with
   * dates relative to today (Almaty), so the day list always has a check-in due today and
   * an overdue one, and the rest later. Written directly (no audit rows: nobody did this).
   */
  async seedPrevention(count = DEMO_PREVENTION_RECORDS): Promise<void> {
    const complexId = generateDemoSite().complex.id;
    const inspector = await this.services.users.findRowByUsername('inspector');
    const adults = await this.db
      .selectFrom('persons')
      .select('id')
      .where('complexId', '=', complexId)
      .where('archivedAt', 'is', null)
      .where('birthDate', '<', '2006-01-01')
      .orderBy('id')
      .execute();
    const categories = await this.db.selectFrom('preventionCategories').select('code').where('active', '=', true).where('track', '=', 'adult').orderBy('sort').execute();
    if (!inspector || !adults.length || !categories.length) return;
    const today = this.services.prevention.today();
    const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const periodicities = ['monthly', 'weekly', 'biweekly', 'quarterly'] as const;
    const step = Math.max(1, Math.floor(adults.length / count));
    const rows = [];
    for (let i = 0; i < count && i * step < adults.length; i++) {
      const startsOn = day(-(30 + 17 * i));
      // Two due today, two overdue, the rest in the coming weeks.
      const due = i % 7 === 0 ? 0 : i % 7 === 1 ? -(2 + i) : 3 + 2 * i;
      rows.push({
        id: crypto.randomUUID(),
        complexId,
        personId: adults[i * step]!.id,
        categoryCode: categories[i % categories.length]!.code,
        basis: `Рапорт участкового инспектора № ${120 + i} от ${startsOn.split('-').reverse().join('.')}`,
        startsOn,
        endsOn: i % 3 === 0 ? day(365 - 17 * i) : null,
        inspectorId: inspector.id,
        periodicity: periodicities[i % periodicities.length]!,
        nextDueOn: day(due),
        createdBy: inspector.id,
      });
    }
    if (rows.length) await this.db.insertInto('preventionRecords').values(rows).execute();
    await this.db.insertInto('settings').values({ key: DEMO_PREVENTION_KEY, value: JSON.stringify({ count: rows.length }) }).execute();
  }

  private async seedCameras(simPort: number, count: number): Promise<void> {
    const site = generateDemoSite();
    for (const req of demoCameraRequests(site, simPort, count)) await this.services.cameras.create(null, site.complex.id, req);
    await this.db.insertInto('settings').values({ key: DEMO_CAMERAS_KEY, value: JSON.stringify({ simPort, count }) }).execute();
  }

  private async seedSiteAndUsers(passwordFromEnv: string | null): Promise<{ logins: DemoLogin[]; generatedPassword: boolean }> {
    const site = generateDemoSite();
    if (!(await this.services.site.complexExists(site.complex.id))) {
      await this.services.siteRepo.insertSite({
        districts: [site.district],
        complexes: [site.complex],
        buildings: site.buildings.map((b) => ({ ...b, footprint: JSON.stringify(b.footprint) })),
        entrances: site.entrances.map((e) => ({ ...e, position: JSON.stringify(e.position) })),
        apartments: site.apartments,
        zones: site.zones.map((z) => ({ ...z, polygon: JSON.stringify(z.polygon) })),
      });
    }
    const password = passwordFromEnv ?? generatePassword();
    const people: { username: string; displayName: string; role: Role }[] = [
      { username: 'admin', displayName: 'Администратор поста', role: 'admin' },
      { username: 'chief', displayName: 'Начальник ОП Бостандыкского района', role: 'district_chief' },
      { username: 'inspector', displayName: 'Участковый инспектор Ержанов А. К.', role: 'inspector' },
      { username: 'operator', displayName: 'Дежурный Садыкова Д. М.', role: 'operator' },
      { username: 'partner', displayName: 'Инженер УК «Алатау Сервис»', role: 'partner' },
      { username: 'resident', displayName: 'Житель (демо)', role: 'resident' },
    ];
    const logins: DemoLogin[] = [];
    for (const p of people) {
      if (await this.services.users.findRowByUsername(p.username)) continue;
      const district = p.role === 'admin' || p.role === 'district_chief';
      await this.services.users.createSystem({
        ...p,
        password,
        complexId: district ? null : site.complex.id,
        districtId: district ? site.district.id : null,
        language: 'ru',
      });
      logins.push({ username: p.username, role: p.role, password });
    }
    await this.db
      .insertInto('settings')
      .values({ key: DEMO_SEEDED_KEY, value: JSON.stringify({ at: new Date().toISOString(), complexId: site.complex.id }) })
      .execute();
    return { logins, generatedPassword: passwordFromEnv === null };
  }
}

function generatePassword(): string {
  // 12 characters, no look-alikes, easy to type off the console.
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.randomBytes(12);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
