import { describe, expect, it } from 'vitest';
import type { Alert, AlertFeedMessage } from '@kuzet/contracts';
import { translate } from '../../i18n/translate.ts';
import {
  applyMessage,
  emptyFeed,
  feedList,
  isNewer,
  mergeAlerts,
  parseFeedMessage,
  readSeq,
  reconnectDelay,
  reconnecting,
  resumeFrom,
  seqStorageKey,
  unacknowledged,
  type FeedState,
} from './alert-feed.ts';
import { alertKeyOf, moveSelection } from './alert-keys.ts';
import { ALARM_NOTES, consentValid, SHIFT_MS, shouldRing, RING_GAP_MS } from './alarm-sound.ts';
import { cameraNames, canStillAct, causeText, kindText, recordingLink, recordingMoment } from './alert-text.ts';

const CAM = '11111111-1111-4111-8111-111111111111';
const CAM2 = '22222222-2222-4222-8222-222222222222';
const COMPLEX = '33333333-3333-4333-8333-333333333333';

function alert(n: number, patch: Partial<Alert> = {}, eventPatch: Partial<Alert['event']> = {}): Alert {
  const id = `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const startedAt = new Date(Date.UTC(2026, 10, 30, 0, 0, n)).toISOString();
  return {
    id,
    seq: n,
    complexId: COMPLEX,
    eventId: id.replace('aaaaaaaa', 'eeeeeeee'),
    event: {
      id: id.replace('aaaaaaaa', 'eeeeeeee'),
      cameraId: CAM,
      complexId: COMPLEX,
      kind: 'motion',
      zoneId: null,
      cause: null,
      startedAt,
      endedAt: null,
      peakScore: 0.5,
      boxes: [],
      label: null,
      snapshotUrl: null,
      recording: null,
      cameraIds: [CAM],
      ...eventPatch,
    },
    status: 'new',
    priority: 'normal',
    assignedTo: null,
    incidentId: null,
    createdAt: startedAt,
    updatedAt: startedAt,
    actions: [],
    ...patch,
  };
}

const msg = (feedSeq: number, a: Alert): AlertFeedMessage => ({ type: 'alert', feedSeq, alert: a });
const later = (a: Alert, seconds: number, patch: Partial<Alert>): Alert => ({
  ...a,
  ...patch,
  updatedAt: new Date(Date.parse(a.updatedAt) + seconds * 1000).toISOString(),
});

function run(state: FeedState, messages: AlertFeedMessage[]) {
  const fresh: Alert[] = [];
  for (const m of messages) {
    const r = applyMessage(state, m);
    state = r.state;
    fresh.push(...r.fresh);
  }
  return { state, fresh };
}

describe('alert feed: exactly once on screen', () => {
  it('shows a new alert once and rings for it once', () => {
    const a = alert(1);
    const { state, fresh } = run(emptyFeed, [msg(1, a), { type: 'caught-up', seq: 1 }]);
    expect([...state.byId.keys()]).toEqual([a.id]);
    expect(fresh.map((x) => x.id)).toEqual([a.id]);
    expect(state.lastSeq).toBe(1);
    expect(state.caughtUp).toBe(true);
    expect(unacknowledged(state)).toBe(1);
  });

  it('skips a replayed row at or below the last processed seq (a reconnect that overlaps)', () => {
    const a = alert(1);
    const b = alert(2);
    const first = run(emptyFeed, [msg(1, a), msg(2, b)]);
    // The socket dropped; the server replays from an older position.
    const again = run(reconnecting(first.state), [msg(1, a), msg(2, b), msg(3, alert(3)), { type: 'caught-up', seq: 3 }]);
    expect(again.state.byId.size).toBe(3);
    expect(again.fresh.map((x) => x.seq)).toEqual([3]);
    expect(again.state.lastSeq).toBe(3);
  });

  it('replaces an alert by a newer state only (status change), never adds a second entry', () => {
    const a = alert(1);
    const acked = later(a, 5, { status: 'acknowledged' });
    const { state, fresh } = run(emptyFeed, [msg(1, a), msg(2, acked)]);
    expect(state.byId.size).toBe(1);
    expect(state.byId.get(a.id)?.status).toBe('acknowledged');
    expect(fresh).toHaveLength(1);
    expect(unacknowledged(state)).toBe(0);
    // An older copy arriving late (an action's answer racing the feed) does not undo it.
    expect(mergeAlerts(state, [a]).state).toBe(state);
  });

  it('breaks an updatedAt tie by the number of recorded actions', () => {
    const a = alert(1);
    const b = { ...a, status: 'acknowledged' as const, actions: [{ at: a.updatedAt, by: { id: CAM, displayName: 'X' }, action: 'acknowledge' as const, note: null, reason: null, assignee: null }] };
    expect(isNewer(b, a)).toBe(true);
    expect(isNewer(a, b)).toBe(false);
  });

  it('does not ring for alerts that arrive already handled, nor for the list loaded at start', () => {
    const dismissed = alert(5, { status: 'dismissed' });
    expect(run(emptyFeed, [msg(5, dismissed)]).fresh).toEqual([]);
    const listed = mergeAlerts(emptyFeed, [alert(6)]);
    // The list is merged without ringing (the hook ignores `fresh` there); the feed copy then is no news.
    expect(run(listed.state, [msg(6, alert(6))]).fresh).toEqual([]);
  });

  it('caught-up moves the position forward even with nothing to replay', () => {
    const { state } = run(emptyFeed, [{ type: 'caught-up', seq: 42 }, { type: 'ping' }]);
    expect(state.lastSeq).toBe(42);
  });

  it('takes the server\'s position when it remembered a seq from another database, and then hears new alerts', () => {
    const remembered: FeedState = { ...emptyFeed, lastSeq: 900 };
    const { state, fresh } = run(reconnecting(remembered), [{ type: 'caught-up', seq: 12 }, msg(13, alert(13))]);
    expect(state.lastSeq).toBe(13);
    expect(fresh.map((a) => a.seq)).toEqual([13]);
  });

  it('resumes after the larger of the stored and the processed seq, else the list position', () => {
    expect(resumeFrom(7, { ...emptyFeed, lastSeq: 9 }, 100)).toBe(9);
    expect(resumeFrom(12, { ...emptyFeed, lastSeq: 9 }, 100)).toBe(12);
    expect(resumeFrom(null, emptyFeed, 100)).toBe(100);
    expect(resumeFrom(null, emptyFeed, null)).toBeNull();
  });

  it('orders unacknowledged first, then by priority, newest first; closed ones only with "all"', () => {
    const a = alert(1, { status: 'acknowledged' });
    const b = alert(2, { priority: 'low' });
    const c = alert(3);
    const d = alert(4, { priority: 'high' });
    const e = alert(5, { status: 'dismissed' });
    const state = mergeAlerts(emptyFeed, [a, b, c, d, e]).state;
    expect(feedList(state, 'open').map((x) => x.seq)).toEqual([4, 3, 2, 1]);
    expect(feedList(state, 'all').map((x) => x.seq)).toEqual([4, 3, 2, 1, 5]);
  });

  it('reads feed messages and refuses anything else', () => {
    const a = alert(1);
    expect(parseFeedMessage(JSON.stringify({ type: 'alert', feedSeq: 3, alert: a }))).toEqual({ type: 'alert', feedSeq: 3, alert: a });
    expect(parseFeedMessage('{"type":"caught-up","seq":4}')).toEqual({ type: 'caught-up', seq: 4 });
    expect(parseFeedMessage('{"type":"ping"}')).toEqual({ type: 'ping' });
    expect(parseFeedMessage('{"type":"alert","feedSeq":"3","alert":{}}')).toBeNull();
    expect(parseFeedMessage('{"type":"alert","feedSeq":3,"alert":{"id":"x"}}')).toBeNull();
    expect(parseFeedMessage('not json')).toBeNull();
    expect(parseFeedMessage(new ArrayBuffer(2))).toBeNull();
  });

  it('keeps the position per user and complex, and reads only whole numbers back', () => {
    expect(seqStorageKey('u1', 'c1')).not.toBe(seqStorageKey('u2', 'c1'));
    expect(seqStorageKey('u1', 'c1')).not.toBe(seqStorageKey('u1', 'c2'));
    const store = (v: string | null) => ({ getItem: () => v });
    expect(readSeq(store('17'), 'k')).toBe(17);
    expect(readSeq(store('-1'), 'k')).toBeNull();
    expect(readSeq(store('1.5'), 'k')).toBeNull();
    expect(readSeq(store(null), 'k')).toBeNull();
    expect(readSeq(null, 'k')).toBeNull();
  });

  it('backs off 1 s, 2 s, 5 s, 10 s, then 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(reconnectDelay)).toEqual([1000, 2000, 5000, 10000, 30000, 30000, 30000]);
  });
});

describe('alert console keys', () => {
  const el = (tagName: string) => ({ tagName }) as unknown as EventTarget;
  it('maps j/k, arrows, a, Enter, p — also by physical key on a Cyrillic layout', () => {
    expect(alertKeyOf({ key: 'j' })).toBe('next');
    expect(alertKeyOf({ key: 'о', code: 'KeyJ' })).toBe('next');
    expect(alertKeyOf({ key: 'ArrowUp' })).toBe('previous');
    expect(alertKeyOf({ key: 'ф', code: 'KeyA' })).toBe('acknowledge');
    expect(alertKeyOf({ key: 'Enter' })).toBe('open');
    expect(alertKeyOf({ key: 'p' })).toBe('playback');
  });
  it('leaves typing, modified keys and Enter on a button alone', () => {
    expect(alertKeyOf({ key: 'a', target: el('INPUT') })).toBeNull();
    expect(alertKeyOf({ key: 'j', target: el('TEXTAREA') })).toBeNull();
    expect(alertKeyOf({ key: 'a', ctrlKey: true })).toBeNull();
    expect(alertKeyOf({ key: 'Enter', target: el('BUTTON') })).toBeNull();
    expect(alertKeyOf({ key: 'j', target: el('LI') })).toBe('next');
    expect(alertKeyOf({ key: 'x' })).toBeNull();
  });
  it('moves the selection within the list', () => {
    expect(moveSelection(-1, 3, 'next')).toBe(0);
    expect(moveSelection(0, 3, 'next')).toBe(1);
    expect(moveSelection(2, 3, 'next')).toBe(2);
    expect(moveSelection(0, 3, 'previous')).toBe(0);
    expect(moveSelection(0, 0, 'next')).toBe(-1);
  });
});

describe('alarm sound', () => {
  it('holds the click of a shift for 12 hours', () => {
    const now = Date.UTC(2026, 10, 30, 12);
    expect(consentValid(null, now)).toBe(false);
    expect(consentValid(String(now - 60_000), now)).toBe(true);
    expect(consentValid(String(now - SHIFT_MS + 1000), now)).toBe(true);
    expect(consentValid(String(now - SHIFT_MS), now)).toBe(false);
    expect(consentValid('garbage', now)).toBe(false);
    // A clock far in the future (a changed PC clock) does not keep the sound on forever.
    expect(consentValid(String(now + 3600_000), now)).toBe(false);
  });
  it('rings at most once per gap however many alerts come together', () => {
    expect(shouldRing(null, 0)).toBe(true);
    expect(shouldRing(1000, 1000 + RING_GAP_MS - 1)).toBe(false);
    expect(shouldRing(1000, 1000 + RING_GAP_MS)).toBe(true);
  });
  it('is a short tone: under 1.5 s, audible frequencies', () => {
    const end = Math.max(...ALARM_NOTES.map((n) => n.at + n.seconds));
    expect(end).toBeLessThan(1.5);
    expect(ALARM_NOTES.every((n) => n.hz >= 300 && n.hz <= 3000)).toBe(true);
  });
});

describe('alert texts and links', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('ru', key, params);
  it('opens the recording 10 s before the start, or where the event says', () => {
    const a = alert(1);
    const start = Date.parse(a.event.startedAt);
    expect(recordingMoment(a.event)).toBe(start - 10_000);
    expect(recordingLink(a.event)).toBe(`/playback?cameras=${CAM}&at=${new Date(start - 10_000).toISOString()}`.replaceAll('%3A', ':'));
    const pointed = { ...a.event, recording: { from: '2026-11-30T00:00:00.000Z', to: null } };
    expect(recordingMoment(pointed)).toBe(Date.parse('2026-11-30T00:00:00.000Z'));
    expect(recordingLink({ ...a.event, cameraId: null, cameraIds: [] })).toBeNull();
  });
  it('names tamper causes and stream reasons in words', () => {
    expect(kindText({ kind: 'tamper', cause: 'covered' }, t)).toBe('Саботаж камеры: закрыта');
    expect(causeText({ kind: 'offline', cause: 'timeout' }, t)).toBe(translate('ru', 'statusReason.timeout'));
    expect(causeText({ kind: 'recording_failed', cause: 'disk full' }, t)).toBe('disk full');
    expect(causeText({ kind: 'motion', cause: null }, t)).toBeNull();
  });
  it('lists the cameras of a grouped offline alert', () => {
    const names = { camera: (id: string) => (id === CAM ? 'Подъезд 1' : 'Двор'), zone: () => null };
    expect(cameraNames({ cameraId: null, cameraIds: [CAM, CAM2] }, names)).toEqual(['Подъезд 1', 'Двор']);
    expect(cameraNames({ cameraId: CAM, cameraIds: [] }, names)).toEqual(['Подъезд 1']);
  });
  it('allows no action on a dismissed or escalated alert', () => {
    expect(canStillAct({ status: 'new' })).toBe(true);
    expect(canStillAct({ status: 'assigned' })).toBe(true);
    expect(canStillAct({ status: 'dismissed' })).toBe(false);
    expect(canStillAct({ status: 'escalated' })).toBe(false);
  });
});
