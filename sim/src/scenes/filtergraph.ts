/**
 * Pure functions from a clip spec to ffmpeg arguments (unit-testable as strings).
 * One ffmpeg run renders a scene once and encodes both streams (main + sub) from the
 * same composition, so they show the same moment and the filters run once.
 * Only long-standing lavfi filters are used (color, cellauto, drawbox, noise, gblur, loop,
 * trim, setpts, overlay, eq, lutyuv, crop, scale, hflip, split) so ffmpeg 5, 6 and 7 accept it.
 */
import { stampFilters } from '../stamp.ts';
import { findScene, type Car, type SceneEffects, type Sweep, type Variant } from './catalog.ts';
import { FPS, actorGeometry, enableExpression, partExpressions, type ActorGeometry, type Canvas } from './geometry.ts';

export type Codec = 'h264' | 'h265';
export type MainSize = '1080p' | '720p' | '360p';
/** A tampered picture (fault `cover`, `defocus`, `turn`): the same scene, covered / out of focus / pointed elsewhere. */
export type Tamper = 'cover' | 'defocus' | 'turn';
export const TAMPERS: readonly Tamper[] = ['cover', 'defocus', 'turn'];

export interface ClipSpec {
  scene: string;
  codec: Codec;
  main: MainSize;
  stampId: number;
  /** loop length; a multiple of the 2 s GOP so keyframes stay regular across the seam */
  loopSeconds: number;
  /** sub stream keyframe interval: 2 s (default) or 1 s; the main stream keeps 2 s */
  subGopSeconds?: 1 | 2;
  /** render the tampered variant of the scene (same clock and stamp, picture covered / blurred / turned) */
  tamper?: Tamper;
}

export const MAIN_SIZES: Record<MainSize, { width: number; height: number; kbps: number }> = {
  '1080p': { width: 1920, height: 1080, kbps: 4000 },
  '720p': { width: 1280, height: 720, kbps: 2000 },
  '360p': { width: 640, height: 360, kbps: 600 },
};
export const SUB_SIZE = { width: 640, height: 360, kbps: 500 };
/** Every lavfi filter the scene graphs use (a test checks the graphs use no other): the simulator checks its ffmpeg has them. */
export const SCENE_FILTERS = [
  'blend',
  'cellauto',
  'color',
  'crop',
  'drawbox',
  'eq',
  'format',
  'gblur',
  'hflip',
  'loop',
  'lutyuv',
  'noise',
  'overlay',
  'scale',
  'setpts',
  'split',
  'trim',
] as const;
/** The encoder of each codec (libx265 is the one small ffmpeg builds leave out). */
export const ENCODERS: Record<Codec, string> = { h264: 'libx264', h265: 'libx265' };
export const GOP_FRAMES = 50;

const NIGHT_EQ = 'eq=brightness=-0.22:contrast=0.5:saturation=0.35';
const DUSK_EQ = 'eq=brightness=-0.1:contrast=0.75:saturation=0.6';
const LIGHT_EQ: Record<Variant, string | undefined> = { day: undefined, night: NIGHT_EQ, dusk: DUSK_EQ };
/** the camera in infrared: gray, brighter, higher contrast */
const IR_EQ = 'eq=brightness=0.14:contrast=1.4:saturation=0';
const SENSOR_NOISE: Record<Variant, number> = { day: 6, night: 18, dusk: 12 };
/** a covered lens: dark, near-uniform, a little noise */
const COVER_LUT = "lutyuv=y='22+val/24':u=128:v=128";
const COVER_NOISE = 4;

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
  if (spec.subGopSeconds !== undefined && spec.subGopSeconds !== 1 && spec.subGopSeconds !== 2)
    throw new Error(`subGopSeconds must be 1 or 2, got ${String(spec.subGopSeconds)}`);
  if (spec.tamper !== undefined && !TAMPERS.includes(spec.tamper))
    throw new Error(`unknown tamper "${String(spec.tamper)}" (cover, defocus, turn)`);
}

const px = (v: number): number => Math.round(v);
const even = (v: number): number => Math.max(2, 2 * Math.round(v / 2));

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
    ...eqFor(variant),
    'loop=loop=-1:size=1',
    `setpts=N/${FPS}/TB`,
    `trim=end_frame=${c.loopFrames}`,
  ].join(',');
}

const eqFor = (variant: Variant): string[] => {
  const eq = LIGHT_EQ[variant];
  return eq ? [eq] : [];
};

/** A still, black (Y = 0) full-size layer looped over the clip: what light is added onto. */
function blackLayer(c: Canvas): string[] {
  return [
    `color=c=black:s=${c.width}x${c.height}:r=${FPS}:d=${1 / FPS}`,
    'format=yuv420p',
    "lutyuv=y='0':u=128:v=128",
    'loop=loop=-1:size=1',
    `setpts=N/${FPS}/TB`,
    `trim=end_frame=${c.loopFrames}`,
  ];
}

/** Adds a light layer's luma to the picture; chroma stays the picture's. */
const ADD_LIGHT = 'blend=c0_mode=addition:c1_mode=normal:c2_mode=normal';

/** Headlight sprite geometry: a soft-edged bright area sliding across; shared with the truth. */
export function sweepGeometry(
  s: Sweep,
  c: Canvas,
): { w: number; h: number; margin: number; sigma: number; x0: number; x1: number; y: number; n0: number; n1: number } {
  const sigma = Math.round(0.05 * c.width);
  const margin = even(2.5 * sigma);
  const w = even(s.w * c.width);
  const h = even(s.h * c.height);
  return {
    w,
    h,
    margin,
    sigma,
    x0: Math.round(s.fromX * c.width - w / 2 - margin),
    x1: Math.round(s.toX * c.width - w / 2 - margin),
    y: Math.round(s.y * c.height - h / 2 - margin),
    n0: Math.round(s.t0 * c.loopFrames),
    n1: Math.min(c.loopFrames - 1, Math.round(s.t1 * c.loopFrames)),
  };
}

/** Whole-picture effects on the composed scene `input`; returns the chains and the output label. */
function effectChains(effects: SceneEffects, c: Canvas, input: string): { chains: string[]; out: string } {
  const chains: string[] = [];
  let last = input;
  if (effects.infrared) {
    const a = Math.round(effects.infrared.from * c.loopFrames) / FPS;
    const b = Math.round(effects.infrared.to * c.loopFrames) / FPS;
    chains.push(`[${last}]split=2[irday][irsrc]`);
    chains.push(`[irsrc]${IR_EQ}[irgray]`);
    chains.push(`[irday][irgray]overlay=x=0:y=0:enable='between(t,${a - 0.02},${b - 0.02})'[ir]`);
    last = 'ir';
  }
  if (effects.headlights?.length) {
    chains.push(`${blackLayer(c).join(',')}[hl0]`);
    effects.headlights.forEach((s, i) => {
      const g = sweepGeometry(s, c);
      const sw = g.w + 2 * g.margin;
      const sh = g.h + 2 * g.margin;
      chains.push(
        [
          `color=c=black:s=${sw}x${sh}:r=${FPS}:d=${1 / FPS}`,
          'format=yuv420p',
          `drawbox=x=${g.margin}:y=${g.margin}:w=${g.w}:h=${g.h}:color=0xb0a890:t=fill`,
          `gblur=sigma=${g.sigma}`,
          "lutyuv=y='max(val-16,0)':u=128:v=128",
          'loop=loop=-1:size=1',
          `setpts=N/${FPS}/TB`,
        ].join(',') + `[hls${i}]`,
      );
      const t0 = g.n0 / FPS;
      const t1 = g.n1 / FPS;
      const vx = (g.x1 - g.x0) / Math.max(1 / FPS, t1 - t0);
      chains.push(
        `[hl${i}][hls${i}]overlay=x='${g.x0}+${Math.round(vx * 100) / 100}*(t-${t0})':y=${g.y}:enable='between(t,${t0 - 0.02},${t1 + 0.02})'[hl${i + 1}]`,
      );
    });
    chains.push(`[${last}][hl${effects.headlights.length}]${ADD_LIGHT}[lit]`);
    last = 'lit';
  }
  if (effects.rain) {
    // A coarse grid of random cells, a new draw every frame, ~1 % lit, stretched into tall thin streaks.
    const gw = Math.round(c.width / 6);
    const gh = Math.round(c.height / 30);
    chains.push(
      [
        `color=c=0x808080:s=${gw}x${gh}:r=${FPS}:d=${c.loopFrames / FPS}`,
        'format=yuv420p',
        'noise=alls=100:allf=t+u',
        "lutyuv=y='if(gt(val,174),70,0)':u=128:v=128",
        `scale=${c.width}:${c.height}:flags=neighbor`,
      ].join(',') + '[rain]',
    );
    chains.push(`[${last}][rain]${ADD_LIGHT}[wet]`);
    last = 'wet';
  }
  return { chains, out: last };
}

function tamperFilter(t: Tamper, c: Canvas): string {
  switch (t) {
    case 'cover':
      return COVER_LUT;
    case 'defocus':
      return `gblur=sigma=${Math.round(0.02 * c.width)}`;
    case 'turn': {
      // pointed elsewhere: another part of the scene (shifted right and down, mirrored), only
      // slightly enlarged (1.25×) so it stays about as sharp as the real view
      const w = even(0.8 * c.width);
      const h = even(0.8 * c.height);
      return `crop=${w}:${h}:${c.width - w}:${even(0.16 * c.height)},scale=${c.width}:${c.height},hflip`;
    }
  }
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
    ...eqFor(variant),
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
    ...eqFor(variant),
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
  const fx = effectChains(scene.effects, c, last);
  chains.push(...fx.chains);
  last = fx.out;
  const tamper = spec.tamper ? `${tamperFilter(spec.tamper, c)},` : '';
  const noise = spec.tamper === 'cover' ? COVER_NOISE : (scene.effects.noise ?? SENSOR_NOISE[variant]);
  chains.push(`[${last}]${tamper}noise=alls=${noise}:allf=t,split=2[cm][cs]`);
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

function encoderArgs(codec: Codec, kbps: number, stream: 'main' | 'sub', gop = GOP_FRAMES): string[] {
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
      `aud=1:bframes=0:keyint=${gop}:min-keyint=${gop}:scenecut=0:open-gop=0:repeat-headers=1:log-level=error`,
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
    String(gop),
    '-keyint_min',
    String(gop),
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
    ...encoderArgs(spec.codec, SUB_SIZE.kbps, 'sub', (spec.subGopSeconds ?? 2) * FPS),
    subPath,
  ];
}
