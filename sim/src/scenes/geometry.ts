/**
 * Pixel geometry of the actors for one canvas size and loop length. Every moving part is
 * an overlay whose position is `x0 + vx·u + sx·sin(w·u)`, `y0 + vy·u − by·|sin(w·u)|`
 * with u = t − T0. The same rounded numbers are printed into the ffmpeg expressions and
 * evaluated here for the ground truth, so the truth matches the pixels (to the 2-pixel
 * alignment overlay applies on 4:2:0 video).
 */
import type { Actor, Car, Walker } from './catalog.ts';

export const FPS = 25;

export interface Motion {
  x0: number;
  vx: number;
  sx: number;
  y0: number;
  vy: number;
  by: number;
  w: number;
}

export interface Part {
  name: string;
  w: number;
  h: number;
  /** where this part is cut from the actor's texture */
  crop: { x: number; y: number };
  motion: Motion;
}

export interface ActorGeometry {
  actor: Actor;
  /** first and last loop frame on which the actor is drawn */
  n0: number;
  n1: number;
  /** T0 = n0 / FPS, the time origin of the motion */
  t0: number;
  texture: { w: number; h: number };
  parts: Part[];
}

export interface Canvas {
  width: number;
  height: number;
  loopFrames: number;
}

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const even = (v: number): number => Math.max(2, 2 * Math.round(v / 2));
const evenFloor = (v: number): number => Math.max(0, 2 * Math.floor(v / 2));

function window(actor: Actor, c: Canvas): { n0: number; n1: number; t0: number; dur: number } {
  const n0 = Math.round(actor.t0 * c.loopFrames);
  const n1 = Math.min(c.loopFrames - 1, Math.round(actor.t1 * c.loopFrames));
  return { n0, n1, t0: n0 / FPS, dur: Math.max(1, n1 - n0) / FPS };
}

function motion(m: Motion): Motion {
  return { x0: r4(m.x0), vx: r4(m.vx), sx: r4(m.sx), y0: r4(m.y0), vy: r4(m.vy), by: r4(m.by), w: r4(m.w) };
}

function walkerGeometry(a: Walker, c: Canvas): ActorGeometry {
  const { n0, n1, t0, dur } = window(a, c);
  const h = even(a.height * c.height);
  const tw = even(0.28 * h);
  const texW = even(0.36 * h);
  const fx0 = a.from[0] * c.width;
  const fy0 = a.from[1] * c.height;
  const vx = (a.to[0] * c.width - fx0) / dur;
  const vy = (a.to[1] * c.height - fy0) / dur;
  const w = 2 * Math.PI * a.gaitHz;
  const bob = 0.025 * h;
  // One part: centred at feetX + dx (swinging by `swing`), top at feetY − h + dy.
  const part = (
    name: string,
    pw: number,
    ph: number,
    dx: number,
    dy: number,
    swing: number,
    crop: { x: number; y: number },
  ): Part => ({
    name,
    w: pw,
    h: ph,
    crop,
    motion: motion({ x0: fx0 + dx - pw / 2, vx, sx: swing, y0: fy0 - h + dy, vy, by: bob, w }),
  });
  const lw = even(0.11 * h);
  const lh = even(0.45 * h);
  const aw = even(0.07 * h);
  const ah = even(0.33 * h);
  const th = even(0.38 * h);
  const hs = even(0.15 * h);
  const armY = even(0.19 * h);
  const torsoY = even(0.17 * h);
  const side = tw / 2 + aw / 2;
  const parts: Part[] = [
    part('leg-l', lw, lh, -0.05 * h, h - lh, 0.13 * h, { x: 0, y: h - lh }),
    part('leg-r', lw, lh, 0.05 * h, h - lh, -0.13 * h, { x: texW - lw, y: h - lh }),
    part('arm-l', aw, ah, -side, armY, -0.07 * h, { x: 0, y: armY }),
    part('arm-r', aw, ah, side, armY, 0.07 * h, { x: texW - aw, y: armY }),
    part('torso', tw, th, 0, torsoY, 0, { x: evenFloor((texW - tw) / 2), y: torsoY }),
    part('head', hs, hs, 0, even(0.01 * h), 0, { x: evenFloor((texW - hs) / 2), y: 0 }),
  ];
  return { actor: a, n0, n1, t0, texture: { w: texW, h }, parts };
}

function carGeometry(a: Car, c: Canvas): ActorGeometry {
  const { n0, n1, t0, dur } = window(a, c);
  const len = even(a.length * c.width);
  const ch = even(a.height * c.height);
  const xStart = a.dir === 1 ? -len : c.width;
  const xEnd = a.dir === 1 ? c.width : -len;
  const m = motion({ x0: xStart, vx: (xEnd - xStart) / dur, sx: 0, y0: even(a.y * c.height) - ch, vy: 0, by: 0, w: 0 });
  return {
    actor: a,
    n0,
    n1,
    t0,
    texture: { w: len, h: ch },
    parts: [{ name: 'body', w: len, h: ch, crop: { x: 0, y: 0 }, motion: m }],
  };
}

export function actorGeometry(a: Actor, c: Canvas): ActorGeometry {
  return a.kind === 'person' ? walkerGeometry(a, c) : carGeometry(a, c);
}

/** ffmpeg overlay expressions for a part (time variable `t`, seconds of the loop). */
export function partExpressions(p: Part, t0: number): { x: string; y: string } {
  const m = p.motion;
  const u = `(t-${r4(t0)})`;
  return {
    x: `${m.x0}+${m.vx}*${u}+${m.sx}*sin(${m.w}*${u})`,
    y: `${m.y0}+${m.vy}*${u}-${m.by}*abs(sin(${m.w}*${u}))`,
  };
}

/** overlay's `enable`: half a frame of slack either side so float time never drops an edge frame. */
export function enableExpression(g: ActorGeometry): string {
  return `between(t,${r4((g.n0 - 0.5) / FPS)},${r4((g.n1 + 0.5) / FPS)})`;
}

/** Where overlay puts a part on loop frame n: it truncates to int and aligns to even pixels. */
export function partRect(p: Part, g: ActorGeometry, n: number): { x: number; y: number; w: number; h: number } {
  const m = p.motion;
  const u = n / FPS - r4(g.t0);
  const s = Math.sin(m.w * u);
  const x = Math.trunc(m.x0 + m.vx * u + m.sx * s) & ~1;
  const y = Math.trunc(m.y0 + m.vy * u - m.by * Math.abs(s)) & ~1;
  return { x, y, w: p.w, h: p.h };
}
