/**
 * The floor of performance.md: the same RTSP handshake, then only socket → memory, no
 * parsing. N cameras × `--streams` (default main) sessions over TCP interleaved.
 * Without `--dir` a second's data is dropped (the floor of ingest alone, which writes
 * nothing); with `--dir <root>` the streams of `--write` (default main) are appended once
 * a second to `<root>/<cameraId>/<n>.bin`, one write per camera, a new file every
 * `--segment` seconds (default 60): the recording floor, with files that roll like a
 * recorder's so the benchmark bounds the disk the same way on every side.
 * Its work: bytes, socket reads and bytes written.
 * Prints "PLAYING" once every session plays; answers "stats" on stdin.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { cameras: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' }, write: { type: 'string' }, segment: { type: 'string' }, streams: { type: 'string' } },
});
const streams = (values.streams ?? 'main').split(',');
const cameras = Number(values.cameras);
const n = cameras * streams.length;
const port = Number(values.port);
const dir = values.dir;
const written = new Set((values.write ?? 'main').split(','));
const SEGMENT_MS = Number(values.segment ?? 60) * 1000;
/** Per camera: what arrived since the last write (only the streams that are written are kept). */
const chunks: Buffer[][] = Array.from({ length: cameras }, () => []);
let bytes = 0;
let diskBytes = 0;
let reads = 0;
let playing = 0;

function session(i: number, stream: string): void {
  const keep = dir !== undefined && written.has(stream);
  const url = `rtsp://127.0.0.1:${port}/cam/b${i}/${stream}`;
  const sock = net.connect(port, '127.0.0.1');
  let cseq = 0;
  let head = '';
  let sessionId = '';
  let streaming = false;
  const send = (method: string, target: string, extra = '') => sock.write(`${method} ${target} RTSP/1.0\r\nCSeq: ${++cseq}\r\n${extra}\r\n`);
  const steps = [
    () => send('DESCRIBE', url, 'Accept: application/sdp\r\n'),
    () => send('SETUP', `${url}/trackID=0`, 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n'),
    () => send('PLAY', url, `Session: ${sessionId}\r\n`),
  ];
  let step = 0;
  sock.on('data', (d: Buffer) => {
    if (streaming) {
      if (keep) chunks[i]!.push(d);
      bytes += d.length;
      reads++;
      return;
    }
    head += d.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const len = Number(/Content-Length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (head.length < end + 4 + len) return;
    const s = /Session:\s*([^;\r\n]+)/i.exec(head);
    if (s) sessionId = s[1]!.trim();
    head = head.slice(end + 4 + len);
    if (step < steps.length) steps[step++]!();
    else {
      streaming = true;
      playing++;
      if (playing === n) process.stdout.write('PLAYING\n');
    }
  });
  sock.on('error', () => undefined);
  steps[step++]!();
}

for (let i = 0; i < cameras; i++) for (const s of streams) session(i, s);

/** Per camera: the open file and when it was started. */
const files: { fd: number; since: number }[] = [];
setInterval(() => {
  if (dir === undefined) return;
  const now = Date.now();
  for (let i = 0; i < cameras; i++) {
    const batch = chunks[i]!;
    if (!batch.length) continue;
    chunks[i] = [];
    let f = files[i];
    if (f && now - f.since >= SEGMENT_MS) {
      fs.closeSync(f.fd);
      f = undefined;
    }
    if (!f) {
      fs.mkdirSync(path.join(dir, `b${i}`), { recursive: true });
      f = files[i] = { fd: fs.openSync(path.join(dir, `b${i}`, `${now}.bin`), 'w'), since: now };
    }
    diskBytes += fs.writevSync(f.fd, batch);
  }
}, 1000);
readline.createInterface({ input: process.stdin }).on('line', (l) => {
  if (l.trim() === 'stats') process.stdout.write(`STATS ${JSON.stringify({ bytes, reads, diskBytes })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
