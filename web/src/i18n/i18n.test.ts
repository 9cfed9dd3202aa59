import { describe, expect, it } from 'vitest';
import {
  alertPriorities,
  alertStatuses,
  detectionEventKinds,
  dismissReasons,
  incidentTypeCodes,
  tamperCauses,
  auditActions,
  cameraTypes,
  errorCodes,
  recordingGapReasons,
  recordingPolicies,
  roles,
  statusReasons,
  streamKinds,
  streamStates,
  zoneKinds,
} from '@kuzet/contracts';
import { navItems, settingsTabs } from '../app/nav.ts';
import { failReasons, playerStates } from '../features/live/player-state.ts';
import { groupKinds } from '../features/monitoring/wall-groups.ts';
import { en } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';
import { translate } from './translate.ts';

const dictionaries = { ru, kk, en } as Record<string, Record<string, string>>;
const reference = Object.keys(ru).sort();

describe('translations', () => {
  for (const [lang, dict] of Object.entries(dictionaries)) {
    it(`${lang} has exactly the keys of ru, none empty`, () => {
      expect(Object.keys(dict).sort()).toEqual(reference);
      const empty = Object.entries(dict).filter(([, text]) => text.trim() === '');
      expect(empty).toEqual([]);
    });

    it(`${lang} uses the same placeholders as ru`, () => {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const mismatched = reference.filter(
        (key) =>
          JSON.stringify(placeholders(dict[key] ?? '')) !== JSON.stringify(placeholders(ru[key as keyof typeof ru])),
      );
      expect(mismatched).toEqual([]);
    });
  }

  const required = [
    ...errorCodes.map((code) => `error.${code}`),
    'error.NETWORK',
    'error.UNKNOWN',
    ...roles.map((role) => `role.${role}`),
    ...zoneKinds.map((kind) => `zoneKind.${kind}`),
    ...auditActions.map((action) => `audit.action.${action}`),
    ...navItems.map((item) => item.label),
    ...settingsTabs.map((tab) => tab.label),
    ...cameraTypes.map((type) => `cameraType.${type}`),
    ...recordingPolicies.map((policy) => `recordingPolicy.${policy}`),
    ...streamKinds.map((stream) => `stream.${stream}`),
    ...streamStates.map((state) => `streamState.${state}`),
    ...statusReasons.map((reason) => `statusReason.${reason}`),
    // Each reason also explained in plain words (the camera detail panel).
    ...statusReasons.map((reason) => `statusReasonHelp.${reason}`),
    // The live player: every state and every reason it gives up, on the wall and in full screen.
    ...playerStates.map((state) => `live.state.${state}`),
    ...failReasons.map((reason) => `live.failed.${reason}`),
    ...groupKinds.map((kind) => `wall.group.${kind}`),
    // Playback: why a gap in the footage, on the timeline and over the picture.
    ...recordingGapReasons.map((reason) => `playback.gap.${reason}`),
    // Issue 10: the alert console, events and zones name every value of the contracts.
    ...alertStatuses.map((s) => `alertStatus.${s}`),
    ...alertPriorities.map((p) => `alertPriority.${p}`),
    ...dismissReasons.map((r) => `dismissReason.${r}`),
    ...detectionEventKinds.map((k) => `eventKind.${k}`),
    ...tamperCauses.map((c) => `tamperCause.${c}`),
    ...incidentTypeCodes.map((c) => `incidentType.${c}`),
  ];

  for (const [lang, dict] of Object.entries(dictionaries)) {
    it(`${lang} names every error code, role, zone kind, audit action, menu, camera value and player state`, () => {
      expect(required.filter((key) => !dict[key]?.trim())).toEqual([]);
    });
  }

  it('is a real translation, not a copy of another language', () => {
    const words = (text: string | undefined) => (text ?? '').replace(/\{\w+\}/g, '');
    const same = (a: Record<string, string>, b: Record<string, string>) =>
      reference.filter((key) => a[key] === b[key] && /[A-Za-zА-Яа-яЁё]{4,}/.test(words(a[key]))).length;
    // A few words are the same in Russian and Kazakh ("Мониторинг", "Логин"); most are not.
    expect(same(ru, kk)).toBeLessThan(reference.length * 0.05);
    expect(same(ru, en)).toBe(0);
    expect(same(kk, en)).toBe(0);
  });

  it('fills placeholders', () => {
    expect(translate('ru', 'pager.range', { from: 1, to: 50, total: 120 })).toBe('1–50 из 120');
    expect(translate('en', 'users.created', { username: 'aidar' })).toBe('User aidar created.');
  });
});
