import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { authorizationFor, parseChallenges, pickChallenge, RtspAuth } from './auth.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const param = (header: string, name: string) => new RegExp(`${name}="?([^",]*)"?`).exec(header)?.[1];

describe('parseChallenges', () => {
  it('splits several challenges in one header and keeps quoted commas', () => {
    const c = parseChallenges(['Digest realm="a, b", nonce="n1", qop="auth,auth-int", stale=FALSE, Basic realm="x"']);
    expect(c).toEqual([
      { scheme: 'digest', params: { realm: 'a, b', nonce: 'n1', qop: 'auth,auth-int', stale: 'FALSE' } },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('prefers Digest over Basic and SHA-256 over MD5, skips unknown algorithms', () => {
    const c = parseChallenges([
      'Basic realm="x"',
      'Digest realm="r", nonce="1", algorithm=MD5',
      'Digest realm="r", nonce="2", algorithm=SHA-256',
      'Digest realm="r", nonce="3", algorithm=SHA-512-256',
    ]);
    expect(pickChallenge(c)?.params.nonce).toBe('2');
    expect(pickChallenge(parseChallenges(['Basic realm="x"']))?.scheme).toBe('basic');
    expect(pickChallenge(parseChallenges(['NTLM', 'Digest realm="r", nonce="3", algorithm=FOO']))).toBeNull();
  });

  it('never throws on junk', () => {
    for (const s of ['', '=', '"', 'Digest ="', 'Digest realm="unterminated', ',,,', 'a=b=c "x" \\']) {
      expect(() => parseChallenges([s])).not.toThrow();
    }
  });
});

describe('authorizationFor', () => {
  it('matches the RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    const [c] = parseChallenges([
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    ]);
    const h = authorizationFor(c!, {
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
      nc: 1,
    });
    expect(param(h!, 'response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(h).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(h).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('matches the RFC 7616 §3.9.1 examples (SHA-256 and MD5)', () => {
    const base =
      'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const input = {
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    };
    const sha = authorizationFor(parseChallenges([`Digest ${base}, algorithm=SHA-256`])[0]!, input);
    expect(param(sha!, 'response')).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    const md = authorizationFor(parseChallenges([`Digest ${base}, algorithm=MD5`])[0]!, input);
    expect(param(md!, 'response')).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('computes the legacy no-qop response and Basic', () => {
    const [c] = parseChallenges(['Digest realm="cam", nonce="abc"']);
    const h = authorizationFor(c!, {
      username: 'u',
      password: 'p',
      method: 'DESCRIBE',
      uri: 'rtsp://h/s',
      cnonce: 'x',
      nc: 1,
    });
    expect(param(h!, 'response')).toBe(md5(`${md5('u:cam:p')}:abc:${md5('DESCRIBE:rtsp://h/s')}`));
    expect(h).not.toContain('nc=');
    const b = authorizationFor(
      { scheme: 'basic', params: {} },
      { username: 'ü', password: 'p:q', method: '', uri: '', cnonce: '', nc: 0 },
    );
    expect(b).toBe(`Basic ${Buffer.from('ü:p:q').toString('base64')}`);
  });

  it('escapes quotes in the user name', () => {
    const [c] = parseChallenges(['Digest realm="r", nonce="n"']);
    const h = authorizationFor(c!, { username: 'a"b\\', password: 'p', method: 'M', uri: 'u', cnonce: 'c', nc: 1 });
    expect(h).toContain('username="a\\"b\\\\"');
  });
});

describe('RtspAuth', () => {
  it('counts nc per nonce and resets it on a new nonce', () => {
    const a = new RtspAuth('u', 'p', () => 'cn');
    expect(a.header('OPTIONS', 'rtsp://x')).toBeNull();
    expect(a.accept(['Digest realm="r", nonce="n1", qop=auth'])).toBe(true);
    a.header('OPTIONS', 'rtsp://x');
    expect(a.header('DESCRIBE', 'rtsp://x')).toContain('nc=00000002');
    a.accept(['Digest realm="r", nonce="n2", qop=auth']);
    expect(a.header('SETUP', 'rtsp://x')).toContain('nc=00000001');
    expect(a.accept(['Negotiate abc'])).toBe(false);
  });
});
