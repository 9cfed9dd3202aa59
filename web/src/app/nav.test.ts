import { describe, expect, it } from 'vitest';
import { permissionsOf, type Role } from '@kuzet/contracts';
import { homePath, isResidentOnly, visibleNav, visibleSettingsTabs } from './nav.ts';

const names = (role: Role) => visibleNav(permissionsOf(role)).map((item) => item.name);
const tabs = (role: Role) => visibleSettingsTabs(permissionsOf(role)).map((tab) => tab.name);

describe('navigation by permissions', () => {
  it('shows an admin every section', () => {
    expect(names('admin')).toEqual([
      'monitoring',
      'alerts',
      'playback',
      'map',
      'cameras',
      'residents',
      'appeals',
      'incidents',
      'prevention',
      'analytics',
      'settings',
    ]);
    expect(tabs('admin')).toEqual(['users', 'audit', 'security']);
  });

  it('shows an operator the duty sections only', () => {
    expect(names('operator')).toEqual(['monitoring', 'alerts', 'playback', 'map', 'cameras', 'residents', 'appeals', 'incidents', 'settings']);
    expect(tabs('operator')).toEqual(['security']);
    expect(homePath(permissionsOf('operator'))).toBe('/monitoring');
  });

  it('gives a district chief the access log but not user management', () => {
    expect(tabs('district_chief')).toEqual(['audit', 'security']);
  });

  it('lets a partner see the map, the cameras and own settings', () => {
    expect(names('partner')).toEqual(['map', 'cameras', 'settings']);
    expect(homePath(permissionsOf('partner'))).toBe('/map');
  });

  it('shows a resident no staff menu and sends them to the portal', () => {
    expect(isResidentOnly(permissionsOf('resident'))).toBe(true);
    expect(names('resident')).toEqual([]);
    expect(homePath(permissionsOf('resident'))).toBe('/portal');
  });
});
