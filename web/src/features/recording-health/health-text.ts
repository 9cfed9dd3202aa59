import type { Language, RecordingHealth } from '@kuzet/contracts';
import type { TFunction } from '../../i18n/translate.ts';
import { localeOf } from '../../lib/time.ts';

export type HealthProblem = RecordingHealth['problems'][number];

/** "1,2 ГБ", "850 МБ": decimal units, as disks are sold. */
export function formatBytes(bytes: number, lang: Language): string {
  const [unit, div] = bytes >= 1e12 ? (['terabyte', 1e12] as const) : bytes >= 1e9 ? (['gigabyte', 1e9] as const) : (['megabyte', 1e6] as const);
  const value = bytes / div;
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

export function formatDays(days: number, lang: Language): string {
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: days < 10 ? 1 : 0 }).format(days);
}

/** A problem in the person's language; the server's English message is the fallback for codes the console does not know. */
export function problemText(
  p: HealthProblem,
  health: RecordingHealth,
  t: TFunction,
  lang: Language,
  cameraName: (id: string) => string | undefined,
): string {
  switch (p.code) {
    case 'disk_low':
      return t('recHealth.disk_low', {
        free: formatBytes(health.disk.freeBytes, lang),
        total: formatBytes(health.disk.totalBytes, lang),
      });
    case 'disk_full':
      return t('recHealth.disk_full');
    case 'disk_unavailable':
      return t('recHealth.disk_unavailable');
    case 'write_error':
      return t('recHealth.write_error', {
        camera: p.cameraId ? (cameraName(p.cameraId) ?? p.cameraId.slice(0, 8)) : t('recHealth.allCameras'),
      });
    default:
      return t('recHealth.other', { message: p.message });
  }
}
