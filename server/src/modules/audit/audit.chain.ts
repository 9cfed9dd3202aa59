import crypto from 'node:crypto';

/** The chained part of an audit row: ids and digests only, no personal data. */
export interface ChainedFields {
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  complexId: string | null;
  detailsDigest: string | null;
  prevHash: string;
}

export function chainHash(key: Buffer, f: ChainedFields): string {
  const canonical = JSON.stringify([
    f.seq,
    f.at.toISOString(),
    f.actorId,
    f.action,
    f.subjectType,
    f.subjectId,
    f.complexId,
    f.detailsDigest,
    f.prevHash,
  ]);
  return crypto.createHmac('sha256', key).update(canonical).digest('hex');
}

/** Keyed digest of the erasable part, so a short value (a name) can't be guessed from it. */
export function detailsDigest(key: Buffer, actorName: string | null, details: Record<string, unknown> | null): string | null {
  if (actorName === null && details === null) return null;
  return crypto.createHmac('sha256', key).update(stableStringify([actorName, details])).digest('hex');
}

export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
