/**
 * The floor of performance.md: the same RTSP handshake, then only socket → memory →
 * one file write a second (`--file`; without it the second's data is dropped: the
 * floor of ingest alone, which writes nothing), no parsing. N cameras × `--streams` (default main) sessions
 * over TCP interleaved. Its work: bytes and socket reads.
 * Prints "PLAYING" once every session plays; answers "stats" on stdin.
 */
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { cameras: { type: 'string' }, port: { type: 'string' }, file: { type: 'string' }, streams: { type: 'string' } } });
const streams = (values.streams ?? 'main').split(',');
const n = Number(values.cameras) * streams.length;
const port = Number(values.port);
let out = values.file ? fs.openSync(values.file, 'w') : -1;
let chunks: Buffer[] = [];
let bytes = 0;
let reads = 0;
let playing = 0;

function session(i: number, stream: string): void {
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
      chunks.push(d);
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

for (let i = 0; i < Number(values.cameras); i++) for (const s of streams) session(i, s);
let written = 0;
setInterval(() => {
  const batch = chunks;
  chunks = [];
  if (out < 0) return;
  for (const c of batch) fs.writeSync(out, c);
  written += batch.reduce((s, c) => s + c.length, 0);
  if (written > 256 * 1024 * 1024) {
    fs.closeSync(out); // bounded disk: start the file over
    out = fs.openSync(values.file!, 'w');
    written = 0;
  }
}, 1000);
readline.createInterface({ input: process.stdin }).on('line', (l) => {
  if (l.trim() === 'stats') process.stdout.write(`STATS ${JSON.stringify({ bytes, reads })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
