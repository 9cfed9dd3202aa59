/**
 * Camera-side authentication: Basic, and Digest (MD5, qop=auth, RFC 2617). Nonces are
 * self-validating (timestamp + HMAC) so nothing is stored per client. Clients that answer
 * a qop challenge in the older RFC 2069 form (no qop/nc/cnonce) are accepted, as real
 * cameras do; the response hash is always checked against the expected password.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AuthConfig {
  kind: 'basic' | 'digest';
  username: string;
  password: string;
}

export type AuthResult = 'ok' | 'missing' | 'denied' | 'stale';

export const REALM = 'kuzet-sim';
const NONCE_TTL_MS = 10 * 60_000;

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** key=value / key="value" pairs of an auth header (quoted values may contain commas). */
export function parseAuthParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.set((m[1] as string).toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return out;
}

export class Authenticator {
  private readonly secret = randomBytes(16);

  challenge(kind: AuthConfig['kind'], stale = false): string {
    if (kind === 'basic') return `Basic realm="${REALM}"`;
    return `Digest realm="${REALM}", nonce="${this.nonce()}", algorithm=MD5, qop="auth"${stale ? ', stale=TRUE' : ''}`;
  }

  private nonce(now = Date.now()): string {
    const ts = now.toString(16);
    return `${ts}${createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 24)}`;
  }

  private nonceState(nonce: string): 'ok' | 'stale' | 'bad' {
    const m = /^([0-9a-f]{1,13})([0-9a-f]{24})$/.exec(nonce);
    if (!m) return 'bad';
    const ts = m[1] as string;
    const mac = createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 24);
    if (!safeEqual(mac, m[2] as string)) return 'bad';
    return Date.now() - parseInt(ts, 16) > NONCE_TTL_MS ? 'stale' : 'ok';
  }

  check(method: string, header: string | undefined, cfg: AuthConfig): AuthResult {
    if (!header) return 'missing';
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : header.slice(space + 1).trim();
    if (cfg.kind === 'basic') {
      if (scheme !== 'basic') return 'denied';
      const decoded = Buffer.from(rest, 'base64').toString('utf8');
      return safeEqual(decoded, `${cfg.username}:${cfg.password}`) ? 'ok' : 'denied';
    }
    if (scheme !== 'digest') return 'denied';
    const p = parseAuthParams(rest);
    const nonce = p.get('nonce') ?? '';
    const uri = p.get('uri');
    const response = (p.get('response') ?? '').toLowerCase();
    if (p.get('username') !== cfg.username || p.get('realm') !== REALM || uri === undefined) return 'denied';
    const alg = p.get('algorithm');
    if (alg !== undefined && alg.toUpperCase() !== 'MD5') return 'denied';
    const ha1 = md5(`${cfg.username}:${REALM}:${cfg.password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = p.get('qop');
    let expected: string;
    if (qop === undefined) {
      expected = md5(`${ha1}:${nonce}:${ha2}`);
    } else if (qop === 'auth') {
      const nc = p.get('nc') ?? '';
      const cnonce = p.get('cnonce') ?? '';
      if (!/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce) return 'denied';
      expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    } else {
      return 'denied';
    }
    if (!safeEqual(expected, response)) return 'denied';
    const state = this.nonceState(nonce);
    // A correct answer to an expired nonce of ours is "stale": the client retries without asking the user.
    return state === 'ok' ? 'ok' : state === 'stale' ? 'stale' : 'denied';
  }
}
