import type { NewCamera } from '../modules/cameras/cameras.service.ts';
import type { Services } from '../services.ts';

/**
 * Tests only: a camera in the registry that no media engine connects to (disabled, a dead
 * address), continuous recording, 30 days — `over` changes what a test is about. Returns its id.
 */
export async function aTestCamera(s: { services: Pick<Services, 'cameras'>; complexId: string }, over: Partial<NewCamera> = {}): Promise<string> {
  const c = await s.services.cameras.create(null, s.complexId, {
    name: `Камера ${crypto.randomUUID().slice(0, 6)}`,
    type: 'yard',
    buildingId: null,
    entranceId: null,
    zoneId: null,
    position: [100, 100],
    direction: 90,
    fieldOfView: 80,
    mainUrl: 'rtsp://127.0.0.1:1/cam/none/main',
    subUrl: null,
    username: null,
    password: null,
    recordingPolicy: 'continuous',
    retentionDays: 30,
    enabled: false,
    ...over,
  });
  return c.id;
}
