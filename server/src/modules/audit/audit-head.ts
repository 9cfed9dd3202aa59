import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The latest chain head, kept outside the database so that deleting the last rows,
 * or rebuilding the table from scratch, is noticed.
 */
export interface AuditHead {
  seq: number;
  hash: string;
}

export function readHeadFile(file: string): AuditHead | null {
  if (!fs.existsSync(file)) return null;
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    typeof (parsed as AuditHead).seq === 'number' &&
    typeof (parsed as AuditHead).hash === 'string'
  ) {
    return { seq: (parsed as AuditHead).seq, hash: (parsed as AuditHead).hash };
  }
  throw new Error(`The audit head file ${file} is damaged.`);
}

/** The same, without blocking the thread: the server writes it after every append. */
export async function writeHeadFileAsync(file: string, head: AuditHead): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  // Unique per write: two writers (two services, two processes) never share a temp file.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify(head) + '\n', { mode: 0o600 });
  await fs.promises.rename(tmp, file);
}

export function writeHeadFile(file: string, head: AuditHead): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(head) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}
