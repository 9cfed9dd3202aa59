import { describe, expect, it } from 'vitest';
import { CreateCameraRequest, type Camera, type SitePlan } from '@kuzet/contracts';
import { applyLiveEvent, emptyLive, freshest, parseLiveEvent } from './camera-live.ts';
import { emptyCameraForm, formFromCamera, formToCandidate, parseNumber, updatePatch } from './camera-form.ts';
import { bitrateParts, insidePlan, lossText, placeOf, uptimeTone } from './camera-view.ts';
import { cameraDetailPath, camerasSearch, readCamerasRoute } from './cameras-route.ts';
import { bearing, conePath, pointAt, turn } from './cone.ts';
import { CSV_COLUMNS, csvCell, csvDataUrl, csvTemplate, missingColumns } from './csv-template.ts';
import { grantExpiry, grantStatus, MAX_GRANT_MS } from './grant-expiry.ts';

const ID = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';
const COMPLEX = '33333333-3333-4333-8333-333333333333';

function camera(over: Partial<Camera> = {}): Camera {
  return {
    id: ID,
    complexId: COMPLEX,
    name: 'Подъезд 1',
    type: 'entrance',
    buildingId: null,
    entranceId: null,
    zoneId: null,
    position: [10, 20],
    direction: 90,
    fieldOfView: 60,
    mainUrl: 'rtsp://10.0.0.5/main',
    subUrl: null,
    hasCredentials: true,
    transport: 'auto',
    recordingPolicy: 'continuous',
    retentionDays: 30,
    enabled: true,
    status: [
      {
        stream: 'main',
        state: 'online',
        reason: null,
        codec: 'h264',
        width: 1920,
        height: 1080,
        fps: 25,
        bitrateKbps: 2048,
        lastFrameAt: '2025-01-15T12:00:00Z',
        since: '2025-01-15T11:00:00Z',
        transport: 'tcp',
        lossPercent: null,
      },
    ],
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

describe('live camera events', () => {
  it('takes a snapshot, then updates, additions and removals', () => {
    const a = camera();
    let s = applyLiveEvent(emptyLive, { type: 'snapshot', items: [a] });
    expect(s.cameras?.get(ID)).toBe(a);
    expect(s.membership).toBe(0);
    const offline = camera({ status: [{ ...a.status[0]!, state: 'offline', reason: 'timeout' }] });
    s = applyLiveEvent(s, { type: 'camera', camera: offline });
    expect(s.cameras?.get(ID)?.status[0]?.state).toBe('offline');
    expect(s.membership).toBe(0);
    s = applyLiveEvent(s, { type: 'camera', camera: camera({ id: ID2 }) });
    expect(s.membership).toBe(1);
    s = applyLiveEvent(s, { type: 'removed', id: ID2 });
    expect(s.cameras?.has(ID2)).toBe(false);
    expect(s.membership).toBe(2);
    expect(applyLiveEvent(s, { type: 'removed', id: 'unknown' })).toBe(s);
    // A new snapshot with other cameras (after a reconnect) counts as a change.
    expect(applyLiveEvent(s, { type: 'snapshot', items: [camera({ id: ID2 })] }).membership).toBe(3);
  });

  it('reads event data defensively', () => {
    expect(parseLiveEvent('snapshot', '{"items":[]}')).toEqual({ type: 'snapshot', items: [] });
    expect(parseLiveEvent('removed', `{"id":"${ID}"}`)).toEqual({ type: 'removed', id: ID });
    expect(parseLiveEvent('camera', 'not json')).toBeNull();
    expect(parseLiveEvent('camera', '{}')).toBeNull();
    expect(parseLiveEvent('other', '{"id":"x"}')).toBeNull();
  });

  it('prefers the live copy unless the listed one was saved later', () => {
    const listed = camera({ updatedAt: '2025-01-02T00:00:00Z' });
    const live = new Map([[ID, camera({ name: 'live' })]]);
    expect(freshest(listed, live).name).toBe('Подъезд 1');
    expect(freshest(camera(), live).name).toBe('live');
    expect(freshest(listed, null)).toBe(listed);
  });
});

describe('view cone', () => {
  it('measures directions clockwise from up', () => {
    expect(pointAt([0, 0], 0, 10)).toEqual([0, -10]);
    expect(pointAt([0, 0], 90, 10)).toEqual([10, 0]);
    expect(bearing([0, 0], [0, -5])).toBe(0);
    expect(bearing([0, 0], [5, 0])).toBe(90);
    expect(bearing([0, 0], [0, 5])).toBe(180);
    expect(bearing([0, 0], [-5, 0])).toBe(270);
    expect(bearing([1, 1], [1, 1])).toBeNull();
    expect(turn(350, 15)).toBe(5);
    expect(turn(5, -15)).toBe(350);
  });

  it('draws a wedge, a large arc past 180°, a circle at 360°', () => {
    expect(conePath([0, 0], 90, 90, 10)).toMatch(/^M 0 0 L 7\.071 -7\.071 A 10 10 0 0 1 7\.071 7\.071 Z$/);
    expect(conePath([0, 0], 0, 270, 10)).toContain(' 0 1 1 ');
    expect(conePath([0, 0], 0, 360, 10)).toContain('a 10 10 0 1 0 20 0');
  });
});

describe('camera form', () => {
  it('validates a new camera with the contracts schema', () => {
    const empty = CreateCameraRequest.safeParse(formToCandidate(emptyCameraForm));
    expect(empty.success).toBe(false);
    const fields = new Set(empty.error?.issues.map((i) => String(i.path[0])));
    expect(fields).toContain('name');
    expect(fields).toContain('mainUrl');
    const ok = CreateCameraRequest.safeParse(
      formToCandidate({ ...emptyCameraForm, name: 'A', mainUrl: 'rtsp://1.2.3.4/x', x: '1,5', y: '2' }),
    );
    expect(ok.success && ok.data.position).toEqual([1.5, 2]);
  });

  it('refuses half a position and words in number fields', () => {
    const half = CreateCameraRequest.safeParse(
      formToCandidate({ ...emptyCameraForm, name: 'A', mainUrl: 'rtsp://h/x', x: '3' }),
    );
    expect(half.error?.issues.some((i) => i.path[0] === 'position')).toBe(true);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('12abc')).toBeNaN();
  });

  it('sends only what changed, and credentials only when typed or cleared', () => {
    const c = camera();
    const data = CreateCameraRequest.parse(formToCandidate(formFromCamera(c)));
    expect(updatePatch(c, data, false)).toEqual({});
    const renamed = CreateCameraRequest.parse(formToCandidate({ ...formFromCamera(c), name: 'B', password: 'secret' }));
    expect(updatePatch(c, renamed, false)).toEqual({ name: 'B', password: 'secret' });
    const udp = CreateCameraRequest.parse(formToCandidate({ ...formFromCamera(c), transport: 'udp' }));
    expect(updatePatch(c, udp, false)).toEqual({ transport: 'udp' });
    expect(updatePatch(c, data, true)).toEqual({ username: null, password: null });
    const moved = CreateCameraRequest.parse(formToCandidate({ ...formFromCamera(c), x: '', y: '' }));
    expect(updatePatch(c, moved, false)).toEqual({ position: null });
  });
});

describe('camera display helpers', () => {
  const plan = {
    width: 100,
    height: 50,
    buildings: [
      {
        id: ID,
        name: 'Корпус 1',
        entrances: [{ id: ID2, number: 2 }],
      },
    ],
    zones: [{ id: COMPLEX, name: 'Двор' }],
  } as unknown as SitePlan;

  it('names the place from the site plan', () => {
    expect(placeOf({ buildingId: ID, entranceId: ID2, zoneId: COMPLEX }, plan)).toEqual({
      building: 'Корпус 1',
      entrance: 2,
      zone: 'Двор',
    });
    expect(placeOf({ buildingId: null, entranceId: null, zoneId: null }, undefined).building).toBeNull();
  });

  it('formats bit rates, bands uptime and checks the plan bounds', () => {
    expect(bitrateParts(512.4)).toEqual({ value: 512, unit: 'kbps' });
    expect(bitrateParts(4096)).toEqual({ value: 4.1, unit: 'mbps' });
    expect(bitrateParts(null)).toBeNull();
    expect(lossText(2.345, 'en')).toBe('2.3');
    expect(lossText(2.345, 'ru')).toBe('2,3');
    expect(lossText(0.01, 'en')).toBe('<0.1');
    expect(lossText(0, 'en')).toBe('0');
    expect(lossText(null, 'en')).toBeNull();
    expect(uptimeTone(null)).toBe('idle');
    expect(uptimeTone(1)).toBe('ok');
    expect(uptimeTone(0.95)).toBe('warn');
    expect(uptimeTone(0.2)).toBe('bad');
    expect(insidePlan([100, 50], plan)).toBe(true);
    expect(insidePlan([101, 10], plan)).toBe(false);
  });
});

describe('cameras route', () => {
  it('reads and writes the section state in the address', () => {
    const p = (s: string) => new URLSearchParams(s);
    expect(readCamerasRoute(p(''), false)).toEqual({ view: 'list', panel: null });
    expect(readCamerasRoute(p(`camera=${ID}&view=uptime`), false)).toEqual({
      view: 'uptime',
      panel: { kind: 'detail', cameraId: ID },
    });
    // Managers only: import, new and edit.
    expect(readCamerasRoute(p(`view=import&new=1&edit=${ID}`), false)).toEqual({ view: 'list', panel: null });
    expect(readCamerasRoute(p('view=import&new=1'), true)).toEqual({ view: 'import', panel: { kind: 'new' } });
    expect(camerasSearch({ view: 'list', panel: { kind: 'edit', cameraId: ID } }, COMPLEX)).toEqual({
      complex: COMPLEX,
      edit: ID,
    });
    expect(cameraDetailPath(ID, null)).toBe(`/cameras?camera=${ID}`);
  });
});

describe('grant expiry', () => {
  const now = Date.parse('2025-01-15T12:00:00Z');

  it('adds a preset to now', () => {
    expect(grantExpiry('8h', '', now)).toEqual({ iso: '2025-01-15T20:00:00.000Z', problem: null });
  });

  it('reads a typed time as Almaty wall time (UTC+5 since March 2024)', () => {
    expect(grantExpiry('custom', '2025-01-16T09:00', now)).toEqual({ iso: '2025-01-16T04:00:00.000Z', problem: null });
    expect(grantExpiry('custom', '', now).problem).toBe('required');
    expect(grantExpiry('custom', '2025-01-15T16:00', now).problem).toBe('past');
    expect(grantExpiry('custom', '2025-03-01T00:00', now).problem).toBe('tooFar');
    expect(MAX_GRANT_MS).toBe(30 * 24 * 3600_000);
  });

  it('tells active, expired and revoked grants apart', () => {
    expect(grantStatus({ expiresAt: '2025-01-16T00:00:00Z', revokedAt: null }, now)).toBe('active');
    expect(grantStatus({ expiresAt: '2025-01-14T00:00:00Z', revokedAt: null }, now)).toBe('expired');
    expect(grantStatus({ expiresAt: '2025-01-16T00:00:00Z', revokedAt: '2025-01-15T00:00:00Z' }, now)).toBe('revoked');
  });
});

describe('CSV template', () => {
  it('quotes cells that need it', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes the header and an example row naming a real building', () => {
    const plan = {
      buildings: [{ name: 'Корпус 1', entrances: [{ number: 1, position: [12.34, 5] }] }],
    } as unknown as SitePlan;
    const [header, row] = csvTemplate('Подъезд 1, вход', plan).split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    expect(row).toContain('"Подъезд 1, вход",entrance,rtsp://');
    expect(row).toContain(',Корпус 1,1,,12.3,5,');
    expect(csvDataUrl('a')).toBe('data:text/csv;charset=utf-8,%EF%BB%BFa');
  });

  it('finds missing required columns in the header row, either separator', () => {
    expect(missingColumns(CSV_COLUMNS.join(','))).toEqual([]);
    expect(missingColumns('\uFEFF"Name";Type;Main URL\nx;y;z')).toEqual([]);
    expect(missingColumns('foo,bar\n1,2')).toEqual(['name', 'type', 'main_url']);
    expect(missingColumns('name,type')).toEqual(['main_url']);
  });
});
