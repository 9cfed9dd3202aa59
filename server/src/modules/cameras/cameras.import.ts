import { CreateCameraRequest, type CameraImportReport } from '@kuzet/contracts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { SiteService } from '../site/site.service.ts';
import type { CamerasService } from './cameras.service.ts';
import { parseCsv } from './csv.ts';

const COLUMNS = ['name', 'type', 'main_url', 'sub_url', 'username', 'password', 'building', 'entrance', 'zone', 'x', 'y', 'direction', 'fov', 'recording', 'retention_days', 'enabled', 'transport'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Bulk import of cameras from CSV: every row validated on its own, valid rows
 * created together (one transaction), and a report naming each bad row's line,
 * field and what to fix. `dryRun` checks without creating.
 */
export async function importCameras(
  cameras: CamerasService,
  site: SiteService,
  actor: Actor,
  complexId: string,
  csv: string,
  dryRun: boolean,
): Promise<CameraImportReport> {
  const [header, ...rows] = parseCsv(csv);
  const index = new Map<Column, number>();
  header?.cells.forEach((c, i) => {
    const key = c.trim().toLowerCase().replace(/[\s-]+/g, '_') as Column;
    if ((COLUMNS as readonly string[]).includes(key)) index.set(key, i);
  });
  if (!header || !index.has('name') || !index.has('type') || !index.has('main_url')) {
    throw new DomainError('CSV_INVALID', { expected: COLUMNS });
  }
  if (rows.length > 1000) throw new DomainError('VALIDATION_FAILED', { fields: [{ field: 'csv', message: 'At most 1,000 cameras per import' }] });
  const report: CameraImportReport = { created: 0, failed: 0, dryRun, rows: [] };
  const prepared: Awaited<ReturnType<CamerasService['prepare']>>[] = [];
  const preparedRows: CameraImportReport['rows'] = [];
  for (const row of rows) {
    const get = (c: Column) => {
      const i = index.get(c);
      const v = i === undefined ? '' : (row.cells[i] ?? '').trim();
      return v === '' ? undefined : v;
    };
    const refs = await site.resolveNames(complexId, { building: get('building') ?? '', entrance: get('entrance') ?? '', zone: get('zone') ?? '' });
    const errors = [...refs.errors];
    const num = (c: Column) => {
      const v = get(c);
      if (v === undefined) return null;
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n)) errors.push({ field: c, message: 'Not a number' });
      return Number.isFinite(n) ? n : null;
    };
    const x = num('x');
    const y = num('y');
    const enabled = get('enabled');
    const candidate = {
      name: get('name'),
      type: get('type')?.toLowerCase(),
      mainUrl: get('main_url'),
      subUrl: get('sub_url') ?? null,
      username: get('username') ?? null,
      password: get('password') ?? null,
      buildingId: refs.buildingId,
      entranceId: refs.entranceId,
      zoneId: refs.zoneId,
      position: x !== null && y !== null ? [x, y] : null,
      direction: num('direction'),
      fieldOfView: num('fov'),
      recordingPolicy: get('recording')?.toLowerCase() ?? 'continuous',
      retentionDays: num('retention_days') ?? 30,
      enabled: enabled === undefined ? true : !/^(0|false|no|нет|жоқ)$/i.test(enabled),
      transport: get('transport')?.toLowerCase() ?? 'auto',
    };
    const parsed = CreateCameraRequest.safeParse(candidate);
    if (!parsed.success) {
      for (const i of parsed.error.issues) errors.push({ field: columnOf(String(i.path[0] ?? '')), message: i.message });
    }
    if (errors.length || !parsed.success) {
      report.rows.push({ line: row.line, ok: false, cameraId: null, name: candidate.name ?? null, errors });
      report.failed++;
      continue;
    }
    try {
      const p = await cameras.prepare(complexId, parsed.data);
      prepared.push(p);
      preparedRows.push({ line: row.line, ok: true, cameraId: dryRun ? null : p.id, name: p.name, errors: [] });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const field = (err.details as { field?: string } | undefined)?.field ?? 'row';
      report.rows.push({ line: row.line, ok: false, cameraId: null, name: candidate.name ?? null, errors: [{ field: columnOf(field), message: err.message }] });
      report.failed++;
    }
  }
  if (!dryRun) await cameras.insertPrepared(actor, complexId, prepared);
  report.created = dryRun ? 0 : prepared.length;
  report.rows.push(...preparedRows);
  report.rows.sort((a, b) => a.line - b.line);
  return report;
}

function columnOf(field: string): string {
  const map: Record<string, string> = { mainUrl: 'main_url', subUrl: 'sub_url', fieldOfView: 'fov', recordingPolicy: 'recording', retentionDays: 'retention_days', position: 'x', buildingId: 'building', entranceId: 'entrance', zoneId: 'zone' };
  return map[field] ?? field;
}
