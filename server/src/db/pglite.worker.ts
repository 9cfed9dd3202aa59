import fs from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { errorFields, type FromDbWorker, type ToDbWorker } from './pglite.protocol.ts';

/**
 * The thread that owns the embedded database. PGlite executes a query
 * synchronously (WebAssembly) on the thread that calls it; here that blocks only
 * this thread, never the main thread's live video and requests. Queries arrive one
 * at a time (the driver hands out its single connection to one user at a time).
 */
if (!parentPort) throw new Error('pglite.worker.ts runs in a worker thread');
const port: MessagePort = parentPort;

const INT8 = 20;
const { dir } = workerData as { dir: string };
const post = (m: FromDbWorker) => port.postMessage(m);

let db: PGlite;
try {
  fs.mkdirSync(dir, { recursive: true });
  db = await PGlite.create(dir, { parsers: { [INT8]: (v: string) => Number(v) } });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'failed', error: errorFields(err) });
  process.exit(1);
}

// One at a time, in arrival order, a close included (PGlite serialises too; this keeps a close behind running queries).
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToDbWorker) => {
  chain = chain.then(() => handle(m));
});

async function handle(m: ToDbWorker): Promise<void> {
  if (m.type === 'close') {
    if (!db.closed) await db.close();
    post({ type: 'closed', id: m.id });
    port.close();
    return;
  }
  try {
    // Without parameters use the simple protocol, which also runs multi-statement
    // migrations (as node-postgres does for a query without values).
    if (m.params.length === 0) {
      const results = await db.exec(m.sql);
      const last = results[results.length - 1];
      post({ type: 'result', id: m.id, rows: last?.rows ?? [], affectedRows: last?.affectedRows ?? 0 });
    } else {
      const r = await db.query(m.sql, m.params, { rowMode: 'object' });
      post({ type: 'result', id: m.id, rows: r.rows, affectedRows: r.affectedRows ?? 0 });
    }
  } catch (err) {
    post({ type: 'error', id: m.id, error: errorFields(err) });
  }
}
