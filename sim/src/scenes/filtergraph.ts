/**
 * Pure functions from a clip spec to ffmpeg arguments (unit-testable as strings).
 * One ffmpeg run renders a scene once and encodes both streams (main + sub) from the
 * same composition, so they show the same moment and the filters run once.
 * Only long-standing lavfi filters are used (color, cellauto, drawbox, noise, gblur, loop,
 * trim, setpts, overlay, eq, lutyuv, crop, scale, hflip, split) so ffmpeg 5, 6 and 7 accept it.
 */
import { stampFilters } from '../stamp.ts';
import { findScene, type Car, type Variant } from './catalog.ts';
import { FPS, actorGeometry, enableExpression, partExpressions, type ActorGeometry, type Canvas } from './geometry.ts';

export type Codec = 'h264' | 'h265';
export type MainSize = '1080p' | '720p' | '360p';

export interface ClipSpec {
  scene: string;
  codec: Codec;
  main: MainSize;
  stampId: number;
  /** loop length; a multiple of the 2 s GOP so keyframes stay regular across the seam */
  loopSeconds: number;
}

export const MAIN_SIZES: Record<MainSize, { width: number; height: number; kbps: number }> = {
  '1080p': { width: 1920, height: 1080, kbps: 4000 },
  '720p': { width: 1280, height: 720, kbps: 2000 },
  '360p': { width: 640, height: 360, kbps: 600 },
};
export const SUB_SIZE = { width: 640, height: 360, kbps: 500 };
/** Every lavfi filter the scene graphs use (a test checks the graphs use no other): the simulator checks its ffmpeg has them. */
export const SCENE_FILTERS = ['cellauto', 'color', 'crop', 'drawbox', 'eq', 'format', 'gblur', 'hflip', 'loop', 'lutyuv', 'noise', 'overlay', 'scale', 'setpts', 'split', 'trim'] as const;
/** The encoder of each codec (libx265 is the one small ffmpeg builds leave out). */
export const ENCODERS: Record<Codec, string> = { h264: 'libx264', h265: 'libx265' };
export const GOP_FRAMES = 50;

const NIGHT_EQ = 'eq=brightness=-0.22:contrast=0.5:saturation=0.35';
const SENSOR_NOISE: Record<Variant, number> = { day: 6, night: 18 };

export function canvasFor(spec: ClipSpec): Canvas {
  const m = MAIN_SIZES[spec.main];
  return { width: m.width, height: m.height, loopFrames: spec.loopSeconds * FPS };
}

export function validateSpec(spec: ClipSpec): void {
  if (!findScene(spec.scene)) throw new Error(`unknown scene "${spec.scene}"`);
  if (!MAIN_SIZES[spec.main]) throw new Error(`unknown main size "${spec.main}"`);
  if (spec.codec !== 'h264' && spec.codec !== 'h265') throw new Error(`unknown codec "${spec.codec}"`);
  if (
    !Number.isInteger(spec.loopSeconds) ||
    spec.loopSeconds < 2 ||
    spec.loopSeconds % 2 !== 0 ||
    spec.loopSeconds > 600
  ) {
    throw new Error(`loopSeconds must be an even number of seconds (2..600), got ${spec.loopSeconds}`);
  }
  if (!Number.isInteger(spec.stampId) || spec.stampId < 0 || spec.stampId > 0xffff)
    throw new Error(`stampId must be 0..65535`);
}

const px = (v: number): number => Math.round(v);

function backgroundChain(spec: ClipSpec, c: Canvas, variant: Variant): string {
  const scene = findScene(spec.scene);
  if (!scene) throw new Error(`unknown scene ${spec.scene}`);
  const boxes = scene.place.paint.map(
    (p) =>
      `drawbox=x=${px(p.x * c.width)}:y=${px(p.y * c.height)}:w=${Math.max(1, px(p.w * c.width))}:h=${Math.max(1, px(p.h * c.height))}:color=${p.color}:t=fill`,
  );
  // Rendered once (one frame), given a static grain so the encoder sees texture, then looped:
  // the background costs nothing per frame.
  return [
    `color=c=${scene.place.base}:s=${c.width}x${c.height}:r=${FPS}:d=${1 / FPS}`,
    'format=yuv420p',
    ...boxes,
    'noise=alls=22:allf=u',
    'gblur=sigma=1.2',
    ...(variant === 'night' ? [NIGHT_EQ] : []),
    'loop=loop=-1:size=1',
    `setpts=N/${FPS}/TB`,
    `trim=end_frame=${c.loopFrames}`,
  ].join(',');
}

function carChain(car: Car, g: ActorGeometry, variant: Variant): string {
  const { w, h } = g.texture;
  const box = (x: number, y: number, bw: number, bh: number, color: string): string =>
    `drawbox=x=${px(x * w)}:y=${px(y * h)}:w=${Math.max(2, px(bw * w))}:h=${Math.max(2, px(bh * h))}:color=${color}:t=fill`;
  // Drawn facing right; hflip for cars driving left. Lights after the night eq so they stay bright.
  return [
    `color=c=${car.color}:s=${w}x${h}:r=${FPS}:d=${1 / FPS}`,
    'format=yuv420p',
    box(0.22, 0.05, 0.26, 0.33, '0x1c2630'),
    box(0.52, 0.05, 0.24, 0.33, '0x1c2630'),
    box(0.12, 0.75, 0.16, 0.25, '0x101010'),
    box(0.72, 0.75, 0.16, 0.25, '0x101010'),
    'noise=alls=14:allf=u',
    ...(variant === 'night' ? [NIGHT_EQ] : []),
    box(0.95, 0.45, 0.05, 0.14, variant === 'night' ? '0xfffff0' : '0xd8d8c0'),
    box(0, 0.45, 0.03, 0.14, '0xc01010'),
    ...(car.dir === -1 ? ['hflip'] : []),
    'loop=loop=-1:size=1',
    `setpts=N/${FPS}/TB`,
  ].join(',');
}

function walkerTexture(g: ActorGeometry, variant: Variant, label: string): string {
  if (g.actor.kind !== 'person') throw new Error('not a walker');
  const [rule, seed, du, dv] = g.actor.texture;
  const { w, h } = g.texture;
  // An elementary cellular automaton scrolls one row per frame: a busy, changing "clothing"
  // texture the encoder cannot predict from the previous frame. Half size, then scaled up.
  return [
    `cellauto=s=${Math.max(2, w / 2)}x${Math.max(2, h / 2)}:rule=${rule}:rate=${FPS}:random_fill_ratio=0.5:random_seed=${seed}`,
    'format=yuv420p',
    `scale=${w}:${h}`,
    'eq=contrast=0.55:brightness=-0.05',
    `lutyuv=u=val+${du}:v=val+${dv}`,
    ...(variant === 'night' ? [NIGHT_EQ] : []),
    `split=${g.parts.length}${g.parts.map((p) => `[${label}${p.name}]`).join('')}`,
  ].join(',');
}

/** The filter graph: sources, composition, sensor noise, then one stamped output per stream: [main] and [sub]. */
export function sceneGraph(spec: ClipSpec): string {
  validateSpec(spec);
  const scene = findScene(spec.scene);
  if (!scene) throw new Error(`unknown scene ${spec.scene}`);
  const c = canvasFor(spec);
  const variant = scene.variant;
  const chains: string[] = [`${backgroundChain(spec, c, variant)}[bg]`];
  // Draw far actors first: whoever stands lower in the picture is closer to the camera.
  const geoms = scene.place.actors.map((a) => actorGeometry(a, c)).sort((a, b) => feetY(a) - feetY(b));
  let last = 'bg';
  let k = 0;
  geoms.forEach((g, i) => {
    const label = `a${i}`;
    const layers: Array<{ src: string; part: (typeof g.parts)[number] }> = [];
    if (g.actor.kind === 'car') {
      chains.push(`${carChain(g.actor, g, variant)}[${label}body]`);
    } else {
      chains.push(walkerTexture(g, variant, `${label}t`));
      for (const p of g.parts)
        chains.push(`[${label}t${p.name}]crop=${p.w}:${p.h}:${p.crop.x}:${p.crop.y}[${label}${p.name}]`);
    }
    for (const p of g.parts) layers.push({ src: `${label}${p.name}`, part: p });
    for (const { src, part } of layers) {
      const e = partExpressions(part, g.t0);
      const out = `v${k++}`;
      chains.push(`[${last}][${src}]overlay=x='${e.x}':y='${e.y}':enable='${enableExpression(g)}'[${out}]`);
      last = out;
    }
  });
  chains.push(`[${last}]noise=alls=${SENSOR_NOISE[variant]}:allf=t,split=2[cm][cs]`);
  chains.push(`[cm]${stampFilters(spec.stampId, c.width, c.height).join(',')}[main]`);
  chains.push(
    `[cs]scale=${SUB_SIZE.width}:${SUB_SIZE.height},${stampFilters(spec.stampId, SUB_SIZE.width, SUB_SIZE.height).join(',')}[sub]`,
  );
  return chains.join(';\n');
}

function feetY(g: ActorGeometry): number {
  const a = g.actor;
  return a.kind === 'car' ? a.y : (a.from[1] + a.to[1]) / 2;
}

function encoderArgs(codec: Codec, kbps: number, stream: 'main' | 'sub'): string[] {
  const rate = [`-b:v`, `${kbps}k`, `-maxrate`, `${kbps}k`, `-bufsize`, `${kbps}k`];
  if (codec === 'h265') {
    return [
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      ...rate,
      // closed GOPs (IDR, not CRA) and parameter sets before every IDR, as cameras do
      '-x265-params',
      `aud=1:bframes=0:keyint=${GOP_FRAMES}:min-keyint=${GOP_FRAMES}:scenecut=0:open-gop=0:repeat-headers=1:log-level=error`,
      '-f',
      'hevc',
    ];
  }
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-profile:v',
    stream === 'main' ? 'high' : 'main',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(GOP_FRAMES),
    '-keyint_min',
    String(GOP_FRAMES),
    '-sc_threshold',
    '0',
    '-bf',
    '0',
    ...rate,
    '-x264-params',
    'aud=1:repeat-headers=1',
    '-bsf:v',
    'h264_mp4toannexb',
    '-f',
    'h264',
  ];
}

/** Full ffmpeg argument list writing the two Annex B elementary streams. */
export function encodeArgs(spec: ClipSpec, mainPath: string, subPath: string): string[] {
  const c = canvasFor(spec);
  const m = MAIN_SIZES[spec.main];
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-filter_complex',
    sceneGraph(spec),
    '-map',
    '[main]',
    '-frames:v',
    String(c.loopFrames),
    '-an',
    '-r',
    String(FPS),
    ...encoderArgs(spec.codec, m.kbps, 'main'),
    mainPath,
    '-map',
    '[sub]',
    '-frames:v',
    String(c.loopFrames),
    '-an',
    '-r',
    String(FPS),
    ...encoderArgs(spec.codec, SUB_SIZE.kbps, 'sub'),
    subPath,
  ];
}
