/**
 * Short readable log lines for a terminal, from pino's JSON lines (so redaction has already
 * happened): `21:59:36 INFO  media  camera online  cameraId=… state=online`. Files and pipes
 * keep the JSON. Formatting on the main thread is fine here: it only runs when a person
 * watches a terminal, where request lines are at debug.
 */
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[36m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields the line shows in its own place, or that say nothing on a terminal. */
const HIDDEN = new Set(['level', 'time', 'msg', 'module', 'pid', 'hostname', 'app', 'err', 'reqId']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function clock(ms: unknown): string {
  const d = typeof ms === 'number' ? new Date(ms) : new Date();
  return d.toTimeString().slice(0, 8);
}

/** One JSON log line → one short line (plus the error's stack, indented). Non-JSON passes through. */
export function formatLine(json: string, colors = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`; // not ours: print it as it came
  }
  const lvl = LEVELS[Number(o.level)] ?? { name: String(o.level).padEnd(5), color: '' };
  const paint = (c: string, s: string): string => (colors && c ? `${c}${s}${RESET}` : s);
  const parts = [paint(DIM, clock(o.time)), paint(lvl.color, lvl.name)];
  if (typeof o.module === 'string') parts.push(paint(DIM, o.module));
  if (o.msg !== undefined) parts.push(String(o.msg));
  const fields = Object.entries(o)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`);
  if (fields.length) parts.push(paint(DIM, fields.join(' ')));
  let line = parts.join(' ');
  const err = o.err as { message?: string; stack?: string; type?: string } | undefined;
  if (err && typeof err === 'object') {
    line += ` ${paint(lvl.color, `${err.type ?? 'Error'}: ${err.message ?? ''}`)}`;
    if (err.stack && Number(o.level) >= 50) line += `\n${err.stack.split('\n').slice(1).map((l) => `    ${l.trim()}`).join('\n')}`;
  }
  return `${line}\n`;
}

/** A pino destination that writes formatted lines to `out` (default stdout). */
export function prettyDestination(out: NodeJS.WriteStream = process.stdout): DestinationStream {
  const colors = typeof out.hasColors === 'function' && out.hasColors();
  return { write: (msg: string) => void out.write(formatLine(msg.trimEnd(), colors)) };
}
