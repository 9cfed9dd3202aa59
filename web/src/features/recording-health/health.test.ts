import type { RecordingHealth } from '@kuzet/contracts';
import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/translate.ts';
import { readCamerasRoute } from '../cameras/cameras-route.ts';
import { formatBytes, problemText } from './health-text.ts';

const health: RecordingHealth = {
  state: 'warning',
  problems: [],
  disk: { path: '/data/recordings', totalBytes: 2e12, freeBytes: 150e9, floorBytes: 100e9, quotaBytes: null, usedByFootageBytes: 1.7e12, daysAtCurrentRate: 29.5 },
  cameras: [],
};

describe('recording health in the console', () => {
  it('opens the storage view only for roles that see monitoring', () => {
    const p = (s: string) => new URLSearchParams(s);
    expect(readCamerasRoute(p('view=storage'), false, true).view).toBe('storage');
    expect(readCamerasRoute(p('view=storage'), true, false).view).toBe('list');
  });

  it('says sizes in decimal units of the language', () => {
    expect(formatBytes(150e9, 'en')).toBe('150 GB');
    expect(formatBytes(1.25e9, 'ru')).toMatch(/^1,3\s?ГБ$/);
    expect(formatBytes(850e6, 'en')).toBe('850 MB');
  });

  it('turns problems into sentences in each language, naming the camera', () => {
    const t = (lang: 'ru' | 'kk' | 'en') => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
    const low = { code: 'disk_low', message: 'nearly full', since: '2026-11-30T01:00:00Z', cameraId: null };
    expect(problemText(low, health, t('en'), 'en', () => undefined)).toBe(
      'The recordings disk is nearly full: 150 GB free of 2 TB. The oldest footage is being deleted.',
    );
    expect(problemText(low, health, t('ru'), 'ru', () => undefined)).toContain('почти заполнен');
    const werr = { code: 'write_error', message: 'EIO', since: '2026-11-30T01:00:00Z', cameraId: 'c0ffee00-0000-4000-8000-000000000000' };
    expect(problemText(werr, health, t('kk'), 'kk', () => 'Подъезд 3')).toBe('Бейнені жазу қатесі: Подъезд 3.');
    const odd = { code: 'new_thing', message: 'Something new', since: '2026-11-30T01:00:00Z', cameraId: null };
    expect(problemText(odd, health, t('en'), 'en', () => undefined)).toBe('Recording problem: Something new');
  });
});
