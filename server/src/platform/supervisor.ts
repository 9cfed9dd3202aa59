import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisedSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** First restart delay; doubles up to maxBackoffMs, back to the start after a minute of uptime. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** SIGTERM, then SIGKILL after this long. */
  killTimeoutMs?: number;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called with every new child (the first and each restart), e.g. to wire its pipes. */
  onSpawn?: (child: ChildProcess) => void;
  /** Keep stdin open as a pipe (default: ignored). */
  stdin?: boolean;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/**
 * Runs one child process and keeps it running: restarts it with backoff when it
 * dies, never starts a second one while the first lives, and on stop() escalates
 * SIGTERM → SIGKILL and waits for the exit — no child outlives the server.
 */
export class Supervised {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private backoff: number;
  private stopped = false;
  private startedAt = 0;
  restarts = 0;

  constructor(private readonly spec: SupervisedSpec) {
    this.backoff = spec.backoffMs ?? 1000;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopped || this.child) return;
    const child = spawn(this.spec.command, this.spec.args, { env: this.spec.env ?? process.env, stdio: [this.spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    this.spec.onSpawn?.(child);
    for (const stream of ['stdout', 'stderr'] as const) {
      if (stream === 'stdout' && this.spec.onSpawn && !this.spec.onLine) continue; // the owner reads stdout itself
      let rest = '';
      child[stream]!.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) this.spec.onLine?.(l, stream);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.child = null;
        this.spec.onExit?.(code, signal);
        resolve();
        if (this.stopped) return;
        if (Date.now() - this.startedAt > 60_000) this.backoff = this.spec.backoffMs ?? 1000;
        const delay = this.backoff;
        this.backoff = Math.min(this.backoff * 2, this.spec.maxBackoffMs ?? 30_000);
        this.restarts++;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.start();
        }, delay);
      });
    });
    child.once('error', () => undefined); // 'exit' follows (or spawn failed: exit with code null)
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.spec.killTimeoutMs ?? 5000);
    await this.exited;
    clearTimeout(kill);
  }
}
