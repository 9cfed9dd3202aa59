import type { Alert, AlertFeedMessage } from '@kuzet/contracts';

/**
 * The console's copy of the complex's alerts, fed by the REST list and the live feed
 * (WebSocket `/api/v1/alerts/live?after=<feedSeq>`). Pure: the hook owns the socket.
 *
 * Exactly once on screen: every feed row carries the feed's seq; a row at or below the
 * last processed seq is skipped (a replay that overlaps what was already seen), and one
 * alert is one entry, replaced only by a newer `updatedAt` (a status change). The last
 * processed seq is kept per user + complex (localStorage), so a reload or a reconnect
 * asks for `after=<that>` and gets exactly what it missed.
 */
export interface FeedState {
  byId: ReadonlyMap<string, Alert>;
  /** The largest feed seq processed; null before the first list or message. */
  lastSeq: number | null;
  /** The replay after the last (re)connect has ended. */
  caughtUp: boolean;
}

export const emptyFeed: FeedState = { byId: new Map(), lastSeq: null, caughtUp: false };

export interface Applied {
  state: FeedState;
  /** Alerts seen for the first time while still unacknowledged: these ring. */
  fresh: Alert[];
}

/** Whether `incoming` should replace `held` (same alert): a strictly newer state. */
export function isNewer(incoming: Alert, held: Alert | undefined): boolean {
  if (!held) return true;
  const a = Date.parse(incoming.updatedAt);
  const b = Date.parse(held.updatedAt);
  if (a !== b) return a > b;
  // Same instant (two actions within a millisecond): more actions recorded is the later state.
  return incoming.actions.length > held.actions.length;
}

/** Merges alerts (a list page, an action's answer) without touching the feed position. */
export function mergeAlerts(state: FeedState, alerts: readonly Alert[]): Applied {
  let byId: Map<string, Alert> | null = null;
  const fresh: Alert[] = [];
  for (const alert of alerts) {
    const held = (byId ?? state.byId).get(alert.id);
    if (!isNewer(alert, held)) continue;
    byId ??= new Map(state.byId);
    byId.set(alert.id, alert);
    if (!held && alert.status === 'new') fresh.push(alert);
  }
  return { state: byId ? { ...state, byId } : state, fresh };
}

/** Applies one feed message. */
export function applyMessage(state: FeedState, message: AlertFeedMessage): Applied {
  switch (message.type) {
    case 'ping':
      return { state, fresh: [] };
    case 'caught-up':
      // The server's word on the position to keep: the last replayed row, or — when this console
      // remembered a seq from another database (a restore, a reinstall) — the feed's current seq.
      return { state: { ...state, lastSeq: message.seq, caughtUp: true }, fresh: [] };
    case 'alert': {
      if (state.lastSeq !== null && message.feedSeq <= state.lastSeq) return { state, fresh: [] };
      const merged = mergeAlerts(state, [message.alert]);
      return { state: { ...merged.state, lastSeq: message.feedSeq }, fresh: merged.fresh };
    }
  }
}

/** A (re)connect starts a new replay. */
export function reconnecting(state: FeedState): FeedState {
  return state.caughtUp ? { ...state, caughtUp: false } : state;
}

/** Reads one WebSocket message; null for anything that is not a feed message. */
export function parseFeedMessage(data: unknown): AlertFeedMessage | null {
  if (typeof data !== 'string') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  const m = payload as { type?: unknown; seq?: unknown; feedSeq?: unknown; alert?: unknown };
  if (m.type === 'ping') return { type: 'ping' };
  if (m.type === 'caught-up' && Number.isInteger(m.seq)) return { type: 'caught-up', seq: m.seq as number };
  if (m.type === 'alert' && Number.isInteger(m.feedSeq) && m.alert && typeof m.alert === 'object') {
    const alert = m.alert as Partial<Alert>;
    if (typeof alert.id === 'string' && typeof alert.updatedAt === 'string' && alert.event && Array.isArray(alert.actions)) {
      return { type: 'alert', feedSeq: m.feedSeq as number, alert: alert as Alert };
    }
  }
  return null;
}

/** Open = still needs someone (new, acknowledged, assigned). */
export function isOpen(alert: Alert): boolean {
  return alert.status === 'new' || alert.status === 'acknowledged' || alert.status === 'assigned';
}

/** The badge: alerts nobody has acknowledged yet. */
export function unacknowledged(state: FeedState): number {
  let n = 0;
  for (const alert of state.byId.values()) if (alert.status === 'new') n += 1;
  return n;
}

const PRIORITY: Record<Alert['priority'], number> = { high: 0, normal: 1, low: 2 };

/**
 * The console's order: unacknowledged first, then by priority, newest first within; the
 * closed ones (dismissed, escalated) only with `all`, after the open ones.
 */
export function feedList(state: FeedState, show: 'open' | 'all'): Alert[] {
  const list = [...state.byId.values()].filter((a) => show === 'all' || isOpen(a));
  const rank = (a: Alert) => (a.status === 'new' ? 0 : isOpen(a) ? 1 : 2);
  return list.sort(
    (a, b) => rank(a) - rank(b) || PRIORITY[a.priority] - PRIORITY[b.priority] || b.seq - a.seq,
  );
}

/** Where the last processed seq is kept: per user and complex. */
export function seqStorageKey(userId: string, complexId: string): string {
  return `kuzet.alerts.seq.${userId}.${complexId}`;
}

export function readSeq(storage: Pick<Storage, 'getItem'> | null, key: string): number | null {
  const raw = storage?.getItem(key) ?? null;
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/** The pause before reconnect number `failures` (0 = the first retry). */
export function reconnectDelay(failures: number): number {
  return BACKOFF_MS[Math.min(Math.max(0, failures), BACKOFF_MS.length - 1)]!;
}

/** The seq to reconnect with: what was processed here, else the list's position. */
export function resumeFrom(stored: number | null, state: FeedState, listSeq: number | null): number | null {
  const candidates = [stored, state.lastSeq].filter((n): n is number => n !== null);
  if (candidates.length > 0) return Math.max(...candidates);
  return listSeq;
}
