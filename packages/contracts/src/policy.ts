import type { Role } from './roles.ts';

/**
 * The access policy: which role may do what (permissions), and which permission
 * and scope each API route needs (routePolicy). The server refuses to start with
 * a route that is missing here, checks every request against it, and a test calls
 * every route as every role and expects exactly what this table says.
 * The console draws its menus from the same permissions.
 */
export const permissions = {
  /** Anything a signed-in person does with their own session. */
  'session.own': ['resident', 'partner', 'operator', 'inspector', 'district_chief', 'admin'],
  'site.read': ['partner', 'operator', 'inspector', 'district_chief', 'admin'],
  'site.edit': ['inspector', 'admin'],
  'users.manage': ['admin'],
  'audit.read': ['district_chief', 'admin'],
  'audit.verify': ['admin'],
  // Menus whose features arrive in later issues; the console shows them by these.
  'monitoring.view': ['operator', 'inspector', 'district_chief', 'admin'],
  /** The «Жители» section: the operator sees names and apartments (IINs masked). */
  'residents.view': ['operator', 'inspector', 'district_chief', 'admin'],
  /** Names, apartments, vehicles, premises; an operator sees IINs masked and cannot search by IIN. */
  'people.read': ['operator', 'inspector', 'district_chief', 'admin'],
  /** Unmasked IINs and search by IIN. */
  'people.identify': ['inspector', 'district_chief', 'admin'],
  'people.edit': ['inspector', 'district_chief', 'admin'],
  'people.erase': ['inspector', 'admin'],
  /** Importing the management company's lists (preview and confirm). */
  'people.import': ['inspector', 'admin'],
  /** The registry as CSV; IINs masked as in every other response to the role. */
  'people.export': ['operator', 'inspector', 'district_chief', 'admin'],
  'appeals.view': ['operator', 'inspector', 'district_chief', 'admin'],
  'incidents.view': ['operator', 'inspector', 'district_chief', 'admin'],
  /** Record an incident in the journal (also by escalating an alert). */
  'incidents.create': ['operator', 'inspector'],
  /** The alert console (issue 10): the live feed, the list; also viewing a camera's detection zones. */
  'alerts.view': ['operator', 'inspector', 'district_chief', 'admin'],
  /** Acknowledge, assign, dismiss, escalate an alert. */
  'alerts.act': ['operator', 'inspector'],
  /** Draw and change a camera's detection zones. */
  'zones.manage': ['inspector', 'admin'],
  /** Detection events: search, timeline marks, snapshots (a snapshot view is an access-log entry). */
  'events.view': ['operator', 'inspector', 'district_chief', 'admin'],
  'prevention.view': ['inspector', 'district_chief', 'admin'],
  /** Put a person on the preventive registry, record check-ins. */
  'prevention.edit': ['inspector', 'district_chief', 'admin'],
  /** Door-to-door rounds: plan, record outcomes, see coverage. */
  'visits.manage': ['inspector', 'district_chief', 'admin'],
  'analytics.view': ['inspector', 'district_chief', 'admin'],
  'cameras.read': ['partner', 'operator', 'inspector', 'district_chief', 'admin'],
  'cameras.manage': ['partner', 'admin'],
  'cameras.grant': ['admin'],
  /** Live video; a partner also needs an explicit grant for the camera (checked by the route). */
  'video.live': ['partner', 'operator', 'inspector', 'district_chief', 'admin'],
  /** Recorded footage (issue 8): the timeline, playback and bookmarks. Partners never. */
  'recordings.play': ['operator', 'inspector', 'district_chief', 'admin'],
  /** Footage leaving the server: clips and snapshots. */
  'recordings.export': ['inspector', 'district_chief', 'admin'],
  /** Legal holds on footage (retention never deletes it). */
  'recordings.hold': ['inspector', 'district_chief', 'admin'],
  'portal.use': ['resident'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(permissions) as Permission[]).filter((p) => can(role, p));
}

/**
 * - public: no session needed.
 * - none: any object the permission covers; services still filter lists by scope.
 * - complex: the route names a complex (`:complexId`) or an object of one
 *   (`:buildingId`, `:cameraId`); the caller's scope must include that complex.
 */
export type RouteScope = 'public' | 'none' | 'complex';

export interface RoutePolicy {
  permission: Permission | null;
  scope: RouteScope;
}

const pub: RoutePolicy = { permission: null, scope: 'public' };
const own: RoutePolicy = { permission: 'session.own', scope: 'none' };

export const routePolicy = {
  'GET /api/health': pub,
  'POST /api/v1/auth/login': pub,
  'GET /api/v1/auth/session': pub, // 204 when nobody is signed in
  'POST /api/v1/auth/logout': own,
  'POST /api/v1/auth/lock': own,
  'POST /api/v1/auth/unlock': own,
  'POST /api/v1/auth/password': own,
  'POST /api/v1/auth/totp/setup': own,
  'POST /api/v1/auth/totp/enable': own,
  'POST /api/v1/auth/totp/disable': own,

  'GET /api/v1/users': { permission: 'users.manage', scope: 'none' },
  'POST /api/v1/users': { permission: 'users.manage', scope: 'none' },
  'GET /api/v1/users/:userId': { permission: 'users.manage', scope: 'none' },
  'PATCH /api/v1/users/:userId': { permission: 'users.manage', scope: 'none' },
  'POST /api/v1/users/:userId/password': { permission: 'users.manage', scope: 'none' },
  'POST /api/v1/users/:userId/unlock': { permission: 'users.manage', scope: 'none' },

  'GET /api/v1/audit': { permission: 'audit.read', scope: 'none' },
  'POST /api/v1/audit/verify': { permission: 'audit.verify', scope: 'none' },

  'GET /api/v1/complexes': { permission: 'site.read', scope: 'none' },
  'GET /api/v1/complexes/:complexId/site-plan': { permission: 'site.read', scope: 'complex' },
  'GET /api/v1/buildings/:buildingId': { permission: 'site.read', scope: 'complex' },
  'GET /api/v1/buildings/:buildingId/apartments': { permission: 'site.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/zones': { permission: 'site.edit', scope: 'complex' },
  'PATCH /api/v1/complexes/:complexId/zones/:zoneId': { permission: 'site.edit', scope: 'complex' },
  'DELETE /api/v1/complexes/:complexId/zones/:zoneId': { permission: 'site.edit', scope: 'complex' },

  'GET /api/v1/complexes/:complexId/cameras': { permission: 'cameras.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/cameras': { permission: 'cameras.manage', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/cameras/import': { permission: 'cameras.manage', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/cameras/uptime': { permission: 'cameras.read', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/cameras/events': { permission: 'cameras.read', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId': { permission: 'cameras.read', scope: 'complex' },
  'PATCH /api/v1/cameras/:cameraId': { permission: 'cameras.manage', scope: 'complex' },
  'DELETE /api/v1/cameras/:cameraId': { permission: 'cameras.manage', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/status-history': { permission: 'cameras.read', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/grants': { permission: 'cameras.grant', scope: 'complex' },
  'POST /api/v1/cameras/:cameraId/grants': { permission: 'cameras.grant', scope: 'complex' },
  'DELETE /api/v1/cameras/:cameraId/grants/:grantId': { permission: 'cameras.grant', scope: 'complex' },

  'GET /api/v1/cameras/:cameraId/live': { permission: 'video.live', scope: 'complex' },
  /** The wall's one WebSocket; each subscription is checked like the route above (scope, grant). */
  'GET /api/v1/live': { permission: 'video.live', scope: 'none' },
  'GET /api/v1/me/layouts': { permission: 'monitoring.view', scope: 'none' },

  // Playback of recorded footage (issue 8, server/src/modules/playback).
  'GET /api/v1/cameras/:cameraId/recordings/timeline': { permission: 'recordings.play', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/recordings': { permission: 'recordings.play', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/recordings/media': { permission: 'recordings.play', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/recordings/snapshot': { permission: 'recordings.export', scope: 'complex' },
  'POST /api/v1/cameras/:cameraId/recordings/clips': { permission: 'recordings.export', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/recordings/clips/:clipId': { permission: 'recordings.export', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/recordings/clips/:clipId/file': { permission: 'recordings.export', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/bookmarks': { permission: 'recordings.play', scope: 'complex' },
  'POST /api/v1/cameras/:cameraId/bookmarks': { permission: 'recordings.play', scope: 'complex' },
  'DELETE /api/v1/cameras/:cameraId/bookmarks/:bookmarkId': { permission: 'recordings.play', scope: 'complex' },

  'GET /api/v1/complexes/:complexId/people/search': { permission: 'people.read', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/people': { permission: 'people.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/people': { permission: 'people.edit', scope: 'complex' },
  'GET /api/v1/people/:personId': { permission: 'people.read', scope: 'complex' },
  'PATCH /api/v1/people/:personId': { permission: 'people.edit', scope: 'complex' },
  'POST /api/v1/people/:personId/archive': { permission: 'people.edit', scope: 'complex' },
  'POST /api/v1/people/:personId/erase': { permission: 'people.erase', scope: 'complex' },
  'GET /api/v1/apartments/:apartmentId/card': { permission: 'people.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/vehicles': { permission: 'people.edit', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/premises': { permission: 'people.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/premises': { permission: 'people.edit', scope: 'complex' },
  'PATCH /api/v1/complexes/:complexId/premises/:premiseId': { permission: 'people.edit', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/management': { permission: 'people.read', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/management/companies': { permission: 'people.edit', scope: 'complex' },
  'PATCH /api/v1/complexes/:complexId/management/companies/:companyId': { permission: 'people.edit', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/management/caretakers': { permission: 'people.edit', scope: 'complex' },
  'PATCH /api/v1/complexes/:complexId/management/caretakers/:caretakerId': { permission: 'people.edit', scope: 'complex' },
  'DELETE /api/v1/complexes/:complexId/management/caretakers/:caretakerId': { permission: 'people.edit', scope: 'complex' },
  'GET /api/v1/prevention/categories': { permission: 'prevention.view', scope: 'none' },
  'GET /api/v1/complexes/:complexId/prevention/records': { permission: 'prevention.view', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/prevention/records': { permission: 'prevention.edit', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/prevention/day-list': { permission: 'prevention.view', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/prevention/inspectors': { permission: 'prevention.view', scope: 'complex' },
  'GET /api/v1/prevention/records/:recordId': { permission: 'prevention.view', scope: 'complex' },
  'POST /api/v1/prevention/records/:recordId/check-ins': { permission: 'prevention.edit', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/visit-rounds': { permission: 'visits.manage', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/visit-rounds': { permission: 'visits.manage', scope: 'complex' },
  'GET /api/v1/visit-rounds/:roundId': { permission: 'visits.manage', scope: 'complex' },
  'GET /api/v1/visit-rounds/:roundId/coverage': { permission: 'visits.manage', scope: 'complex' },
  'PUT /api/v1/visit-rounds/:roundId/apartments/:apartmentId': { permission: 'visits.manage', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/people/imports': { permission: 'people.import', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/people/imports/:importId': { permission: 'people.import', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/people/imports/:importId/rows': { permission: 'people.import', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/people/imports/:importId/missing': { permission: 'people.import', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/people/imports/:importId/confirm': { permission: 'people.import', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/people/export': { permission: 'people.export', scope: 'complex' },
  'PUT /api/v1/me/layouts/:layoutId': { permission: 'monitoring.view', scope: 'none' },
  'DELETE /api/v1/me/layouts/:layoutId': { permission: 'monitoring.view', scope: 'none' },

  // Recording holds and health (issue 8, retention helper)
  'GET /api/v1/cameras/:cameraId/recordings/holds': { permission: 'recordings.hold', scope: 'complex' },
  'POST /api/v1/cameras/:cameraId/recordings/holds': { permission: 'recordings.hold', scope: 'complex' },
  'POST /api/v1/cameras/:cameraId/recordings/holds/:holdId/release': { permission: 'recordings.hold', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/recordings/health': { permission: 'monitoring.view', scope: 'complex' },

  // Detection zones, events, alerts, incidents (issue 10, alerts helper)
  'GET /api/v1/cameras/:cameraId/zones': { permission: 'alerts.view', scope: 'complex' },
  'PUT /api/v1/cameras/:cameraId/zones': { permission: 'zones.manage', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/events': { permission: 'events.view', scope: 'complex' },
  'GET /api/v1/cameras/:cameraId/events': { permission: 'events.view', scope: 'complex' },
  'GET /api/v1/events/:eventId': { permission: 'events.view', scope: 'complex' },
  'GET /api/v1/events/:eventId/snapshot': { permission: 'events.view', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/alerts': { permission: 'alerts.view', scope: 'complex' },
  'GET /api/v1/complexes/:complexId/alerts/assignees': { permission: 'alerts.act', scope: 'complex' },
  /** The alert feed's WebSocket; the complex (query) is checked against the caller's scope. */
  'GET /api/v1/alerts/live': { permission: 'alerts.view', scope: 'none' },
  'GET /api/v1/alerts/:alertId': { permission: 'alerts.view', scope: 'complex' },
  'POST /api/v1/alerts/:alertId/acknowledge': { permission: 'alerts.act', scope: 'complex' },
  'POST /api/v1/alerts/:alertId/assign': { permission: 'alerts.act', scope: 'complex' },
  'POST /api/v1/alerts/:alertId/dismiss': { permission: 'alerts.act', scope: 'complex' },
  'POST /api/v1/alerts/:alertId/escalate': { permission: 'alerts.act', scope: 'complex' },
  'GET /api/v1/incident-types': { permission: 'incidents.view', scope: 'none' },
  'GET /api/v1/complexes/:complexId/incidents': { permission: 'incidents.view', scope: 'complex' },
  'POST /api/v1/complexes/:complexId/incidents': { permission: 'incidents.create', scope: 'complex' },
  'GET /api/v1/incidents/:incidentId': { permission: 'incidents.view', scope: 'complex' },
} as const satisfies Record<string, RoutePolicy>;

export type RouteKey = keyof typeof routePolicy;

/** Routes outside the JSON API that the server serves to anyone (docs, the console's files). */
export const publicPrefixes = ['/api/docs'] as const;
