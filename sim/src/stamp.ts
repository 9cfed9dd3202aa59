/**
 * Frame stamp: a row of black/white blocks drawn into every frame so that a test can
 * read back, from decoded pixels, which camera (stamp id) and which loop frame it sees.
 *
 * Layout (one row of CELLS cells, each B×B pixels, on a black strip with a one-block
 * quiet border; cell i spans x ∈ [B·(1+i), B·(2+i)), y ∈ [B, 2B)):
 *   cells 0..3    sync 1 0 1 1
 *   cells 4..19   stamp id, 16 bits, MSB first
 *   cells 20..35  frame number within the loop, 16 bits, MSB first
 *   cells 36..39  check bits: c_j = XOR of data bits d_i with i mod 4 = j
 *                 (d_0..d_31 = id bits then frame bits, MSB first), inverted for odd j
 *   cell  40      end marker 1
 * White = bit 1. Blocks are big and high-contrast so they survive H.264 at any sane QP.
 */

export const SYNC = [1, 0, 1, 1] as const;
export const ID_BITS = 16;
export const FRAME_BITS = 16;
export const CHECK_BITS = 4;
export const CELLS = SYNC.length + ID_BITS + FRAME_BITS + CHECK_BITS + 1;
const BLOCK_CHOICES = [16, 12, 8, 6, 4] as const;

export interface StampValue {
  id: number;
  frame: number;
}

export interface StampGeometry {
  /** block edge in pixels */
  block: number;
  /** the black strip (quiet border included) */
  strip: { x: number; y: number; w: number; h: number };
  /** top-left corner of cell i */
  cell(i: number): { x: number; y: number };
}

/** Block size for an output of this size: 16 px at 1080p and 720p, 8 px at 360p, 4 px at 180p. */
export function blockSizeFor(width: number, height: number): number {
  for (const b of BLOCK_CHOICES) {
    if (b <= height / 45 && (CELLS + 2) * b <= width) return b;
  }
  throw new Error(`frame ${width}x${height} is too small for a stamp`);
}

export function stampGeometry(width: number, height: number, block = blockSizeFor(width, height)): StampGeometry {
  return {
    block,
    strip: { x: 0, y: 0, w: (CELLS + 2) * block, h: 3 * block },
    cell: (i) => ({ x: block * (1 + i), y: block }),
  };
}

/** The bit of every cell for a given value (used by tests and to derive the ffmpeg expressions). */
export function stampBits(value: StampValue): number[] {
  const data = [...toBits(value.id, ID_BITS), ...toBits(value.frame, FRAME_BITS)];
  return [...SYNC, ...data, ...checkBits(data), 1];
}

function toBits(v: number, n: number): number[] {
  const out: number[] = [];
  for (let k = n - 1; k >= 0; k--) out.push(Math.floor(v / 2 ** k) % 2);
  return out;
}

function checkBits(data: number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < CHECK_BITS; j++) {
    let p = j % 2;
    for (let i = j; i < data.length; i += CHECK_BITS) p ^= data[i] ?? 0;
    out.push(p);
  }
  return out;
}

/**
 * ffmpeg filters that draw the stamp for stamp id `id`; the frame number is ffmpeg's `n`
 * (frame index of the stream at that point, so the stamp must follow a `setpts`/`trim`
 * that starts the loop at n = 0). Constant cells are plain drawboxes; frame-dependent
 * cells use `enable` expressions on `n`, so the whole stamp costs ~40 tiny box fills.
 */
export function stampFilters(id: number, width: number, height: number): string[] {
  if (!Number.isInteger(id) || id < 0 || id >= 2 ** ID_BITS) throw new Error(`stamp id ${id} out of range`);
  const g = stampGeometry(width, height);
  const B = g.block;
  const box = (i: number, enable?: string): string => {
    const c = g.cell(i);
    const base = `drawbox=x=${c.x}:y=${c.y}:w=${B}:h=${B}:color=white:t=fill`;
    return enable ? `${base}:enable='${enable}'` : base;
  };
  const frameBit = (k: number): string => `mod(floor(n/${2 ** k}),2)`; // k: 0 = LSB
  const out = [`drawbox=x=0:y=0:w=${g.strip.w}:h=${g.strip.h}:color=black:t=fill`];
  const idBits = toBits(id, ID_BITS);
  let cell = 0;
  for (const b of SYNC)
    if (b === 1) out.push(box(cell++));
    else cell++;
  for (const b of idBits)
    if (b === 1) out.push(box(cell++));
    else cell++;
  for (let k = FRAME_BITS - 1; k >= 0; k--) out.push(box(cell++, `eq(${frameBit(k)},1)`));
  for (let j = 0; j < CHECK_BITS; j++) {
    // data index i (MSB-first over id then frame): id bits are constant, frame bit index i-16
    // is bit (15 - (i-16)) counted from the LSB.
    let constant = j % 2;
    const terms: string[] = [];
    for (let i = j; i < ID_BITS + FRAME_BITS; i += CHECK_BITS) {
      if (i < ID_BITS) constant ^= idBits[i] ?? 0;
      else terms.push(frameBit(FRAME_BITS - 1 - (i - ID_BITS)));
    }
    out.push(box(cell++, `eq(mod(${[String(constant), ...terms].join('+')},2),1)`));
  }
  out.push(box(cell++));
  return out;
}

export interface RawFrame {
  width: number;
  height: number;
  /** gray (1 byte/pixel), RGB (3) or RGBA (4); the channel count is inferred from the length */
  data: Uint8Array;
}

/**
 * Reads the stamp from a decoded frame. Tries the block size this frame size would be
 * stamped with, then the sizes a 1080p/720p/360p stamp has after scaling to this height.
 * Returns null unless sync, end marker, check bits and contrast all agree.
 */
export function decodeStamp(frame: RawFrame): StampValue | null {
  const { width, height, data } = frame;
  const channels = data.length / (width * height);
  if (![1, 3, 4].includes(channels)) return null;
  const candidates = new Set<number>();
  try {
    candidates.add(blockSizeFor(width, height));
  } catch {
    // too small for a native stamp; scaled ones may still be readable
  }
  for (const [w, h] of [
    [1920, 1080],
    [1280, 720],
    [640, 360],
  ] as const) {
    candidates.add((blockSizeFor(w, h) * height) / h);
  }
  for (const B of candidates) {
    if (B < 3 || (CELLS + 1) * B > width || 2 * B > height) continue;
    const v = readAt(frame, channels, B);
    if (v) return v;
  }
  return null;
}

function readAt(frame: RawFrame, channels: number, B: number): StampValue | null {
  const levels: number[] = [];
  for (let i = 0; i < CELLS; i++) levels.push(cellLevel(frame, channels, B * (1.5 + i), B * 1.5, B / 4));
  const ones = SYNC.map((b, i) => (b === 1 ? levels[i] : undefined)).filter((x): x is number => x !== undefined);
  const zeros = SYNC.map((b, i) => (b === 0 ? levels[i] : undefined)).filter((x): x is number => x !== undefined);
  const lo = Math.max(...zeros);
  const hi = Math.min(...ones);
  if (hi - lo < 60) return null; // no stamp here: not enough contrast between sync cells
  const threshold = (hi + lo) / 2;
  const bits = levels.map((l) => (l > threshold ? 1 : 0));
  let id = 0;
  let fr = 0;
  for (let i = 0; i < ID_BITS; i++) id = id * 2 + (bits[SYNC.length + i] ?? 0);
  for (let i = 0; i < FRAME_BITS; i++) fr = fr * 2 + (bits[SYNC.length + ID_BITS + i] ?? 0);
  const expected = stampBits({ id, frame: fr });
  for (let i = 0; i < CELLS; i++) if (expected[i] !== bits[i]) return null;
  return { id, frame: fr };
}

/** Mean luma of a small square around (cx, cy); uses G for RGB, which is close enough for black/white. */
function cellLevel(frame: RawFrame, channels: number, cx: number, cy: number, radius: number): number {
  const r = Math.max(0, Math.floor(radius) - 0);
  const x0 = Math.max(0, Math.floor(cx) - r);
  const y0 = Math.max(0, Math.floor(cy) - r);
  const x1 = Math.min(frame.width - 1, Math.floor(cx) + r);
  const y1 = Math.min(frame.height - 1, Math.floor(cy) + r);
  const off = channels === 1 ? 0 : 1;
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      sum += frame.data[(y * frame.width + x) * channels + off] ?? 0;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Paints a stamp into a gray/RGB buffer (for tests of the decoder without ffmpeg). */
export function paintStamp(frame: RawFrame, value: StampValue, block?: number): void {
  const channels = frame.data.length / (frame.width * frame.height);
  const g = stampGeometry(frame.width, frame.height, block);
  const fill = (x: number, y: number, w: number, h: number, v: number): void => {
    for (let yy = y; yy < Math.min(frame.height, y + h); yy++) {
      for (let xx = x; xx < Math.min(frame.width, x + w); xx++) {
        for (let c = 0; c < channels; c++) frame.data[(yy * frame.width + xx) * channels + c] = v;
      }
    }
  };
  fill(g.strip.x, g.strip.y, g.strip.w, g.strip.h, 0);
  stampBits(value).forEach((b, i) => {
    const c = g.cell(i);
    if (b === 1) fill(c.x, c.y, g.block, g.block, 255);
  });
}
