import type { Permission } from '@kuzet/contracts';
import type { MessageKey } from '../i18n/translate.ts';

export type NavName =
  'monitoring' | 'alerts' | 'playback' | 'map' | 'cameras' | 'residents' | 'appeals' | 'incidents' | 'prevention' | 'analytics' | 'settings';

export interface NavItem {
  name: NavName;
  path: string;
  label: MessageKey;
  /** null: every staff member (Settings holds each person's own security page). */
  permission: Permission | null;
}

export const navItems: readonly NavItem[] = [
  { name: 'monitoring', path: '/monitoring', label: 'nav.monitoring', permission: 'monitoring.view' },
  { name: 'alerts', path: '/alerts', label: 'nav.alerts', permission: 'alerts.view' },
  { name: 'playback', path: '/playback', label: 'nav.playback', permission: 'recordings.play' },
  { name: 'map', path: '/map', label: 'nav.map', permission: 'site.read' },
  { name: 'cameras', path: '/cameras', label: 'nav.cameras', permission: 'cameras.read' },
  { name: 'residents', path: '/residents', label: 'nav.residents', permission: 'residents.view' },
  { name: 'appeals', path: '/appeals', label: 'nav.appeals', permission: 'appeals.view' },
  { name: 'incidents', path: '/incidents', label: 'nav.incidents', permission: 'incidents.view' },
  { name: 'prevention', path: '/prevention', label: 'nav.prevention', permission: 'prevention.view' },
  { name: 'analytics', path: '/analytics', label: 'nav.analytics', permission: 'analytics.view' },
  { name: 'settings', path: '/settings', label: 'nav.settings', permission: null },
];

export type SettingsTab = 'users' | 'audit' | 'security';

export interface SettingsTabItem {
  name: SettingsTab;
  path: string;
  label: MessageKey;
  permission: Permission | null;
}

export const settingsTabs: readonly SettingsTabItem[] = [
  { name: 'users', path: '/settings/users', label: 'settings.tab.users', permission: 'users.manage' },
  { name: 'audit', path: '/settings/audit', label: 'settings.tab.audit', permission: 'audit.read' },
  { name: 'security', path: '/settings/security', label: 'settings.tab.security', permission: null },
];

/** A resident uses the portal only: no staff menus at all. */
export function isResidentOnly(permissions: readonly string[]): boolean {
  return (
    permissions.includes('portal.use') &&
    !navItems.some((item) => item.permission !== null && permissions.includes(item.permission))
  );
}

export function visibleNav(permissions: readonly string[]): NavItem[] {
  if (isResidentOnly(permissions)) return [];
  return navItems.filter((item) => item.permission === null || permissions.includes(item.permission));
}

export function visibleSettingsTabs(permissions: readonly string[]): SettingsTabItem[] {
  return settingsTabs.filter((tab) => tab.permission === null || permissions.includes(tab.permission));
}

/** Where "/" leads: the first section the person may open. */
export function homePath(permissions: readonly string[]): string {
  if (isResidentOnly(permissions)) return '/portal';
  return visibleNav(permissions)[0]?.path ?? '/settings/security';
}
