import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_FIELDS, type DbErrorFields, type FromDbWorker, type ToDbWorker } from './pglite.protocol.ts';

/**
 * An error of the embedded database, rebuilt on the main thread with the fields
 * PostgreSQL gave it (code, detail, constraint…), as node-postgres reports them.
 */
export class DatabaseError extends Error {
  severity?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  routine?: string;
  constructor(fields: DbErrorFields) {
    super(fields.message);
    this.name = 'DatabaseError';
    for (const k of ERROR_FIELDS) if (fields[k] !== undefined) this[k] = fields[k];
  }
}

export interface WorkerQueryResult {
  rows: unknown[];
  affectedRows: number;
}

interface Pending {
  resolve(r: WorkerQueryResult | null): void;
  reject(e: Error): void;
}

/**
 * The main thread's handle on the PGlite worker (pglite.worker.ts): sends queries,
 * matches answers by id. If the worker dies, every waiting and later query fails
 * with an error saying so, instead of hanging.
 */
export class PGliteWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromDbWorker) => this.onMessage(m));
    worker.on('error', (err) => this.fail(new Error(`The embedded database thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.fail(new Error(`The embedded database thread stopped (exit code ${code}).`)));
  }

  /** Starts the worker and resolves once PGlite has opened `dir`. */
  static async open(dir: string): Promise<PGliteWorkerClient> {
    const worker = new Worker(path.join(import.meta.dirname, 'pglite.worker.mjs'), { name: 'pglite', workerData: { dir } });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromDbWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new DatabaseError(m.error));
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The embedded database thread stopped while opening ${dir} (exit code ${code}).`)));
    });
    const client = new PGliteWorkerClient(worker);
    try {
      await ready;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return client;
  }

  query(sql: string, params: readonly unknown[]): Promise<WorkerQueryResult> {
    return this.send((id) => ({ type: 'query', id, sql, params: [...params] })) as Promise<WorkerQueryResult>;
  }

  /** Closes PGlite (flushing the data dir) and ends the thread. */
  async close(): Promise<void> {
    if (!this.dead) {
      await this.send((id) => ({ type: 'close', id }));
      this.dead = new Error('The embedded database is closed.');
      // PGlite has flushed and closed: nothing is lost by ending the thread now.
      await this.worker.terminate();
    }
    await this.exited;
  }

  private send(make: (id: number) => ToDbWorker): Promise<WorkerQueryResult | null> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(make(id));
    });
  }

  private onMessage(m: FromDbWorker): void {
    if (m.type === 'ready' || m.type === 'failed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve({ rows: m.rows, affectedRows: m.affectedRows });
    else if (m.type === 'error') p.reject(new DatabaseError(m.error));
    else p.resolve(null);
  }

  private fail(err: Error): void {
    if (!this.dead) this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
