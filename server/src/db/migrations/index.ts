import type { Migration } from 'kysely';
import * as foundation from './20261124000000-foundation.ts';
import * as cameras from './20261124010000-cameras.ts';
import * as wallLayouts from './20261125000000-wall-layouts.ts';
import * as statusEventsByComplex from './20261129000000-status-events-by-complex.ts';
import * as cameraTransport from './20261129010700-camera-transport.ts';
import * as people from './20261129020000-people.ts';
import * as prevention from './20261129100000-prevention.ts';
import * as recordings from './20261130000000-recordings.ts';
import * as detection from './20261201000000-detection.ts';

/** Every migration, in order. Names are timestamps; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '20261124000000-foundation': foundation,
  '20261124010000-cameras': cameras,
  '20261125000000-wall-layouts': wallLayouts,
  '20261129000000-status-events-by-complex': statusEventsByComplex,
  '20261129010700-camera-transport': cameraTransport,
  '20261129020000-people': people,
  '20261129100000-prevention': prevention,
  '20261130000000-recordings': recordings,
  '20261201000000-detection': detection,
};
