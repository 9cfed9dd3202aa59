import { useEffect, useRef, useState } from 'react';
import { camerasApi } from '../../api/cameras.ts';
import { useSessionContext } from '../../hooks/use-session.ts';
import { applyLiveEvent, emptyLive, parseLiveEvent, type LiveCameras, type LiveConnection } from './camera-live.ts';

const EVENT_TYPES = ['snapshot', 'camera', 'removed'] as const;
const RETRY_MS = [5_000, 15_000, 60_000];

interface Held extends LiveCameras {
  complexId: string | null;
  connection: LiveConnection;
}

export interface LiveState extends LiveCameras {
  connection: LiveConnection;
}

/**
 * The complex's cameras as the server pushes them (server-sent events). Opens the
 * stream only while someone is signed in and the screen is unlocked, so a locked or
 * expired session sends nothing the server would refuse. EventSource reconnects by
 * itself after a dropped connection; when the server refuses it (the stream closes),
 * the session is read again and the stream retried with a growing pause.
 */
export function useCameraEvents(complexId: string | null, enabled = true): LiveState {
  const { state, refresh } = useSessionContext();
  const active = enabled && complexId !== null && state.status === 'signed-in' && !state.session.locked;
  const [held, setHeld] = useState<Held>({ ...emptyLive, complexId: null, connection: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  const failures = useRef(0);

  useEffect(() => {
    if (!active || complexId === null) return;
    const source = new EventSource(camerasApi.eventsUrl(complexId));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = (fn: (h: Held) => Held) =>
      setHeld((h) => fn(h.complexId === complexId ? h : { ...emptyLive, complexId, connection: 'connecting' }));

    const listeners = EVENT_TYPES.map((type) => {
      const listener = (message: MessageEvent<string>) => {
        const event = parseLiveEvent(type, message.data);
        if (!event) return;
        failures.current = 0;
        update((h) => ({ ...h, ...applyLiveEvent(h, event), connection: 'open' }));
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        update((h) => ({ ...h, connection: 'connecting' }));
        return;
      }
      update((h) => ({ ...h, connection: 'closed' }));
      // Refused (signed out, locked, no access) or the server is gone: read the session, then try again.
      refresh().catch(() => undefined);
      const pause = RETRY_MS[Math.min(failures.current, RETRY_MS.length - 1)];
      failures.current += 1;
      timer = setTimeout(() => setAttempt((n) => n + 1), pause);
    };
    return () => {
      clearTimeout(timer);
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.onerror = null;
      source.close();
    };
  }, [active, complexId, attempt, refresh]);

  if (held.complexId !== complexId) return { ...emptyLive, connection: active ? 'connecting' : 'closed' };
  return { cameras: held.cameras, membership: held.membership, connection: active ? held.connection : 'closed' };
}
