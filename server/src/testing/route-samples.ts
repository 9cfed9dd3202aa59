import type { Role, RouteKey } from '@kuzet/contracts';
import { totp } from '../modules/auth/totp.ts';
import type { TestApp } from './test-app.ts';
import { encodedFootage, writeRecording, type Footage } from '../modules/playback/testing/recording-fixture.ts';

/** What a sample request may use: the app and a fresh session of the caller. */
export interface SampleContext {
  t: TestApp;
  self: { cookie: string; csrf: string; userId: string; username: string; password: string; role: Role };
}

export interface RouteSample {
  params?: (c: SampleContext) => Promise<Record<string, string>>;
  query?: Record<string, string>;
  body?: (c: SampleContext) => Promise<unknown> | unknown;
  /** Status of the valid request. */
  status: number;
  /** The error code when each uuid param is replaced by an unknown id. */
  unknownIdCode?: string;
  /** An unknown id creates the object (PUT of a client-chosen id) instead of a 404. */
  unknownIdCreates?: boolean;
  /** The route's own body limit when it is above the app's (uploads): the oversized case goes past it. */
  bodyLimit?: number;
}

async function firstBuilding(t: TestApp) {
  return (await t.services.site.sitePlan(t.complexId)).buildings[0]!;
}

async function aZone(t: TestApp): Promise<string> {
  const admin = (await t.services.users.findRowByUsername('admin'))!;
  const actor = { id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin' as const, complexId: null, districtId: admin.districtId };
  const z = await t.services.site.createZone(actor, t.complexId, { name: 'Тестовая зона', kind: 'other', polygon: [[1, 1], [10, 1], [10, 10]] });
  return z.id;
}

async function adminActor(t: TestApp) {
  const admin = (await t.services.users.findRowByUsername('admin'))!;
  return { id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin' as const, complexId: null, districtId: admin.districtId };
}

async function aPremise(t: TestApp): Promise<string> {
  return (await t.services.people.createPremise(null, t.complexId, { name: `Магазин ${++counter}`, kind: 'shop' })).id;
}

async function aCompany(t: TestApp): Promise<string> {
  return (await t.services.places.createCompany(await adminActor(t), t.complexId, { kind: 'osi', name: `ОСИ ${++counter}`, phone: null, email: '', address: '' })).id;
}

async function aCaretaker(t: TestApp): Promise<string> {
  return (await t.services.places.createCaretaker(await adminActor(t), t.complexId, { name: `Смотритель ${++counter}`, position: 'дворник', phone: null, managementCompanyId: null, buildingId: null })).id;
}

async function aCamera(t: TestApp): Promise<string> {
  const c = await t.services.cameras.create(null, t.complexId, {
    name: `Камера ${++counter}`,
    type: 'yard',
    buildingId: null,
    entranceId: null,
    zoneId: null,
    position: [100, 100],
    direction: 90,
    fieldOfView: 80,
    mainUrl: 'rtsp://127.0.0.1:1/cam/none/main',
    subUrl: null,
    username: 'viewer',
    password: 'secret-camera-password',
    recordingPolicy: 'continuous',
    retentionDays: 30,
    enabled: false,
  });
  return c.id;
}

async function aGrant(t: TestApp, cameraId: string): Promise<string> {
  const admin = (await t.services.users.findRowByUsername('admin'))!;
  const partner = (await t.services.users.findRowByUsername('partner'))!;
  const actor = { id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin' as const, complexId: null, districtId: admin.districtId };
  const g = await t.services.cameraGrants.create(actor, cameraId, t.complexId, { userId: partner.id, reason: 'Обслуживание', expiresAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString() });
  return g.id;
}

function actorOf(t: TestApp, self: SampleContext['self']) {
  const district = self.role === 'admin' || self.role === 'district_chief';
  return { id: self.userId, username: self.username, displayName: self.username, role: self.role, complexId: district ? null : t.complexId, districtId: district ? t.districtId : null };
}

async function anApartment(t: TestApp): Promise<string> {
  const b = await firstBuilding(t);
  return (await t.services.site.apartments(b.id, { limit: 1, offset: 0 })).items[0]!.id;
}

async function aPerson(t: TestApp, archivedYearsAgo?: number): Promise<string> {
  const id = await t.services.people.create(null, t.complexId, {
    lastName: 'Образцова',
    firstName: 'Дина',
    patronymic: null,
    phones: [{ phone: '8 701 000 00 01', label: '' }],
    notes: '',
    consent: 'law_enforcement',
    source: 'test',
    residencies: [{ apartmentId: await anApartment(t), relation: 'tenant' }],
  });
  if (archivedYearsAgo !== undefined) {
    const at = new Date(t.clock.now().getTime() - archivedYearsAgo * 366 * 86_400_000);
    await t.services.people.repo.setArchived(id, at, 'moved out');
  }
  return id;
}

async function inspectorId(t: TestApp): Promise<string> {
  return (await t.services.users.findRowByUsername('inspector'))!.id;
}

async function aRecord(t: TestApp): Promise<string> {
  const admin = (await t.services.users.findRowByUsername('admin'))!;
  const actor = { id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin' as const, complexId: null, districtId: admin.districtId };
  const r = await t.services.prevention.create(actor, t.complexId, {
    personId: await aPerson(t),
    categoryCode: 'official_warning',
    basis: 'Предостережение № 12',
    startsOn: '2026-11-01',
    endsOn: null,
    inspectorId: await inspectorId(t),
    periodicity: 'monthly',
    firstDueOn: null,
  });
  return r.id;
}

async function aRound(t: TestApp): Promise<{ roundId: string; apartmentId: string }> {
  const admin = (await t.services.users.findRowByUsername('admin'))!;
  const actor = { id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin' as const, complexId: null, districtId: admin.districtId };
  const b = await firstBuilding(t);
  const r = await t.services.visits.create(actor, t.complexId, { name: 'Обход', plannedOn: '2026-11-20', buildingIds: [], entranceIds: [b.entrances[0]!.id] });
  return { roundId: r.id, apartmentId: r.apartments[0]!.apartmentId };
}

const SAMPLE_LIST = '\ufeffБлок;Квартира;Фамилия;Имя;ИИН;Телефон;Роль\r\nБлок 1;1;Образцов;Марат;;8 701 000 00 02;собственник\r\n';

async function anImport(t: TestApp, self: SampleContext['self'], ready = false): Promise<string> {
  const job = t.services.peopleImport.start(actorOf(t, self), t.complexId, 'list.csv', Buffer.from(SAMPLE_LIST));
  if (ready) await t.services.peopleImport.settled(t.complexId, job.id);
  return job.id;
}

let counter = 0;
async function aTargetUser(t: TestApp): Promise<string> {
  counter++;
  const u = await t.services.users.createSystem({
    username: `target${counter}-${Date.now() % 100000}`,
    displayName: 'Цель',
    password: 'target-password-1',
    role: 'operator',
    complexId: t.complexId,
    districtId: null,
    language: 'ru',
  });
  return u.id;
}

/** A camera with two seconds of recorded footage (the recorder's format) at a fixed time in the past. */
const FOOTAGE_AT = Date.parse('2026-11-20T05:00:00.000Z');
const recorded = new WeakMap<TestApp, Promise<{ cameraId: string; startMs: number; endMs: number }>>();
let footage: Promise<Footage> | null = null;
function aRecordedCamera(t: TestApp): Promise<{ cameraId: string; startMs: number; endMs: number }> {
  let p = recorded.get(t);
  if (!p) {
    p = (async () => {
      footage ??= encodedFootage({ codec: 'h264', seconds: 2 });
      const cameraId = await aCamera(t);
      const startMs = FOOTAGE_AT;
      const w = await writeRecording({ db: t.env.handle.db, root: t.env.config.recordings.dir, complexId: t.complexId, cameraId, footage: await footage, startMs, first: 0, count: 50 });
      return { cameraId, startMs, endMs: w.endMs };
    })();
    recorded.set(t, p);
  }
  return p;
}

async function aClip(t: TestApp, self: SampleContext['self'], settled: boolean): Promise<{ cameraId: string; clipId: string }> {
  const r = await aRecordedCamera(t);
  const job = await t.services.playback.createClip(actorOf(t, self), r.cameraId, { start: new Date(r.startMs).toISOString(), end: new Date(r.startMs + 1500).toISOString() });
  if (settled) await t.services.playback.clips.settled(job.id);
  return { cameraId: r.cameraId, clipId: job.id };
}

async function aBookmark(t: TestApp, self: SampleContext['self']): Promise<{ cameraId: string; bookmarkId: string }> {
  const r = await aRecordedCamera(t);
  const author = self.userId ? actorOf(t, self) : { ...actorOf(t, self), id: (await t.services.users.findRowByUsername('admin'))!.id };
  const b = await t.services.playback.createBookmark(author, r.cameraId, { at: new Date(r.startMs + 500).toISOString(), note: 'Проверка' });
  return { cameraId: r.cameraId, bookmarkId: b.id };
}

/** A motion event on a fresh camera, stored as the detector would report it (issue 10). */
async function anEvent(t: TestApp, snapshot = false): Promise<{ cameraId: string; eventId: string }> {
  const cameraId = await aCamera(t);
  const now = t.clock.now().getTime();
  const r = await t.services.events.store({
    eventKey: crypto.randomUUID(),
    cameraId,
    kind: 'motion',
    zoneId: null,
    cause: null,
    phase: 'start',
    startedAt: now - 2000,
    endedAt: null,
    peakScore: 0.6,
    boxes: [{ at: now - 1500, box: { x: 0.4, y: 0.5, w: 0.1, h: 0.2 } }],
    snapshotJpeg: snapshot ? new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) : null,
    label: null,
  });
  return { cameraId, eventId: r!.eventId };
}

async function anAlert(t: TestApp): Promise<string> {
  const { eventId } = await anEvent(t);
  const row = await t.env.handle.db.selectFrom('alerts').select('id').where('eventId', '=', eventId).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * One valid request for every route of the policy table. The role × route test and
 * the OpenAPI walk both use these; a route without a sample fails them.
 */
export const routeSamples: Record<RouteKey, RouteSample> = {
  'GET /api/health': { status: 200 },
  'POST /api/v1/auth/login': { status: 200, body: ({ self }) => ({ username: self.username, password: self.password }) },
  'GET /api/v1/auth/session': { status: 200 },
  'POST /api/v1/auth/logout': { status: 200, body: () => ({}) },
  'POST /api/v1/auth/lock': { status: 200, body: () => ({}) },
  'POST /api/v1/auth/unlock': { status: 200, body: ({ self }) => ({ password: self.password }) },
  'POST /api/v1/auth/password': { status: 200, body: ({ self }) => ({ currentPassword: self.password, newPassword: `${self.password}-2` }) },
  'POST /api/v1/auth/totp/setup': { status: 200, body: () => ({}) },
  'POST /api/v1/auth/totp/enable': {
    status: 200,
    body: async ({ t, self }) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: { cookie: self.cookie, 'x-csrf-token': self.csrf }, payload: {} });
      if (r.statusCode !== 200) return { code: '000000' }; // the caller may not set up TOTP at all
      const { secret } = r.json() as { secret: string };
      return { code: totp(secret, t.clock.now()) };
    },
  },
  'POST /api/v1/auth/totp/disable': { status: 200, body: ({ self }) => ({ password: self.password }) },

  'GET /api/v1/users': { status: 200, query: { limit: '10' } },
  'POST /api/v1/users': {
    status: 201,
    body: ({ t }) => ({
      username: `new-${++counter}-${Date.now() % 100000}`,
      displayName: 'Новый сотрудник',
      password: 'a-long-password-1',
      role: 'operator',
      complexId: t.complexId,
    }),
  },
  'GET /api/v1/users/:userId': { status: 200, params: async ({ t }) => ({ userId: await aTargetUser(t) }), unknownIdCode: 'USER_NOT_FOUND' },
  'PATCH /api/v1/users/:userId': {
    status: 200,
    params: async ({ t }) => ({ userId: await aTargetUser(t) }),
    body: () => ({ displayName: 'Переименован' }),
    unknownIdCode: 'USER_NOT_FOUND',
  },
  'POST /api/v1/users/:userId/password': {
    status: 200,
    params: async ({ t }) => ({ userId: await aTargetUser(t) }),
    body: () => ({ newPassword: 'another-password-1' }),
    unknownIdCode: 'USER_NOT_FOUND',
  },
  'POST /api/v1/users/:userId/unlock': { status: 200, params: async ({ t }) => ({ userId: await aTargetUser(t) }), body: () => ({}), unknownIdCode: 'USER_NOT_FOUND' },

  'GET /api/v1/audit': { status: 200, query: { limit: '5' } },
  'POST /api/v1/audit/verify': { status: 200, body: () => ({}) },

  'GET /api/v1/complexes': { status: 200 },
  'GET /api/v1/complexes/:complexId/site-plan': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/buildings/:buildingId': { status: 200, params: async ({ t }) => ({ buildingId: (await firstBuilding(t)).id }), unknownIdCode: 'BUILDING_NOT_FOUND' },
  'GET /api/v1/buildings/:buildingId/apartments': {
    status: 200,
    params: async ({ t }) => ({ buildingId: (await firstBuilding(t)).id }),
    query: { entrance: '1', limit: '20' },
    unknownIdCode: 'BUILDING_NOT_FOUND',
  },
  'POST /api/v1/complexes/:complexId/zones': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ name: 'Новая зона', kind: 'yard', polygon: [[5, 5], [50, 5], [50, 50], [5, 50]] }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'PATCH /api/v1/complexes/:complexId/zones/:zoneId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, zoneId: await aZone(t) }),
    body: () => ({ name: 'Переименованная зона' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|ZONE_NOT_FOUND',
  },
  'DELETE /api/v1/complexes/:complexId/zones/:zoneId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, zoneId: await aZone(t) }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|ZONE_NOT_FOUND',
  },

  'GET /api/v1/complexes/:complexId/cameras': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), query: { limit: '10' }, unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/cameras': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ name: 'Въезд на парковку', type: 'parking', mainUrl: 'rtsp://127.0.0.1:1/cam/x/main', enabled: false, retentionDays: 30 }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'POST /api/v1/complexes/:complexId/cameras/import': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ csv: 'name,type,main_url,enabled\nИмпорт 1,yard,rtsp://127.0.0.1:1/a,false\n', dryRun: true }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/cameras/uptime': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), query: { days: '3' }, unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/cameras/events': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), query: { once: 'true' }, unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'PATCH /api/v1/cameras/:cameraId': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), body: () => ({ name: 'Переименована', retentionDays: 90 }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'DELETE /api/v1/cameras/:cameraId': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId/status-history': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId/grants': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'POST /api/v1/cameras/:cameraId/grants': {
    status: 201,
    params: async ({ t }) => ({ cameraId: await aCamera(t) }),
    body: async ({ t }) => ({
      userId: (await t.services.users.findRowByUsername('partner'))!.id,
      reason: 'Замена объектива',
      expiresAt: new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString(),
    }),
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'DELETE /api/v1/cameras/:cameraId/grants/:grantId': {
    status: 200,
    params: async ({ t }) => {
      const cameraId = await aCamera(t);
      return { cameraId, grantId: await aGrant(t, cameraId) };
    },
    unknownIdCode: 'CAMERA_NOT_FOUND|GRANT_NOT_FOUND',
  },

  // Recording holds and health (issue 8, retention helper)
  'GET /api/v1/cameras/:cameraId/recordings/holds': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'POST /api/v1/cameras/:cameraId/recordings/holds': {
    status: 201,
    params: async ({ t }) => ({ cameraId: await aCamera(t) }),
    body: () => ({ start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() - 1_800_000).toISOString(), reason: 'Обращение жителя' }),
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'POST /api/v1/cameras/:cameraId/recordings/holds/:holdId/release': {
    status: 200,
    params: async ({ t }) => {
      const cameraId = await aCamera(t);
      const hold = await t.services.holds.create(null, cameraId, { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() - 1_800_000).toISOString(), reason: 'Проверка' });
      return { cameraId, holdId: hold.id };
    },
    body: () => ({}),
    unknownIdCode: 'CAMERA_NOT_FOUND|RECORDING_HOLD_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/recordings/health': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },

  // Detection zones, events, alerts, incidents (issue 10, alerts helper)
  'GET /api/v1/cameras/:cameraId/zones': { status: 200, params: async ({ t }) => ({ cameraId: await aCamera(t) }), unknownIdCode: 'CAMERA_NOT_FOUND' },
  'PUT /api/v1/cameras/:cameraId/zones': {
    status: 200,
    params: async ({ t }) => ({ cameraId: await aCamera(t) }),
    body: () => ({ enabled: true, zones: [{ name: 'Площадка', polygon: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]], schedule: { kind: 'window', from: '23:00', to: '06:00' } }] }),
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/events': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId/events': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await anEvent(t)).cameraId }),
    query: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/events/:eventId': { status: 200, params: async ({ t }) => ({ eventId: (await anEvent(t)).eventId }), unknownIdCode: 'EVENT_NOT_FOUND' },
  'GET /api/v1/events/:eventId/snapshot': { status: 200, params: async ({ t }) => ({ eventId: (await anEvent(t, true)).eventId }), unknownIdCode: 'EVENT_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/alerts/assignees': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/alerts': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/alerts/live': { status: 200 },
  'GET /api/v1/alerts/:alertId': { status: 200, params: async ({ t }) => ({ alertId: await anAlert(t) }), unknownIdCode: 'ALERT_NOT_FOUND' },
  'POST /api/v1/alerts/:alertId/acknowledge': { status: 200, params: async ({ t }) => ({ alertId: await anAlert(t) }), body: () => ({ note: 'Смотрю' }), unknownIdCode: 'ALERT_NOT_FOUND' },
  'POST /api/v1/alerts/:alertId/assign': {
    status: 200,
    params: async ({ t }) => ({ alertId: await anAlert(t) }),
    body: async ({ t }) => ({ userId: (await t.services.users.findRowByUsername('inspector'))!.id }),
    unknownIdCode: 'ALERT_NOT_FOUND',
  },
  'POST /api/v1/alerts/:alertId/dismiss': { status: 200, params: async ({ t }) => ({ alertId: await anAlert(t) }), body: () => ({ reason: 'false_alarm' }), unknownIdCode: 'ALERT_NOT_FOUND' },
  'POST /api/v1/alerts/:alertId/escalate': { status: 200, params: async ({ t }) => ({ alertId: await anAlert(t) }), body: () => ({ type: 'vandalism', description: 'Ломают качели' }), unknownIdCode: 'ALERT_NOT_FOUND' },
  'GET /api/v1/incident-types': { status: 200 },
  'GET /api/v1/complexes/:complexId/incidents': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/incidents': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ type: 'theft', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), description: 'Украден велосипед' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/incidents/:incidentId': {
    status: 200,
    params: async ({ t }) => {
      const inspector = (await t.services.users.findRowByUsername('inspector'))!;
      const actor = { id: inspector.id, username: inspector.username, displayName: inspector.displayName, role: 'inspector' as const, complexId: t.complexId, districtId: null };
      return { incidentId: (await t.services.incidents.create(actor, t.complexId, { type: 'other', occurredAt: new Date().toISOString() })).id };
    },
    unknownIdCode: 'INCIDENT_NOT_FOUND',
  },

  'GET /api/v1/live': { status: 200 },
  'GET /api/v1/cameras/:cameraId/live': {
    status: 200,
    params: async ({ t, self }) => {
      const cameraId = await aCamera(t);
      if (self.role === 'partner' && self.userId) {
        const admin = (await t.services.users.findRowByUsername('admin'))!;
        const actor = { id: admin.id, username: 'admin', displayName: '', role: 'admin' as const, complexId: null, districtId: admin.districtId };
        await t.services.cameraGrants.create(actor, cameraId, t.complexId, { userId: self.userId, reason: 'Проверка', expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() });
      }
      return { cameraId };
    },
    query: { stream: 'sub' },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/me/layouts': { status: 200 },

  'GET /api/v1/cameras/:cameraId/recordings/timeline': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    query: { from: '2026-11-01T00:00:00+05:00', to: '2026-11-02T00:00:00+05:00' },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/cameras/:cameraId/recordings': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    query: { from: '2026-11-01T00:00:00+05:00', to: '2026-12-01T00:00:00+05:00', limit: '10' },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/cameras/:cameraId/recordings/media': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    query: { from: new Date(FOOTAGE_AT + 500).toISOString(), origin: new Date(FOOTAGE_AT - 60_000).toISOString() },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/cameras/:cameraId/recordings/snapshot': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    query: { at: new Date(FOOTAGE_AT + 500).toISOString() },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'POST /api/v1/cameras/:cameraId/recordings/clips': {
    status: 202,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    body: async ({ t }) => {
      const r = await aRecordedCamera(t);
      return { start: new Date(r.startMs).toISOString(), end: new Date(r.startMs + 1000).toISOString() };
    },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'GET /api/v1/cameras/:cameraId/recordings/clips/:clipId': { status: 200, params: async ({ t, self }) => aClip(t, self, false), unknownIdCode: 'CAMERA_NOT_FOUND|CLIP_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId/recordings/clips/:clipId/file': { status: 200, params: async ({ t, self }) => aClip(t, self, true), unknownIdCode: 'CAMERA_NOT_FOUND|CLIP_NOT_FOUND' },
  'GET /api/v1/cameras/:cameraId/bookmarks': {
    status: 200,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    query: { from: '2026-11-01T00:00:00+05:00', to: '2026-12-01T00:00:00+05:00' },
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'POST /api/v1/cameras/:cameraId/bookmarks': {
    status: 201,
    params: async ({ t }) => ({ cameraId: (await aRecordedCamera(t)).cameraId }),
    body: () => ({ at: '2026-11-29T10:00:00+05:00', note: 'Подозрительный автомобиль' }),
    unknownIdCode: 'CAMERA_NOT_FOUND',
  },
  'DELETE /api/v1/cameras/:cameraId/bookmarks/:bookmarkId': { status: 200, params: async ({ t, self }) => aBookmark(t, self), unknownIdCode: 'CAMERA_NOT_FOUND|BOOKMARK_NOT_FOUND' },

  'GET /api/v1/complexes/:complexId/people/search': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), query: { q: 'Образцова', submitted: 'true' }, unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/people': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), query: { limit: '5' }, unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/people': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: async ({ t }) => ({ lastName: 'Новикова', firstName: 'Алия', consent: 'law_enforcement', source: 'desk', residencies: [{ apartmentId: await anApartment(t), relation: 'owner' }] }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/people/:personId': { status: 200, params: async ({ t }) => ({ personId: await aPerson(t) }), query: { reason: 'проверка' }, unknownIdCode: 'PERSON_NOT_FOUND' },
  'PATCH /api/v1/people/:personId': { status: 200, params: async ({ t }) => ({ personId: await aPerson(t) }), body: () => ({ notes: 'Собака во дворе' }), unknownIdCode: 'PERSON_NOT_FOUND' },
  'POST /api/v1/people/:personId/archive': { status: 200, params: async ({ t }) => ({ personId: await aPerson(t) }), body: () => ({ reason: 'Выехала' }), unknownIdCode: 'PERSON_NOT_FOUND' },
  'POST /api/v1/people/:personId/erase': { status: 200, params: async ({ t }) => ({ personId: await aPerson(t, 4) }), body: () => ({ reason: 'Срок хранения истёк' }), unknownIdCode: 'PERSON_NOT_FOUND' },
  'GET /api/v1/apartments/:apartmentId/card': { status: 200, params: async ({ t }) => ({ apartmentId: await anApartment(t) }), unknownIdCode: 'APARTMENT_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/vehicles': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ plate: `${String(100 + (++counter % 900)).padStart(3, '0')} ${['KZA', 'KZB', 'KZC'][counter % 3]} 02`, make: 'Toyota', model: 'Camry' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/premises': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/premises': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ name: 'Аптека «Здоровье»', kind: 'pharmacy', phone: '+7 727 300 00 00', hours: '08:00–22:00' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'POST /api/v1/complexes/:complexId/people/imports': {
    status: 202,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ fileName: 'list.csv', data: Buffer.from(SAMPLE_LIST).toString('base64') }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
    bodyLimit: 16 * 1024 * 1024,
  },
  'GET /api/v1/complexes/:complexId/people/imports/:importId': { status: 200, params: async ({ t, self }) => ({ complexId: t.complexId, importId: await anImport(t, self) }), unknownIdCode: 'COMPLEX_NOT_FOUND|IMPORT_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/people/imports/:importId/rows': {
    status: 200,
    params: async ({ t, self }) => ({ complexId: t.complexId, importId: await anImport(t, self, true) }),
    query: { status: 'new', limit: '10' },
    unknownIdCode: 'COMPLEX_NOT_FOUND|IMPORT_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/people/imports/:importId/missing': { status: 200, params: async ({ t, self }) => ({ complexId: t.complexId, importId: await anImport(t, self, true) }), query: { limit: '10' }, unknownIdCode: 'COMPLEX_NOT_FOUND|IMPORT_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/people/imports/:importId/confirm': { status: 200, params: async ({ t, self }) => ({ complexId: t.complexId, importId: await anImport(t, self, true) }), body: () => ({}), unknownIdCode: 'COMPLEX_NOT_FOUND|IMPORT_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/people/export': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/management': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'PATCH /api/v1/complexes/:complexId/premises/:premiseId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, premiseId: await aPremise(t) }),
    body: () => ({ hours: '09:00–21:00', phone: '+7 727 300 00 01', alarmDetails: 'Пульт «Кайрат», код у охраны' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|PREMISE_NOT_FOUND',
  },
  'POST /api/v1/complexes/:complexId/management/companies': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ kind: 'ksk', name: 'КСК «Береке»', phone: '8 727 311 22 33', email: 'bereke@example.kz' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'PATCH /api/v1/complexes/:complexId/management/companies/:companyId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, companyId: await aCompany(t) }),
    body: () => ({ address: 'ул. Жандосова, 1' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|MANAGEMENT_COMPANY_NOT_FOUND',
  },
  'POST /api/v1/complexes/:complexId/management/caretakers': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: () => ({ name: 'Серик Ахметов', position: 'смотритель блока', phone: '8 701 555 44 33' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'PATCH /api/v1/complexes/:complexId/management/caretakers/:caretakerId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, caretakerId: await aCaretaker(t) }),
    body: () => ({ position: 'старший смотритель' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|CARETAKER_NOT_FOUND',
  },
  'DELETE /api/v1/complexes/:complexId/management/caretakers/:caretakerId': {
    status: 200,
    params: async ({ t }) => ({ complexId: t.complexId, caretakerId: await aCaretaker(t) }),
    unknownIdCode: 'COMPLEX_NOT_FOUND|CARETAKER_NOT_FOUND',
  },
  'GET /api/v1/prevention/categories': { status: 200 },
  'GET /api/v1/complexes/:complexId/prevention/inspectors': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/complexes/:complexId/prevention/records': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/prevention/records': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: async ({ t }) => ({ personId: await aPerson(t), categoryCode: 'parole', basis: 'Постановление суда', startsOn: '2026-11-01', inspectorId: await inspectorId(t), periodicity: 'monthly' }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/prevention/day-list': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'GET /api/v1/prevention/records/:recordId': { status: 200, params: async ({ t }) => ({ recordId: await aRecord(t) }), query: { reason: 'плановая проверка' }, unknownIdCode: 'PREVENTION_RECORD_NOT_FOUND' },
  'POST /api/v1/prevention/records/:recordId/check-ins': {
    status: 201,
    params: async ({ t }) => ({ recordId: await aRecord(t) }),
    body: () => ({ checkedOn: '2026-11-02', outcome: 'met', note: 'Дома, замечаний нет' }),
    unknownIdCode: 'PREVENTION_RECORD_NOT_FOUND',
  },
  'GET /api/v1/complexes/:complexId/visit-rounds': { status: 200, params: async ({ t }) => ({ complexId: t.complexId }), unknownIdCode: 'COMPLEX_NOT_FOUND' },
  'POST /api/v1/complexes/:complexId/visit-rounds': {
    status: 201,
    params: async ({ t }) => ({ complexId: t.complexId }),
    body: async ({ t }) => ({ name: 'Обход блока', plannedOn: '2026-11-21', buildingIds: [(await firstBuilding(t)).id] }),
    unknownIdCode: 'COMPLEX_NOT_FOUND',
  },
  'GET /api/v1/visit-rounds/:roundId': { status: 200, params: async ({ t }) => ({ roundId: (await aRound(t)).roundId }), unknownIdCode: 'VISIT_ROUND_NOT_FOUND' },
  'GET /api/v1/visit-rounds/:roundId/coverage': { status: 200, params: async ({ t }) => ({ roundId: (await aRound(t)).roundId }), unknownIdCode: 'VISIT_ROUND_NOT_FOUND' },
  'PUT /api/v1/visit-rounds/:roundId/apartments/:apartmentId': {
    status: 200,
    params: async ({ t }) => aRound(t),
    body: () => ({ outcome: 'visited', peopleMetCount: 2, problems: ['Не работает домофон'] }),
    unknownIdCode: 'VISIT_ROUND_NOT_FOUND|VISIT_APARTMENT_NOT_IN_ROUND',
  },
  'PUT /api/v1/me/layouts/:layoutId': {
    status: 200,
    params: async () => ({ layoutId: crypto.randomUUID() }),
    body: async ({ t }) => ({ name: 'Подъезды', grid: 4, cells: [await aCamera(t), null, null, null] }),
    unknownIdCreates: true,
  },
  'DELETE /api/v1/me/layouts/:layoutId': {
    status: 200,
    params: async ({ t, self }) => {
      if (!self.userId) return { layoutId: crypto.randomUUID() };
      const l = await t.services.layouts.save(actorOf(t, self), crypto.randomUUID(), { name: 'Временная', grid: 1, cells: [null] });
      return { layoutId: l.id };
    },
    unknownIdCode: 'LAYOUT_NOT_FOUND',
  },
};

export function fillPath(route: string, params: Record<string, string>): string {
  return route.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`sample lacks param ${name} for ${route}`);
    return encodeURIComponent(v);
  });
}
