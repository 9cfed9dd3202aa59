/** Messages between the main thread and the thread that owns the PGlite instance. */
export type ToDbWorker =
  | { type: 'query'; id: number; sql: string; params: unknown[] }
  | { type: 'close'; id: number };

/** The fields of a PostgreSQL error that survive the thread boundary (as node-postgres names them). */
export interface DbErrorFields {
  message: string;
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
}

export type FromDbWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: DbErrorFields }
  | { type: 'result'; id: number; rows: unknown[]; affectedRows: number }
  | { type: 'error'; id: number; error: DbErrorFields }
  | { type: 'closed'; id: number };

export const ERROR_FIELDS = ['severity', 'code', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/** Copies what a PostgreSQL error says into a cloneable object. */
export function errorFields(err: unknown): DbErrorFields {
  const out: DbErrorFields = { message: err instanceof Error ? err.message : String(err) };
  if (err && typeof err === 'object') {
    for (const k of ERROR_FIELDS) {
      const v = (err as Record<string, unknown>)[k];
      if (typeof v === 'string') out[k] = v;
    }
  }
  return out;
}
