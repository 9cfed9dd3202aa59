/**
 * Fuzz-style robustness of everything that reads camera input on the RTSP side: SDP,
 * RTSP heads, auth challenges, the interleaved stream reader, and the client itself
 * against a server that turns to noise after PLAY. Seeded: failures reproduce.
 */
import { describe, expect, it } from 'vitest';
import { prng, syntheticStream, TestPacketizer } from '../rtp/test-helpers.ts';
import { parseChallenges } from './auth.ts';
import { parseRtspUrl, redactUrl, RtspError } from './errors.ts';
import { RtspClient } from './rtsp-client.ts';
import { parseRtspHead, RtspStreamReader } from './rtsp-reader.ts';
import { findVideoTrack, parseSdp, resolveControlUrl } from './sdp.ts';
import { H264_SDP, TestRtspServer } from './test-server.ts';

const rand = prng(20240611);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(a: readonly T[]): T => a[int(a.length)] as T;
const TOKENS = [
  '$',
  'RTSP/1.0 ',
  '200',
  ' OK',
  '\r\n',
  '\n',
  ':',
  ';',
  '=',
  ',',
  '"',
  'a=',
  'm=video ',
  'rtpmap:',
  'fmtp:',
  '96',
  'H264/90000',
  'Content-Length: ',
  '\x00',
  '\xff',
  'Digest ',
  'realm=',
  'nonce=',
  ' ',
  'RTP/AVP',
  '-1',
  '99999999999',
];

function junkText(): string {
  let s = '';
  for (let i = int(40); i > 0; i--) s += int(3) ? pick(TOKENS) : String.fromCharCode(int(256));
  return s;
}

function mutate(b: Buffer): Buffer {
  const c = Buffer.from(b);
  for (let i = int(6); i >= 0; i--) c[int(c.length)] = int(3) ? int(256) : pick([0x24, 0x0d, 0x0a, 0x52, 0x00]);
  return int(4) ? c : c.subarray(0, int(c.length));
}

const validStream = (() => {
  const pz = new TestPacketizer('h264', { mtu: 1400 });
  const frames = syntheticStream('h264', 30, { bigFrame: 8000 })
    .flatMap((au) => pz.packetize(au.nalus, au.ts))
    .map((p) => Buffer.concat([Buffer.from([0x24, 0, p.length >> 8, p.length & 0xff]), p]));
  const sdp = Buffer.from(H264_SDP);
  const describe = Buffer.from(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: ${sdp.length}\r\n\r\n`);
  return Buffer.concat([describe, sdp, ...frames, Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n')]);
})();

describe('fuzz: text parsers', () => {
  it('SDP, RTSP heads, challenges and URLs never throw (URLs throw only RtspError)', () => {
    for (let i = 0; i < 5000; i++) {
      const text = i % 2 ? junkText() : mutate(Buffer.from(H264_SDP)).toString('latin1');
      const sdp = parseSdp(text);
      const track = findVideoTrack(sdp);
      resolveControlUrl('rtsp://h/s', track?.control ?? junkText());
      parseRtspHead(junkText());
      parseChallenges([junkText(), junkText()]);
      redactUrl(junkText());
      try {
        parseRtspUrl(i % 3 ? junkText() : `rtsp://${junkText()}`);
      } catch (e) {
        expect(e).toBeInstanceOf(RtspError);
      }
    }
  });
});

describe('fuzz: interleaved stream reader', () => {
  const limits = { maxHeaderBytes: 4096, maxBodyBytes: 8192 };
  const bound = 65535 + 4 + limits.maxHeaderBytes;

  function reader() {
    let frames = 0;
    const r = new RtspStreamReader(
      {
        onFrame: (_ch, buf, off, len) => {
          expect(off + len).toBeLessThanOrEqual(buf.length);
          frames++;
        },
        onMessage: (m) => expect(m.body.length).toBeLessThanOrEqual(limits.maxBodyBytes),
        onGarbage: (n) => expect(n).toBeGreaterThan(0),
      },
      limits,
    );
    return { r, frames: () => frames };
  }

  it('survives random bytes in random chunks with bounded buffering', () => {
    const { r } = reader();
    for (let i = 0; i < 3000; i++) {
      const chunk = Buffer.from(
        Array.from({ length: int(2048) }, () => (int(4) ? int(256) : pick([0x24, 0x52, 0x0a, 0x41]))),
      );
      r.push(chunk);
      expect(r.bufferedBytes).toBeLessThanOrEqual(bound);
    }
  });

  it('survives a mutated valid stream cut at random points, and reads the intact one fully', () => {
    for (let round = 0; round < 300; round++) {
      const { r } = reader();
      const data = round % 10 === 0 ? validStream : mutate(validStream);
      for (let o = 0; o < data.length;) {
        const n = 1 + int(3000);
        r.push(data.subarray(o, o + n));
        o += n;
        expect(r.bufferedBytes).toBeLessThanOrEqual(bound);
      }
    }
    const { r, frames } = reader();
    for (let o = 0; o < validStream.length; o += 999) r.push(validStream.subarray(o, o + 999));
    expect(frames()).toBeGreaterThan(30);
    expect(r.bufferedBytes).toBe(0);
  });
});

describe('fuzz: client against a server that turns to noise', () => {
  it('never throws; ends with a typed error or keeps playing, and closes cleanly', async () => {
    for (let round = 0; round < 6; round++) {
      const raw = Array.from({ length: 40 }, () => mutate(validStream.subarray(int(validStream.length - 2000))));
      const srv = await TestRtspServer.start({ raw });
      const errors: RtspError[] = [];
      const c = new RtspClient({
        url: srv.url(),
        stallTimeoutMs: 200,
        requestTimeoutMs: 300,
        teardownTimeoutMs: 100,
        onError: (e) => errors.push(e),
      });
      await c.start().catch(() => {});
      await new Promise((r) => setTimeout(r, 60));
      expect(c.stats.packets).toBeGreaterThan(0); // the noise did reach the depacketizer
      await c.close();
      for (const e of errors) expect(e).toBeInstanceOf(RtspError);
      expect(errors.length).toBeLessThanOrEqual(1);
      await srv.waitForNoConnections();
      expect(srv.openConnections).toBe(0);
      await srv.close();
    }
  });
});
