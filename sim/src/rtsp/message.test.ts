import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Authenticator, parseAuthParams } from './auth.ts';
import { RtspRequestReader, parseTarget } from './message.ts';
import { parseTransport } from './sdp.ts';

describe('RTSP request reader', () => {
  it('splits requests, bodies and interleaved frames arriving in arbitrary chunks', () => {
    const wire = Buffer.concat([
      Buffer.from('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n'),
      Buffer.from([0x24, 1, 0, 3, 9, 9, 9]),
      Buffer.from('\r\nSET_PARAMETER rtsp://h/cam/a/main RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nhello'),
    ]);
    for (const step of [1, 3, 7, wire.length]) {
      const r = new RtspRequestReader();
      const items = [];
      for (let i = 0; i < wire.length; i += step) items.push(...r.push(wire.subarray(i, i + step)));
      expect(items.map((x) => x.kind)).toEqual(['request', 'interleaved', 'request']);
      const last = items[2];
      expect(last?.kind === 'request' && last.request.body.toString()).toBe('hello');
      expect(last?.kind === 'request' && last.request.headers.get('cseq')).toBe('2');
    }
  });

  it('turns hostile input into an error item, never an exception', () => {
    for (let i = 0; i < 300; i++) {
      const r = new RtspRequestReader();
      expect(() => r.push(randomBytes(1 + (i % 64) * 13))).not.toThrow();
    }
    expect(new RtspRequestReader().push(Buffer.from('GET / HTTP/1.1\r\n\r\n'))[0]?.kind).toBe('error');
    expect(new RtspRequestReader().push(Buffer.from('OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n'))[0]?.kind).toBe(
      'error',
    );
    expect(
      new RtspRequestReader().push(Buffer.from('OPTIONS * RTSP/1.0\r\nContent-Length: 99999999\r\n\r\n'))[0]?.kind,
    ).toBe('error');
    expect(new RtspRequestReader().push(Buffer.from('OPTIONS * RTSP/1.0\r\nno colon\r\n\r\n'))[0]?.kind).toBe('error');
  });
});

describe('parsers', () => {
  it('finds the camera and stream in absolute, credentialed, relative and track URIs', () => {
    expect(parseTarget('rtsp://127.0.0.1:8554/cam/yard-1/main')).toEqual({
      cameraId: 'yard-1',
      stream: 'main',
      origin: 'rtsp://127.0.0.1:8554',
    });
    expect(parseTarget('rtsp://u:p@localhost:1/cam/a.b_c~d/sub/trackID=0')).toMatchObject({
      cameraId: 'a.b_c~d',
      stream: 'sub',
      origin: 'rtsp://localhost:1',
    });
    expect(parseTarget('/cam/x/main/?q=1')).toMatchObject({ cameraId: 'x', stream: 'main' });
    expect(parseTarget('rtsp://h/cam/../main')).toBeUndefined();
    expect(parseTarget('rtsp://h/other')).toBeUndefined();
  });

  it('picks the first transport it can serve', () => {
    expect(parseTransport('RTP/AVP/TCP;unicast;interleaved=2-3')).toEqual({ kind: 'tcp', channels: [2, 3] });
    expect(parseTransport('RTP/AVP;multicast,RTP/AVP;unicast;client_port=5000-5001')).toEqual({
      kind: 'udp',
      clientPorts: [5000, 5001],
    });
    expect(parseTransport('RTP/AVP/UDP;unicast;client_port=6000')).toEqual({ kind: 'udp', clientPorts: [6000, 6001] });
    expect(parseTransport('RTP/AVP;unicast;client_port=99999-1')).toBeUndefined();
    expect(parseTransport('RTP/SAVP;unicast')).toBeUndefined();
    expect(parseTransport(undefined)).toBeUndefined();
  });

  it('parses auth parameters with quoted commas and escapes', () => {
    const p = parseAuthParams('username="a,b", realm="r\\"x", nc=00000001, qop=auth');
    expect(p.get('username')).toBe('a,b');
    expect(p.get('realm')).toBe('r"x');
    expect(p.get('nc')).toBe('00000001');
    const auth = new Authenticator();
    expect(auth.check('DESCRIBE', 'Digest garbage', { kind: 'digest', username: 'a', password: 'b' })).toBe('denied');
    expect(auth.check('DESCRIBE', undefined, { kind: 'digest', username: 'a', password: 'b' })).toBe('missing');
    expect(auth.check('DESCRIBE', 'Bearer x', { kind: 'basic', username: 'a', password: 'b' })).toBe('denied');
  });
});
