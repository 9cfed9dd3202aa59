import type { Logger } from 'pino';
import type { PeopleService } from './people.service.ts';

/**
 * The daily erasure: once at start (after `startDelayMs`, so the server first answers)
 * and then every `intervalMs` (a day), `PeopleService.eraseDue()` erases the archived
 * people whose retention period is over; people an open appeal, incident or registry
 * record holds are left for a later day. One pass at a time; the pass yields to the event
 * loop after each person (the database works off the main thread), so requests and live
 * video never wait for it. Timers are unref'd: the job never keeps a process alive.
 */
export class ErasureJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Passes finished since start (for tests and health). */
  passes = 0;

  constructor(
    private readonly people: PeopleService,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly opts: { intervalMs: number; startDelayMs: number } = { intervalMs: 24 * 3600_000, startDelayMs: 60_000 },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.opts.startDelayMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => this.schedule(this.opts.intervalMs));
    }, ms);
    this.timer.unref();
  }

  /** One pass now (skipped while one is running). Never throws: a failure is logged and tried again next day. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const r = await this.people.eraseDue({ yieldBetween: true });
        if (r.erased || r.held.length) this.logger.info({ module: 'people', erased: r.erased, held: r.held.length }, 'retention: erased archived residents whose period is over');
      } catch (err) {
        this.logger.warn({ module: 'people', err }, 'retention: the daily erasure failed; it runs again tomorrow');
      } finally {
        this.passes++;
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for a running pass to finish (a person is never half-erased: each erasure is one transaction). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
