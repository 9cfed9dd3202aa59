import crypto from 'node:crypto';
import { openAlertStatuses, type Alert, type AlertAction, type AlertAssignees, type AlertPriority, type AlertStatus, type DismissReason, type Incident } from '@kuzet/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { eventDto, type EventsService } from '../events/events.service.ts';
import type { IncidentsService } from '../incidents/incidents.service.ts';

export interface AlertsOptions {
  /** An offline waits this long for others before it alerts alone (default 8 s; offline itself is noticed in ~10 s). */
  holdMs?: number;
  /** Cameras going offline within this window form a group (default 20 s). */
  groupWindowMs?: number;
  /** A group needs this many cameras (default 5) … */
  groupMinCameras?: number;
  /** … or this share of the complex's enabled cameras (default 0.3), but at least 2. */
  groupMinShare?: number;
  /**
   * After the server starts, cameras are still connecting (or a simulator still starting):
   * offlines in this time are held until it ends, and only those still offline then alert —
   * grouped if there are enough (default 0; the server uses 30 s).
   */
  startupGraceMs?: number;
}

type FeedListener = () => void;

interface PendingOffline {
  cameraId: string;
  at: number;
  reason: string | null;
  timer: NodeJS.Timeout | null;
}

interface ActiveGroup {
  eventId: string;
  alertId: string;
  lastAt: number;
  members: string[];
}

const priorities: Record<string, AlertPriority> = {
  motion: 'normal',
  tamper: 'high',
  offline: 'normal',
  online: 'low',
  recording_failed: 'high',
  group_offline: 'high',
};

/** One status row as CameraHistoryService.record gets it from the media engine. */
export interface StatusRow {
  complexId: string;
  cameraId: string;
  stream: string;
  state: string;
  reason: string | null;
  at: Date;
}

/**
 * Alerts: one per alerting event (motion in a zone, tamper, offline, back online, recording
 * failure, a group of cameras offline), the feed that the console's WebSocket replays and
 * follows, and the officer's actions. Every alert and every status change takes the complex's
 * next feed seq in the transaction that writes it (the counter row stays locked until commit,
 * so seqs commit in order): the feed is "rows with seq > after", and a restart loses nothing.
 */
export class AlertsService {
  private readonly feedListeners = new Map<string, Set<FeedListener>>();
  private healthQueue: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, Map<string, PendingOffline>>();
  /** Offline transitions of the last window, per complex (cameraId, at). */
  private readonly recent = new Map<string, { cameraId: string; at: number }[]>();
  private readonly groups = new Map<string, ActiveGroup>();
  private readonly opts: Required<AlertsOptions>;
  /** Until when offlines are held (start-up grace). */
  private readonly graceEnd: number;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private log: { warn(o: object, m: string): void },
    opts: AlertsOptions = {},
  ) {
    this.opts = { holdMs: 8_000, groupWindowMs: 20_000, groupMinCameras: 5, groupMinShare: 0.3, startupGraceMs: 0, ...opts };
    this.graceEnd = clock.now().getTime() + this.opts.startupGraceMs;
    events.onEvent(async (e) => {
      if (e.kind !== 'motion' && e.kind !== 'tamper') return;
      // Detector events (motion in a zone, tamper) alert once, when they begin …
      if (e.created) await this.raise(e.complexId, e.eventId, priorities[e.kind]!);
      // … and the console hears when they end (the same alert, newer updatedAt).
      // … and hears when they end, start again (cooldown) or get their picture (the same alert, newer updatedAt).
      else if (e.phase === 'end' || e.reopened || e.snapshotAdded) await this.eventChanged(e.complexId, e.eventId);
    });
  }
  /** Where failures of background work are reported (the server wires its logger in). */
  useLogger(log: { warn(o: object, m: string): void }): void {
    this.log = log;
  }


  // ── the feed ────────────────────────────────────────────────────────────────

  /** Called after a commit that wrote feed rows of the complex. */
  subscribe(complexId: string, l: FeedListener): () => void {
    let set = this.feedListeners.get(complexId);
    if (!set) this.feedListeners.set(complexId, (set = new Set()));
    set.add(l);
    return () => set.delete(l);
  }

  private notify(complexId: string): void {
    for (const l of this.feedListeners.get(complexId) ?? []) {
      try {
        l();
      } catch (err) {
        this.log.warn({ err }, 'alert feed listener failed');
      }
    }
  }

  async currentSeq(complexId: string): Promise<number> {
    const row = await this.db.selectFrom('alertCounters').select('seq').where('complexId', '=', complexId).executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }

  /**
   * Feed rows with seq > after, coalesced per alert (each alert once, with its state now,
   * at its newest row's seq), in seq order. A client that stored the last feedSeq it
   * processed gets every later change exactly once.
   */
  async feedAfter(complexId: string, after: number, limit = 200): Promise<{ feedSeq: number; alert: Alert }[]> {
    const rows = await this.db
      .selectFrom('alertFeed')
      .select(['alertId', (eb) => eb.fn.max('seq').as('s')])
      .where('complexId', '=', complexId)
      .where('seq', '>', after)
      .groupBy('alertId')
      .orderBy('s')
      .limit(limit)
      .execute();
    const alerts = await this.load(rows.map((r) => r.alertId));
    const byId = new Map(alerts.map((a) => [a.id, a]));
    return rows.flatMap((r) => {
      const alert = byId.get(r.alertId);
      return alert ? [{ feedSeq: Number(r.s), alert }] : [];
    });
  }

  private async nextSeq(tx: Kysely<DB>, complexId: string): Promise<number> {
    const row = await tx
      .insertInto('alertCounters')
      .values({ complexId, seq: 1 })
      .onConflict((oc) => oc.column('complexId').doUpdateSet((eb) => ({ seq: eb('alertCounters.seq', '+', 1) })))
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  private async feedRow(tx: Kysely<DB>, complexId: string, alertId: string): Promise<number> {
    const seq = await this.nextSeq(tx, complexId);
    await tx.insertInto('alertFeed').values({ complexId, seq, alertId, at: this.clock.now() }).execute();
    return seq;
  }

  /** Creates the alert of an event (once per event) and its feed row, in one transaction. */
  async raise(complexId: string, eventId: string, priority: AlertPriority): Promise<string | null> {
    const id = await this.db.transaction().execute((tx) => this.raiseIn(tx, complexId, eventId, priority));
    if (id) this.notify(complexId);
    return id;
  }

  private async raiseIn(tx: Kysely<DB>, complexId: string, eventId: string, priority: AlertPriority): Promise<string | null> {
    const existing = await tx.selectFrom('alerts').select('id').where('eventId', '=', eventId).executeTakeFirst();
    if (existing) return null;
    const seq = await this.nextSeq(tx, complexId);
    const id = crypto.randomUUID();
    const now = this.clock.now();
    await tx.insertInto('alerts').values({ id, complexId, seq, eventId, status: 'new', priority, assignedTo: null, incidentId: null, createdAt: now, updatedAt: now }).execute();
    await tx.insertInto('alertFeed').values({ complexId, seq, alertId: id, at: now }).execute();
    return id;
  }

  /** The alert of an event that ended, started again or got its picture (if it has one) gets a feed row: consoles show it. */
  async eventChanged(complexId: string, eventId: string): Promise<void> {
    const touched = await this.db.transaction().execute((tx) => this.touchIn(tx, complexId, eventId));
    if (touched) this.notify(complexId);
  }

  private async touchIn(tx: Kysely<DB>, complexId: string, eventId: string): Promise<boolean> {
    const alert = await tx.selectFrom('alerts').select('id').where('eventId', '=', eventId).forUpdate().executeTakeFirst();
    if (!alert) return false;
    await tx.updateTable('alerts').set({ updatedAt: this.clock.now() }).where('id', '=', alert.id).execute();
    await this.feedRow(tx, complexId, alert.id);
    return true;
  }

  // ── reading ─────────────────────────────────────────────────────────────────

  async complexOf(alertId: string): Promise<string> {
    const row = await this.db.selectFrom('alerts').select('complexId').where('id', '=', alertId).executeTakeFirst();
    if (!row) throw new DomainError('ALERT_NOT_FOUND');
    return row.complexId;
  }

  async get(alertId: string): Promise<Alert> {
    const [a] = await this.load([alertId]);
    if (!a) throw new DomainError('ALERT_NOT_FOUND');
    return a;
  }

  async list(complexId: string, q: { status: 'open' | 'all'; limit: number; before?: number | undefined }) {
    // The seq first: an alert committed while the list is read is then either in the items or after feedSeq.
    const feedSeq = await this.currentSeq(complexId);
    let base = this.db.selectFrom('alerts').select('id').where('complexId', '=', complexId);
    if (q.status === 'open') base = base.where('status', 'in', [...openAlertStatuses]);
    if (q.before !== undefined) base = base.where('seq', '<', q.before);
    const ids = await base.orderBy('seq', 'desc').limit(q.limit).execute();
    const unack = await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('complexId', '=', complexId).where('status', '=', 'new').executeTakeFirstOrThrow();
    return { items: await this.load(ids.map((r) => r.id)), unacknowledged: Number(unack.n), feedSeq };
  }

  private async load(ids: string[], db: Kysely<DB> = this.db): Promise<Alert[]> {
    if (!ids.length) return [];
    const rows = await db.selectFrom('alerts as a').leftJoin('users as u', 'u.id', 'a.assignedTo').selectAll('a').select('u.displayName as assigneeName').where('a.id', 'in', ids).execute();
    const events = await this.events.rowsByIds(rows.map((r) => r.eventId), db);
    const actions = await db
      .selectFrom('alertActions as x')
      .leftJoin('users as by', 'by.id', 'x.actorId')
      .leftJoin('users as to', 'to.id', 'x.assigneeId')
      .select(['x.alertId', 'x.at', 'x.actorId', 'x.action', 'x.note', 'x.reason', 'x.assigneeId', 'by.displayName as byName', 'to.displayName as toName'])
      .where('x.alertId', 'in', ids)
      .orderBy('x.id')
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      const ev = r ? events.get(r.eventId) : undefined;
      if (!r || !ev) return [];
      const acts: AlertAction[] = actions
        .filter((x) => x.alertId === id)
        .map((x) => ({
          at: new Date(x.at).toISOString(),
          by: { id: x.actorId, displayName: x.byName ?? '' },
          action: x.action,
          note: x.note,
          reason: x.reason,
          assignee: x.assigneeId ? { id: x.assigneeId, displayName: x.toName ?? '' } : null,
        }));
      return [
        {
          id: r.id,
          seq: Number(r.seq),
          complexId: r.complexId,
          eventId: r.eventId,
          event: eventDto(ev),
          status: r.status,
          priority: r.priority,
          assignedTo: r.assignedTo ? { id: r.assignedTo, displayName: r.assigneeName ?? '' } : null,
          incidentId: r.incidentId,
          createdAt: new Date(r.createdAt).toISOString(),
          updatedAt: new Date(r.updatedAt).toISOString(),
          actions: acts,
        },
      ];
    });
  }

  // ── the officer's actions ───────────────────────────────────────────────────

  acknowledge(actor: Actor, alertId: string, note: string | undefined): Promise<Alert> {
    return this.act(actor, alertId, 'acknowledge', { note: note ?? null }, async (cur) => {
      if (cur.status !== 'new') return null;
      return { status: 'acknowledged' };
    }).then((r) => r.alert);
  }

  /** The complex's active operators and inspectors, by name (the assign picker). */
  async assignees(complexId: string): Promise<AlertAssignees> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'displayName', 'role'])
      .where('complexId', '=', complexId)
      .where('disabled', '=', false)
      .where('role', 'in', ['operator', 'inspector'])
      .orderBy('displayName')
      .execute();
    return { items: rows.map((r) => ({ id: r.id, displayName: r.displayName, role: r.role as 'operator' | 'inspector' })) };
  }

  async assign(actor: Actor, alertId: string, userId: string, note: string | undefined): Promise<Alert> {
    const complexId = await this.complexOf(alertId);
    const user = await this.db.selectFrom('users').select(['id', 'role', 'complexId', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!user || user.disabled || !['operator', 'inspector'].includes(user.role) || user.complexId !== complexId) throw new DomainError('ALERT_ASSIGNEE_INVALID', { field: 'userId' });
    return this.act(actor, alertId, 'assign', { note: note ?? null, assigneeId: userId }, async (cur) => {
      if (!openAlertStatuses.includes(cur.status) || cur.assignedTo === userId) return null;
      return { status: 'assigned', assignedTo: userId };
    }).then((r) => r.alert);
  }

  dismiss(actor: Actor, alertId: string, reason: DismissReason, note: string | undefined): Promise<Alert> {
    return this.act(actor, alertId, 'dismiss', { note: note ?? null, reason }, async (cur) => {
      if (!openAlertStatuses.includes(cur.status)) return null;
      return { status: 'dismissed' };
    }).then((r) => r.alert);
  }

  async escalate(actor: Actor, alertId: string, input: { type: string; description?: string | undefined }): Promise<{ alert: Alert; incident: Incident }> {
    const r = await this.act(actor, alertId, 'escalate', { note: input.description ?? null }, async (cur, tx) => {
      if (!openAlertStatuses.includes(cur.status)) return null;
      const ev = (await this.events.rowsByIds([cur.eventId], tx)).get(cur.eventId)!;
      const camera = ev.cameraId ? await tx.selectFrom('cameras').select(['buildingId', 'entranceId', 'zoneId', 'position']).where('id', '=', ev.cameraId).executeTakeFirst() : undefined;
      const incidentId = await this.incidents.createIn(tx, actor, cur.complexId, {
        type: input.type,
        occurredAt: new Date(ev.startedAt).toISOString(),
        place: { buildingId: camera?.buildingId ?? null, entranceId: camera?.entranceId ?? null, zoneId: camera?.zoneId ?? null, position: camera?.position ?? null },
        description: input.description ?? '',
        links: [
          { kind: 'alert', refId: cur.id },
          { kind: 'event', refId: cur.eventId },
        ],
      });
      return { status: 'escalated', incidentId };
    });
    const incident = await this.incidents.get(r.alert.incidentId!);
    await this.incidents.audited(actor, incident);
    return { alert: r.alert, incident };
  }

  /**
   * One action: under the alert's row lock, check the status allows it (else 409 saying who
   * handled it and how), update, write the action and a feed row; then the audit entry.
   */
  private async act(
    actor: Actor,
    alertId: string,
    action: AlertAction['action'],
    extra: { note: string | null; reason?: DismissReason; assigneeId?: string },
    decide: (cur: { id: string; complexId: string; eventId: string; status: AlertStatus; assignedTo: string | null }, tx: Kysely<DB>) => Promise<{ status: AlertStatus; assignedTo?: string; incidentId?: string } | null>,
  ): Promise<{ alert: Alert }> {
    const now = this.clock.now();
    const complexId = await this.db.transaction().execute(async (tx) => {
      const cur = await tx.selectFrom('alerts').select(['id', 'complexId', 'eventId', 'status', 'assignedTo']).where('id', '=', alertId).forUpdate().executeTakeFirst();
      if (!cur) throw new DomainError('ALERT_NOT_FOUND');
      const next = await decide(cur, tx);
      if (!next) throw await this.conflict(tx, alertId, cur.status, action);
      await tx
        .updateTable('alerts')
        .set({ status: next.status, updatedAt: now, ...(next.assignedTo ? { assignedTo: next.assignedTo } : {}), ...(next.incidentId ? { incidentId: next.incidentId } : {}) })
        .where('id', '=', alertId)
        .execute();
      await tx.insertInto('alertActions').values({ alertId, at: now, actorId: actor.id, action, note: extra.note || null, reason: extra.reason ?? null, assigneeId: extra.assigneeId ?? null }).execute();
      await this.feedRow(tx, cur.complexId, alertId);
      return cur.complexId;
    });
    this.notify(complexId);
    const auditAction = ({ acknowledge: 'alert.acknowledged', assign: 'alert.assigned', dismiss: 'alert.dismissed', escalate: 'alert.escalated' } as const)[action];
    const alert = await this.get(alertId);
    await this.audit.append({
      action: auditAction,
      actorId: actor.id,
      subjectType: 'alert',
      subjectId: alertId,
      complexId,
      details: { eventId: alert.eventId, kind: alert.event.kind, cameraId: alert.event.cameraId, note: extra.note, reason: extra.reason ?? null, assigneeId: extra.assigneeId ?? null, incidentId: alert.incidentId, at: now.toISOString() },
    });
    return { alert };
  }

  private async conflict(tx: Kysely<DB>, alertId: string, status: AlertStatus, attempted: string): Promise<DomainError> {
    const last = await tx.selectFrom('alertActions as x').leftJoin('users as u', 'u.id', 'x.actorId').select(['x.action', 'x.at', 'u.displayName']).where('x.alertId', '=', alertId).orderBy('x.id', 'desc').limit(1).executeTakeFirst();
    const verbs: Record<AlertStatus, string> = { new: 'new', acknowledged: 'acknowledged', assigned: 'assigned', dismissed: 'dismissed', escalated: 'turned into an incident' };
    const who = last?.displayName ? ` by ${last.displayName} at ${new Date(last.at).toISOString()}` : '';
    return new DomainError('ALERT_CONFLICT', { status, attempted, by: last?.displayName ?? null, at: last ? new Date(last.at).toISOString() : null }, `This alert is already ${verbs[status]}${who}.`);
  }

  // ── health: offline, back online, groups, recording failures ────────────────

  /** Status rows as the media engine records them (CameraHistoryService). Never throws. */
  onStatus(rows: readonly StatusRow[]): void {
    const main = rows.filter((r) => r.stream === 'main');
    if (!main.length || this.closed) return;
    this.enqueue(async () => {
      for (const r of main) {
        if (r.state === 'offline') await this.wentOffline(r);
        else if (r.state === 'online' || r.state === 'degraded') await this.cameBack(r);
      }
    });
  }

  /** RecordingEvents 'problem' / 'recovered'. Never throws. */
  onRecordingProblem(p: { cameraId: string | null; code: string; message: string; at: number }, recovered = false): void {
    if (this.closed) return;
    this.enqueue(async () => {
      const complexes = p.cameraId
        ? await this.db.selectFrom('cameras').select('complexId').where('id', '=', p.cameraId).execute()
        : await this.db.selectFrom('cameras').select('complexId').where('deletedAt', 'is', null).distinct().execute();
      for (const { complexId } of complexes) {
        let open = this.db.selectFrom('detectionEvents').select('id').where('complexId', '=', complexId).where('kind', '=', 'recording_failed').where('cause', '=', p.code).where('endedAt', 'is', null);
        open = p.cameraId ? open.where('cameraId', '=', p.cameraId) : open.where('cameraId', 'is', null);
        const openRow = await open.executeTakeFirst();
        if (recovered) {
          if (!openRow) continue;
          const touched = await this.db.transaction().execute(async (tx) => {
            await tx.updateTable('detectionEvents').set({ endedAt: new Date(p.at), updatedAt: this.clock.now() }).where('id', '=', openRow.id).execute();
            return this.touchIn(tx, complexId, openRow.id);
          });
          if (touched) this.notify(complexId);
          continue;
        }
        if (openRow) continue;
        const id = await this.db.transaction().execute(async (tx) => {
          const eventId = await this.events.insert(tx, { complexId, cameraId: p.cameraId, kind: 'recording_failed', cause: p.code, startedAt: new Date(p.at), cameraIds: p.cameraId ? [p.cameraId] : [] });
          return this.raiseIn(tx, complexId, eventId, 'high');
        });
        if (id) this.notify(complexId);
      }
    });
  }

  private enqueue(job: () => Promise<void>): void {
    this.healthQueue = this.healthQueue.then(job).catch((err: unknown) => this.log.warn({ err }, 'camera health alert failed'));
  }

  /** Resolves when health work queued so far is done (tests). */
  async settled(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.healthQueue;
      await q;
    } while (q !== this.healthQueue);
  }

  private async openOffline(cameraId: string) {
    return this.db.selectFrom('detectionEvents').select(['id', 'groupEventId', 'complexId']).where('cameraId', '=', cameraId).where('kind', '=', 'offline').where('endedAt', 'is', null).executeTakeFirst();
  }

  private async threshold(complexId: string): Promise<number> {
    const n = await this.db.selectFrom('cameras').select((eb) => eb.fn.countAll<number>().as('n')).where('complexId', '=', complexId).where('deletedAt', 'is', null).where('enabled', '=', true).executeTakeFirstOrThrow();
    return Math.max(2, Math.min(this.opts.groupMinCameras, Math.ceil(this.opts.groupMinShare * Number(n.n))));
  }

  private async wentOffline(r: StatusRow): Promise<void> {
    const at = r.at.getTime();
    const pend = this.pending.get(r.complexId) ?? new Map<string, PendingOffline>();
    this.pending.set(r.complexId, pend);
    if (pend.has(r.cameraId) || (await this.openOffline(r.cameraId))) return; // already known to be down
    const recent = (this.recent.get(r.complexId) ?? []).filter((x) => at - x.at <= this.opts.groupWindowMs && x.cameraId !== r.cameraId);
    recent.push({ cameraId: r.cameraId, at });
    this.recent.set(r.complexId, recent);

    const group = this.groups.get(r.complexId);
    if (group && at - group.lastAt <= this.opts.groupWindowMs && (await this.groupOpen(group.eventId))) {
      await this.joinGroup(r.complexId, group, [{ cameraId: r.cameraId, at, reason: r.reason, timer: null }]);
      return;
    }
    pend.set(r.cameraId, { cameraId: r.cameraId, at, reason: r.reason, timer: null });
    const graceLeft = this.graceEnd - this.clock.now().getTime();
    if (graceLeft > 0) {
      // Still starting up: decide once the grace is over, on what is still offline then.
      const p = pend.get(r.cameraId)!;
      p.timer = setTimeout(() => this.enqueue(() => this.afterGrace(r.complexId, r.cameraId)), graceLeft + this.opts.holdMs);
      p.timer.unref();
      return;
    }
    if (recent.length >= (await this.threshold(r.complexId))) {
      await this.formGroup(r.complexId, recent);
      return;
    }
    const p = pend.get(r.cameraId)!;
    p.timer = setTimeout(() => this.enqueue(() => this.alone(r.complexId, r.cameraId)), this.opts.holdMs);
    p.timer.unref();
  }

  private async groupOpen(eventId: string): Promise<boolean> {
    const row = await this.db.selectFrom('detectionEvents').select('endedAt').where('id', '=', eventId).executeTakeFirst();
    return !!row && row.endedAt === null;
  }

  /** The start-up grace is over and this camera is still offline: a group with the others still offline, or alone. */
  private async afterGrace(complexId: string, cameraId: string): Promise<void> {
    const pend = this.pending.get(complexId);
    if (!pend?.has(cameraId) || this.closed) return; // back meanwhile, or already in a group formed by another's timer
    const still = [...pend.values()];
    if (still.length >= (await this.threshold(complexId))) await this.formGroup(complexId, still.map((p) => ({ cameraId: p.cameraId, at: p.at })));
    else await this.alone(complexId, cameraId);
  }

  /** Nobody joined within the hold: the camera's own offline alert. */
  private async alone(complexId: string, cameraId: string): Promise<void> {
    const pend = this.pending.get(complexId);
    const p = pend?.get(cameraId);
    if (!p || this.closed) return;
    pend!.delete(cameraId);
    const id = await this.db.transaction().execute(async (tx) => {
      const eventId = await this.events.insert(tx, { complexId, cameraId, kind: 'offline', cause: p.reason, startedAt: new Date(p.at) });
      return this.raiseIn(tx, complexId, eventId, priorities.offline!);
    });
    if (id) this.notify(complexId);
  }

  private async formGroup(complexId: string, recent: { cameraId: string; at: number }[]): Promise<void> {
    const pend = this.pending.get(complexId)!;
    const members = [...pend.values()];
    for (const p of members) if (p.timer) clearTimeout(p.timer);
    pend.clear();
    const allIds = [...new Set(recent.map((x) => x.cameraId))];
    const startedAt = new Date(Math.min(...recent.map((x) => x.at)));
    const now = this.clock.now();
    const { eventId, alertId } = await this.db.transaction().execute(async (tx) => {
      const eventId = await this.events.insert(tx, { complexId, cameraId: null, kind: 'group_offline', startedAt, cameraIds: allIds });
      for (const p of members) await this.events.insert(tx, { complexId, cameraId: p.cameraId, kind: 'offline', cause: p.reason, startedAt: new Date(p.at), groupEventId: eventId });
      const alertId = (await this.raiseIn(tx, complexId, eventId, priorities.group_offline!))!;
      return { eventId, alertId };
    });
    this.groups.set(complexId, { eventId, alertId, lastAt: Math.max(...recent.map((x) => x.at), now.getTime() - 1), members: allIds });
    this.notify(complexId);
  }

  private async joinGroup(complexId: string, group: ActiveGroup, more: PendingOffline[]): Promise<void> {
    for (const m of more) if (!group.members.includes(m.cameraId)) group.members.push(m.cameraId);
    group.lastAt = Math.max(group.lastAt, ...more.map((m) => m.at));
    await this.db.transaction().execute(async (tx) => {
      for (const m of more) await this.events.insert(tx, { complexId, cameraId: m.cameraId, kind: 'offline', cause: m.reason, startedAt: new Date(m.at), groupEventId: group.eventId });
      await tx.updateTable('detectionEvents').set({ cameraIds: JSON.stringify(group.members), updatedAt: this.clock.now() }).where('id', '=', group.eventId).execute();
      await tx.updateTable('alerts').set({ updatedAt: this.clock.now() }).where('id', '=', group.alertId).execute();
      await this.feedRow(tx, complexId, group.alertId); // the console shows the longer list
    });
    this.notify(complexId);
  }

  private async cameBack(r: StatusRow): Promise<void> {
    // A camera that is back no longer counts towards a group.
    const recent = this.recent.get(r.complexId);
    if (recent) this.recent.set(r.complexId, recent.filter((x) => x.cameraId !== r.cameraId));
    const pend = this.pending.get(r.complexId);
    const p = pend?.get(r.cameraId);
    if (p) {
      // Back within the hold: a blip, not an alert.
      if (p.timer) clearTimeout(p.timer);
      pend!.delete(r.cameraId);
      return;
    }
    const open = await this.openOffline(r.cameraId);
    if (!open) return;
    const at = r.at;
    let raised: string | null = null;
    let touched = false;
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('detectionEvents').set({ endedAt: at, updatedAt: this.clock.now() }).where('id', '=', open.id).execute();
      touched = await this.touchIn(tx, r.complexId, open.id); // the offline alert is over
      if (!open.groupEventId) {
        const eventId = await this.events.insert(tx, { complexId: r.complexId, cameraId: r.cameraId, kind: 'online', startedAt: at, endedAt: at, peakScore: 0 });
        raised = await this.raiseIn(tx, r.complexId, eventId, priorities.online!);
        return;
      }
      // A member of a group: one "back online" when the whole group is back.
      const stillDown = await tx.selectFrom('detectionEvents').select('id').where('groupEventId', '=', open.groupEventId).where('endedAt', 'is', null).executeTakeFirst();
      if (stillDown) return;
      const g = await tx.selectFrom('detectionEvents').select(['cameraIds', 'endedAt']).where('id', '=', open.groupEventId).executeTakeFirst();
      if (!g || g.endedAt) return;
      await tx.updateTable('detectionEvents').set({ endedAt: at, updatedAt: this.clock.now() }).where('id', '=', open.groupEventId).execute();
      touched = (await this.touchIn(tx, r.complexId, open.groupEventId)) || touched;
      const eventId = await this.events.insert(tx, { complexId: r.complexId, cameraId: null, kind: 'online', startedAt: at, endedAt: at, peakScore: 0, cameraIds: g.cameraIds });
      raised = await this.raiseIn(tx, r.complexId, eventId, priorities.online!);
    });
    if (open.groupEventId && this.groups.get(r.complexId)?.eventId === open.groupEventId && raised) this.groups.delete(r.complexId);
    if (raised || touched) this.notify(r.complexId);
  }

  close(): void {
    this.closed = true;
    for (const pend of this.pending.values()) for (const p of pend.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    this.feedListeners.clear();
  }
}
