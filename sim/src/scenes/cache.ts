/**
 * Scene clips are rendered once by ffmpeg and cached on disk, keyed by a hash of the ffmpeg
 * arguments and a format version, so a second start is instant and a change to a scene or
 * an encoder flag re-renders only what changed. At most `concurrency` ffmpeg run at once;
 * every child is tracked so stop() can kill it and none outlives the simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { commandFor } from '@kuzet/ffmpeg';
import { canvasFor, encodeArgs, validateSpec, type ClipSpec } from './filtergraph.ts';
import { sceneTruth, type SceneTruth } from './truth.ts';

/** Bump when the output format or anything outside the ffmpeg arguments changes meaning. */
export const FORMAT_VERSION = 1;
const STALE_TEMP_MS = 30 * 60_000;

export interface ClipFiles {
  key: string;
  spec: ClipSpec;
  dir: string;
  main: string;
  sub: string;
  truth: SceneTruth;
}

export function defaultCacheDir(): string {
  const env = process.env.KUZET_SIM_CACHE;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg || join(homedir(), '.cache'), 'kuzet-sim');
}

const ext = (spec: ClipSpec): string => (spec.codec === 'h265' ? 'h265' : 'h264');

export function clipKey(spec: ClipSpec): string {
  validateSpec(spec);
  const args = encodeArgs(spec, `main.${ext(spec)}`, `sub.${ext(spec)}`);
  return createHash('sha256')
    .update(JSON.stringify({ v: FORMAT_VERSION, args }))
    .digest('hex')
    .slice(0, 16);
}

export function clipName(spec: ClipSpec): string {
  const extra = `${spec.subGopSeconds === 1 ? '-g1' : ''}${spec.tamper ? `-${spec.tamper}` : ''}`;
  return `${spec.scene}-${spec.codec}-${spec.main}-s${spec.stampId}-${spec.loopSeconds}s${extra}-${clipKey(spec)}`;
}

export class SceneCache {
  private readonly running = new Set<ChildProcess>();
  private readonly pending = new Map<string, Promise<ClipFiles>>();
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
    private readonly concurrency = 2,
    private readonly ffmpeg = commandFor('ffmpeg'),
  ) {}

  /** Renders whatever is missing (deduplicated), logging `i/n` progress, and returns every clip. */
  async ensureAll(specs: ClipSpec[]): Promise<ClipFiles[]> {
    await mkdir(this.dir, { recursive: true });
    await this.removeStaleTemp();
    const unique = new Map(specs.map((s) => [clipName(s), s]));
    const missing = [...unique.keys()].filter((name) => !existsSync(join(this.dir, name, 'meta.json')));
    let started = 0;
    const t0 = Date.now();
    const byName = new Map<string, ClipFiles>();
    // allSettled: on failure or abort, every job has cleaned up its temp dir before we throw
    const settled = await Promise.allSettled(
      [...unique].map(async ([name, spec]) => {
        const files = await this.ensure(spec, name, () => {
          started++;
          this.log(
            `sim: encoding scene ${spec.scene} ${spec.codec} ${spec.main}+sub (stamp ${spec.stampId})… ${started}/${missing.length}`,
          );
        });
        byName.set(name, files);
      }),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (missing.length)
      this.log(
        `sim: ${missing.length} scene clip(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache ${this.dir})`,
      );
    return specs.map((s) => byName.get(clipName(s)) as ClipFiles);
  }

  /** Temp dirs left by a simulator that was killed mid-encode (its ffmpeg finished into the void). */
  private async removeStaleTemp(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith('.tmp-')) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(path, { recursive: true, force: true });
    }
  }

  private ensure(spec: ClipSpec, name: string, onStart: () => void): Promise<ClipFiles> {
    let p = this.pending.get(name);
    if (!p) {
      p = this.load(spec, name, onStart);
      this.pending.set(name, p);
      p.catch(() => this.pending.delete(name));
    }
    return p;
  }

  private async load(spec: ClipSpec, name: string, onStart: () => void): Promise<ClipFiles> {
    const dir = join(this.dir, name);
    const files = (): ClipFiles => ({
      key: clipKey(spec),
      spec,
      dir,
      main: join(dir, `main.${ext(spec)}`),
      sub: join(dir, `sub.${ext(spec)}`),
      truth: sceneTruth(spec.scene, canvasFor(spec)),
    });
    if (existsSync(join(dir, 'meta.json'))) return files();
    await this.slot();
    try {
      if (existsSync(join(dir, 'meta.json'))) return files(); // another process finished it meanwhile
      onStart();
      // Render into a private temp dir and rename: concurrent simulators (parallel test files)
      // never see a half-written clip.
      const tmp = join(this.dir, `.tmp-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
      await mkdir(tmp, { recursive: true });
      try {
        const args = encodeArgs(spec, join(tmp, `main.${ext(spec)}`), join(tmp, `sub.${ext(spec)}`));
        await this.run(args);
        const truth = sceneTruth(spec.scene, canvasFor(spec));
        await writeFile(join(tmp, 'truth.json'), JSON.stringify(truth));
        await writeFile(join(tmp, 'meta.json'), JSON.stringify({ formatVersion: FORMAT_VERSION, spec, args }, null, 1));
        await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
          if (!existsSync(join(dir, 'meta.json'))) throw err;
        });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return files();
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.closed) throw new Error('simulator stopped');
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.closed) throw new Error('simulator stopped');
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  private run(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('simulator stopped'));
      const child = spawn(this.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      this.running.add(child);
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      child.on('error', (err) => {
        this.running.delete(child);
        reject(new Error(`cannot run ffmpeg (${this.ffmpeg}): ${err.message}`));
      });
      child.on('close', (code, signal) => {
        this.running.delete(child);
        if (code === 0) resolve();
        else if (this.closed) reject(new Error('simulator stopped while encoding scenes'));
        else reject(new Error(`ffmpeg failed (${signal ?? code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      });
    });
  }

  /** Kills running encodes (SIGTERM, then SIGKILL after 2 s) and waits until they are gone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w();
    await Promise.all(
      [...this.running].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
            child.once('close', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}
