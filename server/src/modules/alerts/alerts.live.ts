import type { AlertFeedMessage } from '@kuzet/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { AlertsService } from './alerts.service.ts';

/** Close codes of the alert feed. */
export const alertFeedCloseCodes = { signedOut: 4401, unavailable: 4503 } as const;

export interface AlertFeedOptions {
  alerts: AlertsService;
  complexId: string;
  /** The last feed seq the client processed; undefined = no replay. */
  after: number | undefined;
  pingMs: number;
  log: Pick<FastifyBaseLogger, 'warn'>;
  stillSignedIn(): Promise<boolean>;
}

/**
 * One console's feed: subscribe first (nothing committed meanwhile is missed), replay rows with
 * seq > after, `caught-up`, then each new row as it commits. One pump at a time per socket, always
 * from the last seq sent: every feed row goes out once and in order.
 */
export function serveAlertFeed(socket: WebSocket, o: AlertFeedOptions): void {
  let last = -1;
  let pumping = false;
  let again = false;
  let open = true;
  let ready = false;
  const send = (m: AlertFeedMessage) => {
    if (open && socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
  };
  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        const batch = await o.alerts.feedAfter(o.complexId, last);
        for (const item of batch) {
          if (!open) return;
          send({ type: 'alert', feedSeq: item.feedSeq, alert: item.alert });
          last = item.feedSeq;
        }
        if (batch.length >= 200) again = true;
      } while (again && open);
    } finally {
      pumping = false;
    }
  };
  const fail = (err: unknown) => {
    o.log.warn({ err, complexId: o.complexId }, 'alert feed failed; the console reconnects');
    if (open) socket.close(alertFeedCloseCodes.unavailable, 'feed unavailable');
  };
  const unsubscribe = o.alerts.subscribe(o.complexId, () => {
    if (ready) void pump().catch(fail); // before, the replay below reads it anyway
  });
  const ping = setInterval(() => {
    void o.stillSignedIn().then(
      (ok) => {
        if (!ok) socket.close(alertFeedCloseCodes.signedOut, 'signed out');
        else send({ type: 'ping' });
      },
      () => send({ type: 'ping' }),
    );
  }, o.pingMs);
  socket.on('message', () => undefined); // nothing to say from the console; bounded by maxPayload
  socket.on('close', () => {
    open = false;
    clearInterval(ping);
    unsubscribe();
  });
  void (async () => {
    const current = await o.alerts.currentSeq(o.complexId);
    // A seq from the future (a console that remembers another database: a restore, a reinstall)
    // would wait forever: start from now, and caught-up tells the console the seq to keep.
    last = o.after === undefined || o.after > current ? current : o.after;
    ready = true;
    await pump();
    send({ type: 'caught-up', seq: last });
  })().catch(fail);
}
