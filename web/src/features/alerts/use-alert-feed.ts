import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Alert } from '@kuzet/contracts';
import { alertsApi } from '../../api/alerts.ts';
import { useSessionContext } from '../../hooks/use-session.ts';
import {
  applyMessage,
  emptyFeed,
  mergeAlerts,
  parseFeedMessage,
  readSeq,
  reconnectDelay,
  reconnecting,
  resumeFrom,
  seqStorageKey,
  type Applied,
  type FeedState,
} from './alert-feed.ts';
import type { FeedConnection } from './alerts-context.ts';

/** With no message (the server pings) for this long, the socket is taken as dead. */
const SILENCE_MS = 45_000;
const LIST_LIMIT = 200;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

interface Input {
  complexId: string | null;
  userId: string;
  /** Signed in, unlocked, allowed to see alerts. */
  active: boolean;
  /** Alerts seen for the first time while unacknowledged. */
  onFresh: (alerts: Alert[]) => void;
}

/**
 * The complex's alerts: the open list from REST, then the live feed over a WebSocket that
 * resumes after the last processed feed seq (kept per user + complex). A dropped socket
 * reconnects with a growing pause (1 s … 30 s) and `after=<last seq>`, so nothing is missed
 * and nothing is shown twice.
 */
export function useAlertFeed({ complexId, userId, active, onFresh }: Input) {
  const { refresh } = useSessionContext();
  const [state, setState] = useState<FeedState>(emptyFeed);
  const stateRef = useRef<FeedState>(emptyFeed);
  const [list, setList] = useState<{ complexId: string; seq: number | null; error: unknown } | null>(null);
  const [connection, setConnection] = useState<FeedConnection>('connecting');
  const [attempt, setAttempt] = useState(0);
  const [nonce, setNonce] = useState(0);
  const failures = useRef(0);
  const onFreshRef = useRef(onFresh);
  useLayoutEffect(() => {
    onFreshRef.current = onFresh;
  });
  const key = complexId ? seqStorageKey(userId, complexId) : null;

  const commit = useCallback(
    (applied: Applied, ring: boolean) => {
      const before = stateRef.current.lastSeq;
      stateRef.current = applied.state;
      setState(applied.state);
      if (key && applied.state.lastSeq !== null && applied.state.lastSeq !== before) {
        storage()?.setItem(key, String(applied.state.lastSeq));
      }
      if (ring && applied.fresh.length > 0) onFreshRef.current(applied.fresh);
    },
    [key],
  );

  // Another complex: start from nothing.
  useEffect(() => {
    stateRef.current = emptyFeed;
    setState(emptyFeed);
    setList(null);
    failures.current = 0;
  }, [complexId]);

  // The open list (the feed's position comes with it).
  useEffect(() => {
    if (!active || !complexId) return;
    const controller = new AbortController();
    alertsApi.list(complexId, { status: 'open', limit: LIST_LIMIT }, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        commit(mergeAlerts(stateRef.current, page.items), false);
        setList({ complexId, seq: page.feedSeq, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setList((l) => ({ complexId, seq: l?.complexId === complexId ? l.seq : null, error }));
      },
    );
    return () => controller.abort();
  }, [active, complexId, nonce, commit]);

  const listSettled = list !== null && list.complexId === complexId;
  const listSeq = listSettled ? list.seq : null;

  // The live feed, once the list has answered (or failed).
  useEffect(() => {
    if (!active || !complexId || !listSettled || !key) return;
    const after = resumeFrom(readSeq(storage(), key), stateRef.current, listSeq);
    const socket = new WebSocket(alertsApi.liveUrl(complexId, after));
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastHeard = Date.now();
    stateRef.current = reconnecting(stateRef.current);
    setConnection(failures.current > 0 ? 'reconnecting' : 'connecting');

    socket.onmessage = (event: MessageEvent) => {
      lastHeard = Date.now();
      const message = parseFeedMessage(event.data);
      if (!message) return;
      if (message.type === 'caught-up') {
        failures.current = 0;
        setConnection('open');
      }
      commit(applyMessage(stateRef.current, message), true);
    };
    socket.onclose = () => {
      if (disposed) return;
      setConnection('reconnecting');
      const pause = reconnectDelay(failures.current);
      failures.current += 1;
      // Refused more than once: the session may have ended or locked; read it again.
      if (failures.current >= 2) refresh().catch(() => undefined);
      timer = setTimeout(() => setAttempt((n) => n + 1), pause);
    };
    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard > SILENCE_MS && socket.readyState === WebSocket.OPEN) socket.close();
    }, 5_000);
    // For tests and for a person who wants a fresh start: drop the socket (it reconnects).
    const handle = window as unknown as { kuzetAlertFeed?: { drop: () => void } };
    handle.kuzetAlertFeed = { drop: () => socket.close() };

    return () => {
      disposed = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      socket.onmessage = null;
      socket.onclose = null;
      socket.close();
      if (handle.kuzetAlertFeed?.drop) delete handle.kuzetAlertFeed;
    };
  }, [active, complexId, listSettled, listSeq, key, attempt, commit, refresh]);

  const merge = useCallback((alerts: readonly Alert[]) => commit(mergeAlerts(stateRef.current, alerts), false), [commit]);
  const reloadList = useCallback(() => setNonce((n) => n + 1), []);

  return {
    state,
    connection: active ? connection : ('closed' as const),
    listError: listSettled ? list.error : null,
    loading: active && !listSettled,
    merge,
    reloadList,
  };
}
