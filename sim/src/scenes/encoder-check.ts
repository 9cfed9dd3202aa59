/**
 * Before rendering: which ffmpeg renders the scenes (override → system → the packaged static
 * build) and whether it can. Missing filters or libx264 stop the simulator with a line that
 * says what to install; a missing libx265 only degrades the demo — H.265 cameras serve H.264
 * (said in the log), since a camera that never comes online helps nobody.
 */
import { describeFfmpeg, findFfmpeg, type LocateOptions } from '@kuzet/ffmpeg';
import type { SimCamera } from '../types.ts';
import { ENCODERS, SCENE_FILTERS } from './filtergraph.ts';

export interface EncoderPlan {
  /** the ffmpeg binary to run */
  ffmpeg: string;
  /** the cameras as they will be served (codec possibly downgraded) */
  cameras: SimCamera[];
  /** lines for the log: which ffmpeg, and any degradation */
  notes: string[];
}

const INSTALL = 'install ffmpeg (Debian: apt-get install -y ffmpeg), or set KUZET_FFMPEG to a full build';

export async function planEncoding(cameras: SimCamera[], where: LocateOptions = {}): Promise<EncoderPlan> {
  const found = await findFfmpeg(where);
  if (!found.ok) throw new Error(`cannot render the camera scenes: ${found.reason}; ${found.fix}`);
  const info = found.info;
  const missingFilters = SCENE_FILTERS.filter((f) => !info.filters.has(f));
  if (missingFilters.length)
    throw new Error(`${info.path} lacks the filter(s) ${missingFilters.join(', ')} the scenes are drawn with; ${INSTALL}`);
  if (!info.encoders.has(ENCODERS.h264)) throw new Error(`${info.path} has no ${ENCODERS.h264} encoder; ${INSTALL}`);
  const notes = [`sim: scenes are rendered by ${describeFfmpeg(info)}`];
  if (info.encoders.has(ENCODERS.h265)) return { ffmpeg: info.path, cameras, notes };
  const downgraded = cameras.filter((c) => c.codec === 'h265');
  if (downgraded.length)
    notes.push(
      `sim: this ffmpeg has no ${ENCODERS.h265}: camera(s) ${downgraded.map((c) => c.id).join(', ')} serve H.264 instead of H.265 (${INSTALL} for H.265)`,
    );
  return { ffmpeg: info.path, cameras: cameras.map((c) => (c.codec === 'h265' ? { ...c, codec: 'h264' } : c)), notes };
}
