/**
 * Motion and tamper analysis of small gray frames (FRAME_W × FRAME_H, one byte per pixel).
 * Pure computation, no I/O: the detection worker feeds it decoded frames of one camera, the
 * unit tests feed it synthetic ones.
 *
 * Motion: a running background and a per-pixel noise variance; the frame is first fitted to
 * the background as a whole (f ≈ a·bg + c: slow light, auto-exposure, the infrared switch),
 * pixels far from the fit in units of their own noise are foreground, thin streaks and lone
 * pixels are dropped, connected pieces become blobs, and a blob counts as an object only when
 * the picture's structure changed in it (high-pass texture not explained by a brightness
 * gain of the background's texture) — a headlight sweep or a shadow brightens or darkens
 * what is there; a person replaces it.
 *
 * Tamper: the frame's detail (spatial standard deviation), sharpness (high-pass energy per
 * unit of detail) and edge layout (correlation of its gradient map with a slow reference) —
 * covered = detail collapses, defocused = sharpness collapses while brightness and detail
 * stay, turned = the edge layout no longer matches. A suspicion is reported by the caller
 * only once it has lasted TAMPER_PERSIST_MS.
 */

export const FRAME_W = 160;
export const FRAME_H = 90;
export const FRAME_PIXELS = FRAME_W * FRAME_H;

export interface GrayFrame {
  data: Uint8Array;
  /** Epoch ms the frame was received (its capture time as far as we know). */
  at: number;
}

export interface Blob {
  /** Pixel box in the analysis raster. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Foreground pixels. */
  area: number;
  /** Mean |residual| / noise σ of its pixels. */
  strength: number;
  /** Label in `labels` of the analysis result. */
  label: number;
}

export interface BlockStats {
  detail: Float32Array;
  edge: Float32Array;
  /** Correlation of the block's gradient map with the reference's (1 before there is one). */
  layout: Float32Array;
}

export type TamperSignal = 'covered' | 'defocused' | 'turned' | null;

export interface FrameResult {
  at: number;
  /** False while the model is still learning its first frames. */
  ready: boolean;
  /** Objects (blobs with changed structure), largest first. */
  objects: Blob[];
  /** Per pixel: the object label + 1 (0 = none). Valid until the next process() call. */
  labels: Int32Array;
  /** The global fit of this frame to the background. */
  gain: number;
  offset: number;
  /** A global brightness change was absorbed (infrared switch, lights): the background was rescaled. */
  globalChange: boolean;
  /** Share of the picture flagged as foreground before the structure test. */
  foregroundShare: number;
  tamper: TamperSignal;
  stats: { mean: number; detail: number; sharpness: number; layout: number; edge: number; noise: number; blocks: BlockStats };
}

export interface AnalyzerOptions {
  /** Per pixel 1..10 (0 = not watched: in no include zone, or masked). */
  sensitivity?: Uint8Array;
  /** Default sensitivity of pixels outside every include zone (for promotion and tamper only). */
  defaultSensitivity?: number;
  /** Background time constant (ms). */
  backgroundTauMs?: number;
}

const VAR_MIN = 4; // 2 gray levels σ: codec smoothing makes noise look smaller than it is
const VAR_MAX = 900;
const VAR_INIT = 36;
const WARMUP_FRAMES = 2;
const MIN_BLOB = 4;
/** Tamper statistics per block (8 × 6 blocks of 20 × 15 px): medians over blocks ignore an OSD or a stamp that stays sharp over a covered lens. */
const BX = 8;
const BY = 6;
const BW = FRAME_W / BX;
const BH = FRAME_H / BY;
const NB = BX * BY;

/** Per-sensitivity threshold in units of the noise σ, and the smallest absolute change (gray levels). */
export function thresholds(s: number): { k: number; minAbs: number } {
  const c = Math.max(1, Math.min(10, s));
  return { k: 2.2 + (10 - c) * 0.4, minAbs: 4 + (10 - c) * 0.7 };
}

export class MotionAnalyzer {
  private bg: Float32Array | null = null;
  private variance = new Float32Array(FRAME_PIXELS);
  private lastAt = 0;
  private frames = 0;
  private readonly fg = new Uint8Array(FRAME_PIXELS);
  private readonly clean = new Uint8Array(FRAME_PIXELS);
  private readonly residual = new Float32Array(FRAME_PIXELS);
  private readonly labels = new Int32Array(FRAME_PIXELS);
  private readonly hpF = new Float32Array(FRAME_PIXELS);
  private readonly hpB = new Float32Array(FRAME_PIXELS);
  private readonly stack = new Int32Array(FRAME_PIXELS);
  private kMap = new Float32Array(FRAME_PIXELS);
  private absMap = new Float32Array(FRAME_PIXELS);
  /** Tamper reference (slow): detail, sharpness, mean, gradient map. */
  private ref: { detail: number; sharpness: number; edge: number; mean: number; grad: Float32Array; n: number; bDetail: Float32Array; bEdge: Float32Array } | null = null;
  private readonly grad = new Float32Array(FRAME_PIXELS);
  private readonly smooth = new Float32Array(FRAME_PIXELS);
  private frozen = false;
  private readonly tauMs: number;

  constructor(opts: AnalyzerOptions = {}) {
    this.tauMs = opts.backgroundTauMs ?? 8000;
    this.setSensitivity(opts.sensitivity ?? null, opts.defaultSensitivity ?? 5);
  }

  /** Per-pixel sensitivity (zones): pixels at 0 use `fallback` (they still promote and feed tamper). */
  setSensitivity(map: Uint8Array | null, fallback = 5): void {
    for (let i = 0; i < FRAME_PIXELS; i++) {
      const s = map && map[i]! > 0 ? map[i]! : fallback;
      const t = thresholds(s);
      this.kMap[i] = t.k;
      this.absMap[i] = t.minAbs;
    }
  }

  /** While frozen (a tamper suspicion), the background and references do not learn. */
  freeze(on: boolean): void {
    this.frozen = on;
  }

  /** Forgets the background and the tamper reference (after a confirmed tamper ended, or a new view was accepted). */
  reset(): void {
    this.bg = null;
    this.ref = null;
    this.frames = 0;
  }

  get learnedFrames(): number {
    return this.frames;
  }

  /** `boost` < 1 lowers the thresholds (keyframes alone, where a promotion is cheap and a miss is not). */
  process(frame: GrayFrame, boost = 1): FrameResult {
    const f = frame.data;
    const stats = this.frameStats(f);
    const empty = (ready: boolean, gain = 1, offset = 0, globalChange = false): FrameResult => ({
      at: frame.at, ready, objects: [], labels: this.labels.fill(0), gain, offset, globalChange, foregroundShare: 0, tamper: null, stats,
    });
    if (!this.bg) {
      this.bg = Float32Array.from(f);
      this.variance.fill(VAR_INIT);
      this.lastAt = frame.at;
      this.frames = 1;
      this.updateReference(stats, 1);
      return empty(false);
    }
    const bg = this.bg;
    const dt = Math.max(0, Math.min(30_000, frame.at - this.lastAt));
    this.lastAt = frame.at;

    const tamper = this.tamperOf(stats);

    // Global fit f ≈ a·bg + c, twice: the second time without the pixels the first fit left far off.
    let { a, c } = fit(f, bg, null);
    for (let i = 0; i < FRAME_PIXELS; i++) {
      const r = f[i]! - (a * bg[i]! + c);
      this.fg[i] = r * r > 9 * (this.variance[i]! + 16) ? 1 : 0;
    }
    ({ a, c } = fit(f, bg, this.fg));
    const globalChange = Math.abs(a - 1) > 0.12 || Math.abs(c + (a - 1) * 128) > 10;
    if (globalChange && !this.frozen && !tamper) {
      // The whole picture changed brightness (infrared switch, exposure): take the background along.
      for (let i = 0; i < FRAME_PIXELS; i++) {
        bg[i] = a * bg[i]! + c;
        this.variance[i] = Math.min(VAR_MAX, this.variance[i]! * Math.max(1, a * a));
      }
      a = 1;
      c = 0;
    }

    // Foreground: far from the fitted background in units of the pixel's own noise.
    let fgCount = 0;
    for (let i = 0; i < FRAME_PIXELS; i++) {
      const r = f[i]! - (a * bg[i]! + c);
      this.residual[i] = r;
      const ar = r < 0 ? -r : r;
      const k = this.kMap[i]! * boost;
      const on = ar > this.absMap[i]! * boost && r * r > k * k * this.variance[i]! ? 1 : 0;
      this.fg[i] = on;
      fgCount += on;
    }
    // Lone pixels and one-pixel-wide streaks (rain, noise) go: a pixel stays with ≥ 3 of its 8 neighbours on.
    this.clean.fill(0);
    for (let y = 1; y < FRAME_H - 1; y++) {
      for (let x = 1; x < FRAME_W - 1; x++) {
        const i = y * FRAME_W + x;
        if (!this.fg[i]) continue;
        const n =
          this.fg[i - FRAME_W - 1]! + this.fg[i - FRAME_W]! + this.fg[i - FRAME_W + 1]! + this.fg[i - 1]! + this.fg[i + 1]! + this.fg[i + FRAME_W - 1]! + this.fg[i + FRAME_W]! + this.fg[i + FRAME_W + 1]!;
        if (n >= 3) this.clean[i] = 1;
      }
    }

    const ready = this.frames >= WARMUP_FRAMES && !tamper;
    const objects = ready ? this.objectsOf(f, bg, a) : [];
    if (!ready) this.labels.fill(0);

    if (!this.frozen && !tamper) this.learn(f, a, c, dt);
    this.frames++;
    if (!tamper && !this.frozen && !globalChange) this.updateReference(stats, dt);
    return { at: frame.at, ready, objects, labels: this.labels, gain: a, offset: c, globalChange, foregroundShare: fgCount / FRAME_PIXELS, tamper, stats };
  }

  /** Connected pieces of the cleaned mask; those whose texture changed are objects. */
  private objectsOf(f: Uint8Array, bg: Float32Array, a: number): Blob[] {
    highPass(f, this.hpF);
    highPass(bg, this.hpB);
    const labels = this.labels.fill(0);
    const out: Blob[] = [];
    let next = 0;
    for (let start = 0; start < FRAME_PIXELS; start++) {
      if (!this.clean[start] || labels[start]) continue;
      next++;
      let sp = 0;
      this.stack[sp++] = start;
      labels[start] = next;
      let x0 = FRAME_W, y0 = FRAME_H, x1 = -1, y1 = -1, area = 0, zsum = 0;
      let sFF = 0, sFB = 0, sBB = 0, sF = 0, sB = 0, noise = 0, sRes = 0;
      while (sp) {
        const i = this.stack[--sp]!;
        const x = i % FRAME_W;
        const y = (i - x) / FRAME_W;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        area++;
        const v = this.variance[i]!;
        const r = this.residual[i]!;
        zsum += Math.abs(r) / Math.sqrt(v);
        const hf = this.hpF[i]!;
        const hb = this.hpB[i]!;
        sFF += hf * hf;
        sFB += hf * hb;
        sBB += hb * hb;
        sF += f[i]!;
        sB += bg[i]!;
        sRes += r * r;
        noise += v;
        // 8-connected, bridging one-pixel gaps (a figure's limbs stay one blob).
        for (let dy = -2; dy <= 2; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= FRAME_H) continue;
          for (let dx = -2; dx <= 2; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= FRAME_W) continue;
            const j = yy * FRAME_W + xx;
            if (this.clean[j] && !labels[j]) {
              labels[j] = next;
              this.stack[sp++] = j;
            }
          }
        }
      }
      if (area < MIN_BLOB) continue;
      // Structure test: the frame's texture as a gain of the background's (illumination) or not (an object).
      const gl = sBB > 1e-6 ? Math.max(0, sFB / sBB) : 0;
      const structural = sFF - 2 * gl * sFB + gl * gl * sBB; // Σ (hpF − gl·hpB)²
      const noiseHp = (noise / area) * (8 / 9) * (1 + gl * gl) * area;
      const ratio = sB > 0 ? (sF / sB) * a : 1;
      const bgTexture = sBB / area;
      const textureLost = bgTexture > 3 * (noise / area) && Math.abs(gl - ratio) > 0.5 * Math.max(ratio, 0.2);
      const newTexture = structural > 2.2 * noiseHp;
      // A smooth change with no structure (a light sweep over flat ground) or a pure gain of what is there.
      const isObject = newTexture || textureLost;
      if (!isObject || sRes <= 0) continue;
      out.push({ x0, y0, x1, y1, area, strength: zsum / area, label: next });
    }
    // Keep only object pixels in the label map (non-objects cleared).
    const keep = new Set(out.map((b) => b.label));
    for (let i = 0; i < FRAME_PIXELS; i++) if (labels[i] && !keep.has(labels[i]!)) labels[i] = 0;
    // Labels count the object pixels of the cleaned mask only (the bridging dilation labels no other pixel).
    out.sort((p, q) => q.area - p.area);
    return out;
  }

  private learn(f: Uint8Array, a: number, c: number, dt: number): void {
    const bg = this.bg!;
    const alpha = this.frames < 4 ? 0.5 : 1 - Math.exp(-dt / this.tauMs);
    const alphaObj = 1 - Math.exp(-dt / (this.tauMs * 8));
    for (let i = 0; i < FRAME_PIXELS; i++) {
      const target = (f[i]! - c) / (a || 1);
      const obj = this.labels[i]! > 0;
      bg[i] = bg[i]! + (obj ? alphaObj : alpha) * (target - bg[i]!);
      if (obj) continue;
      // Foreground that is no object (rain, flicker) teaches the noise too, capped, so a rainy night raises its own thresholds.
      const r = this.residual[i]!;
      const r2 = this.fg[i] ? Math.min(r * r, 400) : r * r;
      const v = this.variance[i]! + alpha * (r2 - this.variance[i]!);
      this.variance[i] = v < VAR_MIN ? VAR_MIN : v > VAR_MAX ? VAR_MAX : v;
    }
  }

  private frameStats(f: Uint8Array): FrameResult['stats'] {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < FRAME_PIXELS; i++) {
      const v = f[i]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / FRAME_PIXELS;
    const detail = Math.sqrt(Math.max(0, sq / FRAME_PIXELS - mean * mean));
    // Gradients of the 3×3-smoothed picture (edges, not sensor noise): their layout for
    // "turned", and their energy per unit of detail for "defocused" (blur spreads an edge,
    // which keeps its summed gradient but cuts its squared one).
    const sm = this.smooth;
    boxMean(f, sm);
    let e2 = 0;
    for (let y = 2; y < FRAME_H - 2; y++) {
      for (let x = 2; x < FRAME_W - 2; x++) {
        const i = y * FRAME_W + x;
        this.grad[i] = Math.abs(sm[i + 1]! - sm[i - 1]!) + Math.abs(sm[i + FRAME_W]! - sm[i - FRAME_W]!);
        const gx = f[i + 1]! - f[i - 1]!;
        const gy = f[i + FRAME_W]! - f[i - FRAME_W]!;
        e2 += gx * gx + gy * gy;
      }
    }
    // Less what sensor noise adds (4σ² per pixel), so a noisy blur does not look sharp.
    const noise = this.noiseLevel();
    const edge = Math.max(0, e2 / ((FRAME_W - 4) * (FRAME_H - 4)) - 4 * noise);
    const layout = this.ref ? correlation(this.grad, this.ref.grad) : 1;
    return { mean, detail, sharpness: edge / (detail * detail + 4), layout, edge, noise, blocks: this.blockStats(f, noise) };
  }

  private blockStats(f: Uint8Array, noise: number): BlockStats {
    const detailB = new Float32Array(NB);
    const edgeB = new Float32Array(NB);
    const layoutB = new Float32Array(NB).fill(1);
    const rg = this.ref?.grad ?? null;
    for (let by = 0; by < BY; by++) {
      for (let bx = 0; bx < BX; bx++) {
        let n = 0, s1 = 0, s2 = 0, e2 = 0, en = 0;
        let ga = 0, gb = 0, gaa = 0, gbb = 0, gab = 0;
        for (let y = by * BH; y < (by + 1) * BH; y++) {
          for (let x = bx * BW; x < (bx + 1) * BW; x++) {
            const i = y * FRAME_W + x;
            const v = f[i]!;
            n++;
            s1 += v;
            s2 += v * v;
            if (x < 2 || y < 2 || x >= FRAME_W - 2 || y >= FRAME_H - 2) continue;
            const gx = f[i + 1]! - f[i - 1]!;
            const gy = f[i + FRAME_W]! - f[i - FRAME_W]!;
            e2 += gx * gx + gy * gy;
            en++;
            if (rg) {
              const a = this.grad[i]!;
              const b = rg[i]!;
              ga += a;
              gb += b;
              gaa += a * a;
              gbb += b * b;
              gab += a * b;
            }
          }
        }
        const b = by * BX + bx;
        const m = s1 / n;
        detailB[b] = Math.sqrt(Math.max(0, s2 / n - m * m));
        edgeB[b] = en ? Math.max(0, e2 / en - 4 * noise) : 0;
        if (rg && en) {
          const va = gaa - (ga * ga) / en;
          const vb = gbb - (gb * gb) / en;
          layoutB[b] = va > 1e-6 && vb > 1e-6 ? (gab - (ga * gb) / en) / Math.sqrt(va * vb) : 0;
        }
      }
    }
    return { detail: detailB, edge: edgeB, layout: layoutB };
  }

  /** Mean noise variance of the background model (VAR_INIT before it learned). */
  private noiseLevel(): number {
    if (!this.bg) return VAR_INIT;
    let s = 0;
    for (let i = 0; i < FRAME_PIXELS; i += 7) s += this.variance[i]!;
    return s / Math.ceil(FRAME_PIXELS / 7);
  }

  private tamperOf(s: FrameResult['stats']): TamperSignal {
    const r = this.ref;
    if (!r || r.n < 3) return null;
    const b = s.blocks;
    const detailRatio: number[] = [];
    const sharpRatio: number[] = [];
    const layout: number[] = [];
    for (let k = 0; k < NB; k++) {
      const d = b.detail[k]! / Math.max(0.5, r.bDetail[k]!);
      detailRatio.push(d);
      // Edge energy falls with the square of a gain; a blur cuts it far more than the detail.
      if (r.bEdge[k]! > 6 * s.noise) sharpRatio.push(b.edge[k]! / r.bEdge[k]! / Math.max(0.05, d * d));
      if (r.bDetail[k]! > 3) layout.push(b.layout[k]!);
    }
    const detail = median(detailRatio);
    if (detail < 0.35) return 'covered';
    if (layout.length >= NB / 4 && median(layout) < 0.3) return 'turned';
    if (sharpRatio.length >= NB / 4 && median(sharpRatio) < 0.6) return 'defocused';
    return null;
  }

  private updateReference(s: FrameResult['stats'], dt: number): void {
    if (!this.ref) {
      this.ref = { detail: s.detail, sharpness: s.sharpness, edge: s.edge, mean: s.mean, grad: Float32Array.from(this.grad), n: 1, bDetail: Float32Array.from(s.blocks.detail), bEdge: Float32Array.from(s.blocks.edge) };
      return;
    }
    const r = this.ref;
    const alpha = r.n < 3 ? 0.5 : 1 - Math.exp(-dt / 30_000);
    r.detail += alpha * (s.detail - r.detail);
    r.sharpness += alpha * (s.sharpness - r.sharpness);
    r.edge += alpha * (s.edge - r.edge);
    r.mean += alpha * (s.mean - r.mean);
    for (let i = 0; i < FRAME_PIXELS; i++) r.grad[i] = r.grad[i]! + alpha * (this.grad[i]! - r.grad[i]!);
    for (let k = 0; k < NB; k++) {
      r.bDetail[k] = r.bDetail[k]! + alpha * (s.blocks.detail[k]! - r.bDetail[k]!);
      r.bEdge[k] = r.bEdge[k]! + alpha * (s.blocks.edge[k]! - r.bEdge[k]!);
    }
    r.n++;
  }
}

/** Least-squares f ≈ a·b + c over the pixels not flagged in `skip`. */
function fit(f: Uint8Array, b: Float32Array, skip: Uint8Array | null): { a: number; c: number } {
  let n = 0, sf = 0, sb = 0, sbb = 0, sfb = 0;
  for (let i = 0; i < FRAME_PIXELS; i++) {
    if (skip && skip[i]) continue;
    const x = b[i]!;
    const y = f[i]!;
    n++;
    sf += y;
    sb += x;
    sbb += x * x;
    sfb += x * y;
  }
  if (n < FRAME_PIXELS * 0.2) return { a: 1, c: 0 };
  const vb = sbb - (sb * sb) / n;
  if (vb < n * 4) return { a: 1, c: (sf - sb) / n }; // a flat picture: brightness only
  const a = Math.max(0.2, Math.min(5, (sfb - (sf * sb) / n) / vb));
  return { a, c: (sf - a * sb) / n };
}

/** 3×3 mean (borders: the pixel itself). */
function boxMean(x: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < FRAME_PIXELS; i++) out[i] = x[i]!;
  for (let y = 1; y < FRAME_H - 1; y++) {
    for (let xx = 1; xx < FRAME_W - 1; xx++) {
      const i = y * FRAME_W + xx;
      out[i] = (x[i - FRAME_W - 1]! + x[i - FRAME_W]! + x[i - FRAME_W + 1]! + x[i - 1]! + x[i]! + x[i + 1]! + x[i + FRAME_W - 1]! + x[i + FRAME_W]! + x[i + FRAME_W + 1]!) / 9;
    }
  }
}

/** x − its 3×3 mean (borders: 0). */
function highPass(x: ArrayLike<number>, out: Float32Array): void {
  out.fill(0);
  for (let y = 1; y < FRAME_H - 1; y++) {
    for (let xx = 1; xx < FRAME_W - 1; xx++) {
      const i = y * FRAME_W + xx;
      const s =
        x[i - FRAME_W - 1]! + x[i - FRAME_W]! + x[i - FRAME_W + 1]! + x[i - 1]! + x[i]! + x[i + 1]! + x[i + FRAME_W - 1]! + x[i + FRAME_W]! + x[i + FRAME_W + 1]!;
      out[i] = x[i]! - s / 9;
    }
  }
}

function median(v: number[]): number {
  if (!v.length) return 1;
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Pearson correlation of two maps. */
export function correlation(p: Float32Array, q: Float32Array): number {
  let n = 0, sp = 0, sq = 0, spp = 0, sqq = 0, spq = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    n++;
    sp += a;
    sq += b;
    spp += a * a;
    sqq += b * b;
    spq += a * b;
  }
  const vp = spp - (sp * sp) / n;
  const vq = sqq - (sq * sq) / n;
  if (vp <= 1e-9 || vq <= 1e-9) return 0;
  return (spq - (sp * sq) / n) / Math.sqrt(vp * vq);
}

/** A blob's pixel box as a normalized box. */
export function normBox(b: Blob): { x: number; y: number; w: number; h: number } {
  return { x: b.x0 / FRAME_W, y: b.y0 / FRAME_H, w: (b.x1 - b.x0 + 1) / FRAME_W, h: (b.y1 - b.y0 + 1) / FRAME_H };
}
