/**
 * RTSP authentication: Basic (RFC 7617) and Digest (RFC 2617 / RFC 7616: MD5,
 * MD5-sess, SHA-256, SHA-256-sess; qop=auth or auth-int with our empty bodies, and the
 * legacy no-qop form many cameras still use). Digest wins when both are offered, the
 * strongest Digest algorithm among those offered wins.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface AuthChallenge {
  /** Lower-case scheme: 'basic', 'digest', ... */
  scheme: string;
  /** Lower-case parameter names → unquoted values. */
  params: Record<string, string>;
}

/**
 * Parses WWW-Authenticate header values. Several challenges may come in one header
 * (comma-separated) or in several headers. Lenient: never throws.
 */
export function parseChallenges(values: string[]): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const v of values) {
    let current: AuthChallenge | null = null;
    let i = 0;
    const n = v.length;
    const skip = (chars: string) => {
      while (i < n && chars.includes(v[i] as string)) i++;
    };
    while (i < n) {
      skip(' \t,');
      const start = i;
      while (i < n && !' \t,="'.includes(v[i] as string)) i++;
      const token = v.slice(start, i);
      skip(' \t');
      if (v[i] === '=' && current && token) {
        i++;
        skip(' \t');
        let value = '';
        if (v[i] === '"') {
          i++;
          while (i < n && v[i] !== '"') {
            if (v[i] === '\\' && i + 1 < n) i++;
            value += v[i];
            i++;
          }
          i++;
        } else {
          const s = i;
          while (i < n && !' \t,'.includes(v[i] as string)) i++;
          value = v.slice(s, i);
        }
        current.params[token.toLowerCase()] = value;
      } else if (token) {
        current = { scheme: token.toLowerCase(), params: {} };
        out.push(current);
      } else {
        i++; // a stray '=' or '"': step over it
      }
    }
  }
  return out;
}

const ALGORITHMS: Record<string, { hash: 'md5' | 'sha256'; sess: boolean; rank: number }> = {
  md5: { hash: 'md5', sess: false, rank: 1 },
  'md5-sess': { hash: 'md5', sess: true, rank: 1 },
  'sha-256': { hash: 'sha256', sess: false, rank: 2 },
  'sha-256-sess': { hash: 'sha256', sess: true, rank: 2 },
};

function algorithmOf(c: AuthChallenge) {
  return ALGORITHMS[(c.params.algorithm ?? 'MD5').toLowerCase()];
}

/** The challenge we can answer best: Digest (strongest algorithm) over Basic; null if none. */
export function pickChallenge(challenges: AuthChallenge[]): AuthChallenge | null {
  let best: AuthChallenge | null = null;
  let bestRank = 0;
  for (const c of challenges) {
    let rank = 0;
    if (c.scheme === 'basic') rank = 1;
    else if (c.scheme === 'digest' && c.params.nonce !== undefined) rank = 10 + (algorithmOf(c)?.rank ?? -100);
    if (rank > bestRank) {
      best = c;
      bestRank = rank;
    }
  }
  return best;
}

export interface DigestInput {
  username: string;
  password: string;
  method: string;
  uri: string;
  /** Client nonce and nonce count; only used with qop. */
  cnonce: string;
  nc: number;
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** Computes the Authorization header value answering `challenge`. */
export function authorizationFor(challenge: AuthChallenge, input: DigestInput): string | null {
  if (challenge.scheme === 'basic') {
    return `Basic ${Buffer.from(`${input.username}:${input.password}`, 'utf8').toString('base64')}`;
  }
  if (challenge.scheme !== 'digest') return null;
  const alg = algorithmOf(challenge);
  const p = challenge.params;
  if (!alg || p.nonce === undefined) return null;
  const h = (s: string) => createHash(alg.hash).update(s, 'utf8').digest('hex');
  const realm = p.realm ?? '';
  const offered = (p.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : null;
  const nc = input.nc.toString(16).padStart(8, '0');
  let ha1 = h(`${input.username}:${realm}:${input.password}`);
  if (alg.sess) ha1 = h(`${ha1}:${p.nonce}:${input.cnonce}`);
  // auth-int covers the request body; ours are always empty.
  const ha2 = h(qop === 'auth-int' ? `${input.method}:${input.uri}:${h('')}` : `${input.method}:${input.uri}`);
  const response = qop ? h(`${ha1}:${p.nonce}:${nc}:${input.cnonce}:${qop}:${ha2}`) : h(`${ha1}:${p.nonce}:${ha2}`);
  const parts = [
    `username=${quote(input.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(p.nonce)}`,
    `uri=${quote(input.uri)}`,
    `response=${quote(response)}`,
  ];
  // Echo the algorithm only when the server named it: some cameras reject unknown fields.
  if (p.algorithm !== undefined) parts.push(`algorithm=${p.algorithm}`);
  if (p.opaque !== undefined) parts.push(`opaque=${quote(p.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(input.cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Per-connection authentication state: the adopted challenge and the nonce count. */
export class RtspAuth {
  private challenge: AuthChallenge | null = null;
  private nc = 0;
  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly makeCnonce: () => string = () => randomBytes(8).toString('hex'),
  ) {}

  /** Adopts the best challenge of a 401's WWW-Authenticate headers; false if none is usable. */
  accept(wwwAuthenticate: string[]): boolean {
    const c = pickChallenge(parseChallenges(wwwAuthenticate));
    if (!c) return false;
    if (c.params.nonce !== this.challenge?.params.nonce) this.nc = 0;
    this.challenge = c;
    return true;
  }

  /** The Authorization header for a request, or null before any challenge was seen. */
  header(method: string, uri: string): string | null {
    if (!this.challenge) return null;
    this.nc++;
    return authorizationFor(this.challenge, {
      username: this.username,
      password: this.password,
      method,
      uri,
      cnonce: this.makeCnonce(),
      nc: this.nc,
    });
  }
}
