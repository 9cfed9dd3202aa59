import { describe, expect, it } from 'vitest';
import { parseRtspHead, RtspStreamReader, type RtspMessage } from './rtsp-reader.ts';

type Event = string;

function collect(limits?: { maxHeaderBytes?: number; maxBodyBytes?: number }) {
  const events: Event[] = [];
  const frames: { buf: Uint8Array; offset: number }[] = [];
  const r = new RtspStreamReader(
    {
      onFrame: (ch, buf, off, len) => {
        frames.push({ buf, offset: off });
        events.push(`frame ${ch} ${Buffer.from(buf.subarray(off, off + len)).toString('hex')}`);
      },
      onMessage: (m: RtspMessage) =>
        events.push(
          `${m.kind} ${m.status || m.method} cseq=${m.headers.get('cseq')} body=${Buffer.from(m.body).toString()}`,
        ),
      onGarbage: (n) => events.push(`garbage ${n}`),
    },
    limits,
  );
  return { r, events, frames };
}

const frame = (ch: number, bytes: number[]) =>
  Buffer.from([0x24, ch, bytes.length >> 8, bytes.length & 0xff, ...bytes]);
const STREAM = Buffer.concat([
  Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1\r\nContent-Length: 5\r\n\r\nhello'),
  frame(0, [0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  Buffer.from('\r\n'),
  frame(1, [0x80, 0xc8, 0, 0]),
  Buffer.from('GET_PARAMETER rtsp://x/ RTSP/1.0\r\nCSeq: 9\r\n\r\n'),
  frame(0, new Array(300).fill(0x80)),
]);

describe('RtspStreamReader', () => {
  it('separates messages and interleaved frames in one read, without copying frames', () => {
    const { r, events, frames } = collect();
    r.push(STREAM);
    expect(events.map((e) => e.slice(0, 40))).toEqual([
      'response 200 cseq=4 body=hello',
      'frame 0 800102030405060708090a0b0c',
      'frame 1 80c80000',
      'request GET_PARAMETER cseq=9 body=',
      'frame 0 80808080808080808080808080808080',
    ]);
    expect(frames.every((f) => f.buf === STREAM)).toBe(true);
    expect(r.bufferedBytes).toBe(0);
  });

  it('gives the same result for every split point and byte by byte', () => {
    const whole = collect();
    whole.r.push(STREAM);
    for (let k = 0; k <= STREAM.length; k++) {
      const c = collect();
      c.r.push(STREAM.subarray(0, k));
      c.r.push(STREAM.subarray(k));
      expect(c.events, `split at ${k}`).toEqual(whole.events);
    }
    const c = collect();
    for (let i = 0; i < STREAM.length; i++) c.r.push(STREAM.subarray(i, i + 1));
    expect(c.events).toEqual(whole.events);
  });

  it('copies only a straddling frame, once, into a buffer of its size', () => {
    const { r, frames } = collect();
    const f = frame(0, new Array(1000).fill(0x80));
    r.push(f.subarray(0, 10));
    expect(r.bufferedBytes).toBe(1000);
    r.push(f.subarray(10, 500));
    r.push(Buffer.concat([f.subarray(500), frame(0, [0x80])]));
    expect(frames).toHaveLength(2);
    expect(frames[0]!.buf.length).toBe(1000);
    expect(r.bufferedBytes).toBe(0);
  });

  it('reports garbage and resynchronises on the next frame or response', () => {
    const { r, events } = collect();
    r.push(
      Buffer.concat([
        Buffer.from([0x00, 0xff, 0x13]),
        frame(0, [0x80, 1]),
        Buffer.from('xyz'),
        Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n'),
      ]),
    );
    expect(events).toEqual(['garbage 3', 'frame 0 8001', 'garbage 3', 'response 200 cseq=1 body=']);
  });

  it('treats an over-long header, a bad Content-Length and a non-RTSP start line as garbage', () => {
    const a = collect({ maxHeaderBytes: 100 });
    a.r.push(Buffer.from('RTSP/1.0 200 OK\r\n' + 'X-Pad: aaaaaaaaaa\r\n'.repeat(10)));
    expect(a.events).toEqual([expect.stringMatching(/^garbage /)]);
    expect(a.r.bufferedBytes).toBe(0);
    const b = collect();
    b.r.push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: -5\r\n\r\n'));
    b.r.push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'));
    b.r.push(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(b.events.every((e) => e.startsWith('garbage'))).toBe(true);
    expect(b.events).toHaveLength(3);
  });
});

describe('parseRtspHead', () => {
  it('parses status, repeated headers, folding and tolerates junk lines', () => {
    const m = parseRtspHead(
      'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Basic realm="a"\r\nwww-authenticate: Digest realm="a",\r\n nonce="x"\r\njunk line\r\n',
    );
    expect(m?.status).toBe(401);
    expect(m?.statusText).toBe('Unauthorized');
    expect(m?.headers.getAll('WWW-Authenticate')).toEqual(['Basic realm="a"', 'Digest realm="a", nonce="x"']);
    expect(parseRtspHead('RTSP/1.0 OK\r\n')).toBeNull();
    expect(parseRtspHead('hello')).toBeNull();
  });
});
