import path from 'node:path';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import { AuditRepository } from './modules/audit/audit.repository.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { AuthRepository } from './modules/auth/auth.repository.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { CameraEvents } from './modules/cameras/camera-events.ts';
import { CameraGrantsService } from './modules/cameras/cameras.grants.ts';
import { CameraHistoryService } from './modules/cameras/cameras.history.ts';
import { CamerasRepository } from './modules/cameras/cameras.repository.ts';
import { CamerasService } from './modules/cameras/cameras.service.ts';
import { LayoutsRepository } from './modules/live/layouts.repository.ts';
import { LayoutsService } from './modules/live/layouts.service.ts';
import { PlaybackRepository } from './modules/playback/playback.repository.ts';
import { PlaybackService } from './modules/playback/playback.service.ts';
import { PeopleRepository } from './modules/people/people.repository.ts';
import { PeopleSearch } from './modules/people/people.search.ts';
import { PeopleService } from './modules/people/people.service.ts';
import { RecordingEvents } from './modules/recording/recording-events.ts';
import { PreventionRepository } from './modules/prevention/prevention.repository.ts';
import { PreventionService } from './modules/prevention/prevention.service.ts';
import { VisitsService } from './modules/prevention/visits.service.ts';
import { PeopleBulkRepository } from './modules/people/people-bulk.repository.ts';
import { PeopleBulk } from './modules/people/people.bulk.ts';
import { PlacesService } from './modules/people/people.places.ts';
import { PeopleImportService } from './modules/people-import/import.service.ts';
import { SiteRepository } from './modules/site/site.repository.ts';
import { SiteService } from './modules/site/site.service.ts';
import { UsersRepository } from './modules/users/users.repository.ts';
import { UsersService } from './modules/users/users.service.ts';
import { systemClock, type Clock } from './platform/clock.ts';
// Recording: retention, holds, health (issue 8, retention helper)
import { RecordingHealthService } from './modules/recording/health.service.ts';
import { HoldsService } from './modules/recording/holds.service.ts';
import { RetentionGate } from './modules/recording/retention-gate.ts';
import type { Secrets } from './platform/secrets.ts';
// Detection zones, events, alerts, incidents (issue 10, alerts helper)
import { AlertsService, type AlertsOptions } from './modules/alerts/alerts.service.ts';
import { EventsService } from './modules/events/events.service.ts';
import { IncidentsService } from './modules/incidents/incidents.service.ts';
import { ZonesService } from './modules/zones/zones.service.ts';

export interface ServiceDeps {
  config: Config;
  db: Database;
  secrets: Secrets;
  clock?: Clock;
  /** Where background work (clips) reports failures; silent without one. */
  log?: { warn(o: object, m: string): void };
  /** Offline grouping timings (tests shorten the hold). */
  alerts?: AlertsOptions;
}

/** The composition root: every service, wired explicitly. Used by the HTTP app and the CLI. */
export function createServices(deps: ServiceDeps) {
  const clock = deps.clock ?? systemClock;
  const audit = new AuditService(new AuditRepository(deps.db), deps.secrets.auditKey, deps.config.auditHeadFile, clock);
  const siteRepo = new SiteRepository(deps.db);
  const site = new SiteService(siteRepo, audit, clock);
  const users = new UsersService(new UsersRepository(deps.db), site, audit);
  const auth = new AuthService(new AuthRepository(deps.db), users, audit, deps.secrets, deps.config.auth, clock);
  const camerasRepo = new CamerasRepository(deps.db);
  const cameras = new CamerasService(camerasRepo, site, audit, deps.secrets.credentialKey, clock);
  const cameraGrants = new CameraGrantsService(camerasRepo, users, audit, clock);
  const cameraHistory = new CameraHistoryService(camerasRepo, clock);
  const cameraEvents = new CameraEvents(cameras);
  const layouts = new LayoutsService(new LayoutsRepository(deps.db), cameras, site, clock);
  const people = new PeopleService(new PeopleRepository(deps.db), audit, clock, deps.config.people);
  const peopleSearch = new PeopleSearch(people.repo, people, audit);
  const places = new PlacesService(people.repo, audit);
  const preventionRepo = new PreventionRepository(deps.db);
  const prevention = new PreventionService(preventionRepo, people, users, audit, clock);
  people.addErasureHold((personId) => prevention.erasureHolds(personId));
  const visits = new VisitsService(preventionRepo, site, people, audit, clock);
  const peopleImport = new PeopleImportService(new PeopleBulk(new PeopleBulkRepository(deps.db), people.repo, clock), audit, clock);
  const playback = new PlaybackService(new PlaybackRepository(deps.db), cameras, audit, clock, {
    recordingsDir: deps.config.recordings.dir,
    clipsDir: path.join(deps.config.dataDir, 'clips'),
    log: deps.log ?? { warn: () => undefined },
  });
  // The recorder's main-thread seam (recording.service.ts emits; retention and health listen).
  const recordingEvents = new RecordingEvents();
  // Recording: retention, holds, health (issue 8, retention helper); retention itself is started by server.ts (it needs a logger).
  const retentionGate = new RetentionGate();
  const holds = new HoldsService(deps.db, cameras, audit, clock, retentionGate);
  const recordingHealth = new RecordingHealthService(deps.db, cameras, recordingEvents, clock, { ...deps.config.recordings, root: deps.config.recordings.dir });
  const recordingAdmin = { retentionGate, holds, recordingHealth };
  // Issue 10 (alerts helper): zones → the detector (server.ts wires DetectionService in with zones.useDetector),
  // the detector's reports → events (DetectionSink), events and camera health → alerts.
  const log = deps.log ?? { warn: () => undefined };
  const zones = new ZonesService(deps.db, cameras, audit, clock);
  const events = new EventsService(deps.db, cameras, audit, clock, log);
  const incidents = new IncidentsService(deps.db, audit, clock);
  const alerts = new AlertsService(deps.db, events, incidents, audit, clock, log, deps.alerts);
  cameraHistory.onRecorded((rows) => alerts.onStatus(rows));
  recordingEvents.on('problem', (p) => alerts.onRecordingProblem(p));
  recordingEvents.on('recovered', (p) => alerts.onRecordingProblem({ ...p, message: '' }, true));
  const detection = { zones, events, incidents, alerts };
  return { ...recordingAdmin, ...detection, clock, recordingEvents, audit, site, siteRepo, users, auth, cameras, cameraGrants, cameraHistory, cameraEvents, layouts, people, peopleSearch, places, prevention, visits, peopleImport, playback };
}

export type Services = ReturnType<typeof createServices>;
