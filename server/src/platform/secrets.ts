import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keys derived from one master secret kept outside the database (a file under the
 * data dir, mode 0600, or KUZET_SECRET_FILE). The audit chain's HMAC key lives
 * here so that someone with only database access cannot rebuild the chain.
 */
export interface Secrets {
  readonly auditKey: Buffer;
  readonly totpKey: Buffer;
  readonly deviceKey: Buffer;
  /** Seals camera user names and passwords at rest. */
  readonly credentialKey: Buffer;
}

export function deriveSecrets(master: Buffer): Secrets {
  const derive = (label: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `kuzet:${label}`, 32));
  return Object.freeze({ auditKey: derive('audit'), totpKey: derive('totp'), deviceKey: derive('device'), credentialKey: derive('camera-credentials') });
}

export function loadOrCreateSecrets(file: string): Secrets {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'wx', 0o600);
    fs.writeSync(fd, crypto.randomBytes(32).toString('hex') + '\n');
    fs.closeSync(fd);
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`The secret file ${file} is damaged: it must hold 64 hex digits.`);
  return deriveSecrets(Buffer.from(hex, 'hex'));
}

/** AES-256-GCM for small secrets stored in the database (TOTP seeds). */
export function seal(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('Sealed value is malformed');
  const d = crypto.createDecipheriv('aes-256-gcm', key, iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(body), d.final()]).toString('utf8');
}
