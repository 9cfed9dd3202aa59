import type { Camera, Point, SitePlan, StreamKind, StreamState, StreamStatus } from '@kuzet/contracts';

/** How a state reads at a glance: the badge and map colour. */
export type Tone = 'ok' | 'warn' | 'pending' | 'bad' | 'idle';

export const stateTone: Record<StreamState, Tone> = {
  online: 'ok',
  degraded: 'warn',
  connecting: 'pending',
  offline: 'bad',
  disabled: 'idle',
};

/** A shape beside the colour, so the state does not rest on colour alone. */
export const toneGlyph: Record<Tone, string> = {
  ok: '●',
  warn: '▲',
  pending: '◌',
  bad: '■',
  idle: '○',
};

export function streamOf(camera: Camera, stream: StreamKind): StreamStatus | undefined {
  return camera.status.find((s) => s.stream === stream);
}

export function mainState(camera: Camera): StreamState {
  return streamOf(camera, 'main')?.state ?? (camera.enabled ? 'connecting' : 'disabled');
}

export interface PlaceNames {
  building: string | null;
  entrance: number | null;
  zone: string | null;
}

/** Building, entrance number and zone names of a camera, read from the site plan. */
export function placeOf(camera: Pick<Camera, 'buildingId' | 'entranceId' | 'zoneId'>, plan: SitePlan | undefined) {
  const building = plan?.buildings.find((b) => b.id === camera.buildingId);
  const entrance = building?.entrances.find((e) => e.id === camera.entranceId);
  const zone = plan?.zones.find((z) => z.id === camera.zoneId);
  const names: PlaceNames = {
    building: building?.name ?? null,
    entrance: entrance?.number ?? null,
    zone: zone?.name ?? null,
  };
  return names;
}

/** "1920×1080", or null when unknown. */
export function resolutionText(status: StreamStatus | undefined): string | null {
  if (!status?.width || !status.height) return null;
  return `${status.width}×${status.height}`;
}

/** Whole or one-decimal fps ("25", "12.5"). */
export function fpsValue(status: StreamStatus | undefined): number | null {
  if (status?.fps === null || status?.fps === undefined) return null;
  return Math.round(status.fps * 10) / 10;
}

/** Packet loss with one decimal ("2.3", "0.1"; "<0.1" for a trace), or null when unknown. */
export function lossText(percent: number | null | undefined, lang: string): string | null {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return null;
  if (percent > 0 && percent < 0.05) return `<${(0.1).toLocaleString(lang)}`;
  return (Math.round(percent * 10) / 10).toLocaleString(lang);
}

/** Bit rate in Mbit/s above 1000 kbit/s (one decimal), kbit/s below. */
export function bitrateParts(kbps: number | null | undefined): { value: number; unit: 'kbps' | 'mbps' } | null {
  if (kbps === null || kbps === undefined || !Number.isFinite(kbps)) return null;
  if (kbps >= 1000) return { value: Math.round(kbps / 100) / 10, unit: 'mbps' };
  return { value: Math.round(kbps), unit: 'kbps' };
}

/** The colour band of a day's uptime. */
export function uptimeTone(value: number | null): Tone {
  if (value === null) return 'idle';
  if (value >= 0.99) return 'ok';
  if (value >= 0.9) return 'warn';
  return 'bad';
}

/** Whether a point lies on the plan (the server refuses a camera placed outside it). */
export function insidePlan(point: Point, plan: { width: number; height: number }): boolean {
  return point[0] >= 0 && point[1] >= 0 && point[0] <= plan.width && point[1] <= plan.height;
}
