import crypto from 'node:crypto';

/**
 * A "device cookie": a browser where an account signed in successfully before is
 * throttled on its own, so a stranger guessing passwords cannot lock the duty
 * officer out of the post's workstation.
 */
export interface DeviceToken {
  nonce: string;
  accounts: string[];
}

const MAX_ACCOUNTS = 20;

export function encodeDevice(key: Buffer, t: DeviceToken): string {
  const body = Buffer.from(JSON.stringify({ n: t.nonce, a: t.accounts.slice(-MAX_ACCOUNTS) })).toString('base64url');
  const mac = crypto.createHmac('sha256', key).update(body).digest('base64url');
  return `${body}.${mac}`;
}

export function decodeDevice(key: Buffer, value: string | undefined): DeviceToken | null {
  if (!value) return null;
  const [body, mac] = value.split('.');
  if (!body || !mac) return null;
  const expected = crypto.createHmac('sha256', key).update(body).digest('base64url');
  if (expected.length !== mac.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { n?: unknown; a?: unknown };
    if (typeof parsed.n !== 'string' || !Array.isArray(parsed.a) || !parsed.a.every((a) => typeof a === 'string')) return null;
    return { nonce: parsed.n, accounts: parsed.a as string[] };
  } catch {
    return null;
  }
}

export function newDevice(): DeviceToken {
  return { nonce: crypto.randomBytes(16).toString('base64url'), accounts: [] };
}
