import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from './errors.ts';
import { policyKey } from './policy-hooks.ts';

/**
 * Load shedding: when the server is saturated, the lowest-priority API work is
 * refused at once with 503 OVERLOADED (and Retry-After) instead of queueing behind
 * everything else. Each class has its own concurrency limit and a bounded wait
 * queue; a request that would wait too long is refused rather than served late.
 * Sign-in, the session, live video and long-lived streams are never refused.
 */
export type Priority = 'exempt' | 'normal' | 'low';

/** Never refused: a person must be able to sign in and to watch video whatever the load. */
const EXEMPT = new Set([
  'GET /api/health',
  'GET /api/v1/cameras/:cameraId/live',
  'GET /api/v1/live', // the wall's one WebSocket per page
  // Long-lived (SSE): a slot would be held for the life of the stream.
  'GET /api/v1/complexes/:complexId/cameras/events',
]);
const EXEMPT_PREFIXES = ['/api/v1/auth/', '/api/docs'];
/** Reports and long reads: they wait for or lose a slot first. */
const LOW = new Set([
  'GET /api/v1/audit',
  'POST /api/v1/audit/verify',
  'GET /api/v1/complexes/:complexId/cameras/uptime',
  'GET /api/v1/cameras/:cameraId/status-history',
]);

export function priorityOf(method: string, routeUrl: string | undefined): Priority {
  if (!routeUrl || !routeUrl.startsWith('/api/')) return 'exempt'; // the console's files, not-found answers
  const key = policyKey(method, routeUrl);
  if (EXEMPT.has(key) || EXEMPT_PREFIXES.some((p) => routeUrl.startsWith(p))) return 'exempt';
  return LOW.has(key) ? 'low' : 'normal';
}

export interface ShedLimits {
  normal: { concurrency: number; queue: number };
  low: { concurrency: number; queue: number };
  /** A request that waited this long for a slot is refused. */
  maxWaitMs: number;
  /**
   * Low-priority work is refused while the main thread's event-loop delay (the median
   * over the last second) is above this: a sustained backlog, not one spike — on a
   * starved machine a single late wake-up says nothing about this thread's own load.
   */
  eventLoopDelayMs: number;
  retryAfterSeconds: number;
}

export const defaultShedLimits: ShedLimits = {
  normal: { concurrency: 64, queue: 256 },
  low: { concurrency: 16, queue: 64 },
  maxWaitMs: 2000,
  eventLoopDelayMs: 100,
  retryAfterSeconds: 1,
};

interface Waiter {
  resolve(release: () => void): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

class Gate {
  active = 0;
  readonly waiters: Waiter[] = [];
  constructor(readonly limits: { concurrency: number; queue: number }) {}
}

export interface ShedStats {
  active: Record<'normal' | 'low', number>;
  waiting: Record<'normal' | 'low', number>;
  refused: Record<'normal' | 'low', number>;
  eventLoopDelayMs: number;
}

export class LoadShedder {
  private readonly gates: Record<'normal' | 'low', Gate>;
  private readonly refused = { normal: 0, low: 0 };
  private delayMs = 0;
  private monitor: { stop(): void } | null = null;

  /** `delayProbe` replaces the event-loop monitor (tests). */
  constructor(
    readonly limits: ShedLimits = defaultShedLimits,
    private readonly delayProbe?: () => number,
  ) {
    this.gates = { normal: new Gate(limits.normal), low: new Gate(limits.low) };
  }

  /** Samples the main thread's event-loop delay; the figure is renewed once a second. */
  start(): void {
    if (this.monitor || this.delayProbe) return;
    const resolutionMs = 20;
    const h = monitorEventLoopDelay({ resolution: resolutionMs });
    h.enable();
    const timer = setInterval(() => {
      // The histogram holds whole timer intervals: the delay is what exceeds the resolution.
      this.delayMs = h.count ? Math.max(0, h.percentile(50) / 1e6 - resolutionMs) : 0;
      h.reset();
    }, 1000);
    timer.unref();
    this.monitor = {
      stop: () => {
        clearInterval(timer);
        h.disable();
      },
    };
  }

  stop(): void {
    this.monitor?.stop();
    this.monitor = null;
  }

  eventLoopDelayMs(): number {
    return this.delayProbe ? this.delayProbe() : this.delayMs;
  }

  stats(): ShedStats {
    return {
      active: { normal: this.gates.normal.active, low: this.gates.low.active },
      waiting: { normal: this.gates.normal.waiters.length, low: this.gates.low.waiters.length },
      refused: { ...this.refused },
      eventLoopDelayMs: this.eventLoopDelayMs(),
    };
  }

  /** Takes a slot of the class (waiting for one if the queue has room); the returned function gives it back. */
  enter(priority: Priority): Promise<() => void> {
    if (priority === 'exempt') return Promise.resolve(noop);
    const gate = this.gates[priority];
    if (priority === 'low' && this.eventLoopDelayMs() > this.limits.eventLoopDelayMs) return Promise.reject(this.refuse(priority, 'event_loop_delay'));
    if (gate.active < gate.limits.concurrency) {
      gate.active++;
      return Promise.resolve(this.releaser(gate));
    }
    if (gate.waiters.length >= gate.limits.queue) return Promise.reject(this.refuse(priority, 'queue_full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = gate.waiters.indexOf(waiter);
          if (i >= 0) gate.waiters.splice(i, 1);
          reject(this.refuse(priority, 'wait_too_long'));
        }, this.limits.maxWaitMs),
      };
      gate.waiters.push(waiter);
    });
  }

  private releaser(gate: Gate): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      gate.active--;
      const next = gate.waiters.shift();
      if (next) {
        clearTimeout(next.timer);
        gate.active++;
        next.resolve(this.releaser(gate));
      }
    };
  }

  private refuse(priority: 'normal' | 'low', reason: string): DomainError {
    this.refused[priority]++;
    return new DomainError('OVERLOADED', { retryAfterSeconds: this.limits.retryAfterSeconds, reason });
  }
}

function noop(): void {}

/** The limits a configuration asks for; the rest stay at their defaults. */
export function shedLimitsOf(api: { concurrency: number; lowConcurrency: number; maxWaitMs: number }): ShedLimits {
  return {
    ...defaultShedLimits,
    normal: { concurrency: api.concurrency, queue: api.concurrency * 4 },
    low: { concurrency: api.lowConcurrency, queue: api.lowConcurrency * 4 },
    maxWaitMs: api.maxWaitMs,
  };
}

/**
 * Runs before authentication (which itself queries the database), so refused work
 * costs next to nothing. Register before the policy hooks.
 */
export function registerLoadShedding(app: FastifyInstance, shedder: LoadShedder): void {
  const slots = new WeakMap<FastifyRequest, () => void>();
  const release = async (request: FastifyRequest) => {
    slots.get(request)?.();
    slots.delete(request);
  };
  app.addHook('onRequest', async (request) => {
    const priority = priorityOf(request.method, request.routeOptions.url);
    if (priority === 'exempt') return;
    slots.set(request, await shedder.enter(priority));
  });
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}
