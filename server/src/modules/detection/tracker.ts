import { randomUUID } from 'node:crypto';
import { FRAME_H, FRAME_PIXELS, FRAME_W, MotionAnalyzer, normBox, thresholds, type Blob, type FrameResult, type GrayFrame, type TamperSignal } from './analysis.ts';
import type { Box, CameraDetectionConfig, TamperCause } from './detection.types.ts';
import { inSchedule, prepareZones, type ZoneRaster } from './zones.ts';

/** A report before the worker adds the snapshot and the classifier's label. */
export interface EventIntent {
  eventKey: string;
  kind: 'motion' | 'tamper';
  zoneId: string | null;
  cause: TamperCause | null;
  phase: 'start' | 'update' | 'end';
  startedAt: number;
  endedAt: number | null;
  peakScore: number;
  boxes: { at: number; box: Box }[];
}

export interface StepResult {
  intents: EventIntent[];
  /** Worth a full-rate look: an object of some size in a watched area, a tamper suspicion, a zone hit or an open event. */
  activity: boolean;
  /** Keeps a promoted camera at full rate: a zone hit, a hit streak or open event, a tamper suspicion (not just any object). */
  engaged: boolean;
  analysis: FrameResult;
}

export const TAMPER_PERSIST_MS = 3000;
/** A confirmed tamper ends once the picture has looked normal this long. */
export const TAMPER_CLEAR_MS = 3000;
/** A turned camera's new view is accepted (event ended, references relearned) after this long. */
export const TURN_ACCEPT_MS = 5 * 60_000;
/** Motion in a zone ends this long after its last hit. */
export const END_QUIET_MS = 2000;
const CONFIRM_HITS = 3;
/** On keyframes alone the thresholds are lower: they only decide a promotion to full rate (and, when none is possible, a slow confirmation). */
const KEYFRAME_BOOST = 0.7;
const BOX_EVERY_MS = 400;
const MAX_BOXES = 50;
const UPDATE_EVERY_MS = 1000;

interface ZoneState {
  raster: ZoneRaster;
  /** Since when a figure has been touching the zone, frame after frame (an event starts from there: the figure began to enter). */
  touchSince: number | null;
  streak: { firstAt: number; lastAt: number; hits: number; misses: number } | null;
  event: {
    key: string;
    startedAt: number;
    lastHitAt: number;
    peak: number;
    boxCount: number;
    lastBoxAt: number;
    pending: { at: number; box: Box }[];
    lastReportAt: number;
    /** Told 'end'; within the cooldown a new hit reopens it. */
    ended: boolean;
    peakTold: number;
  } | null;
}

/**
 * One camera's detection logic over its decoded frames: the analyzer, its zones (schedule,
 * sensitivity, min size), event start/update/end per zone with cooldown merging, and tamper
 * persistence. Pure: time is the frames' time (tick() for when frames stop).
 */
export class CameraTracker {
  readonly analyzer = new MotionAnalyzer();
  private zones: ZoneState[] = [];
  private enabled = true;
  private tamper: { cause: TamperCause; since: number; key: string | null; clearSince: number | null } | null = null;
  private readonly counts = new Map<number, number>();

  constructor(config: CameraDetectionConfig = { enabled: true, zones: [] }) {
    this.configure(config);
  }

  /** New zones; returns the ends of open events whose zone is gone (removed, disabled or now an exclude mask). */
  configure(config: CameraDetectionConfig): EventIntent[] {
    this.enabled = config.enabled;
    const prepared = prepareZones(config.zones, FRAME_W, FRAME_H);
    const prev = new Map(this.zones.map((z) => [z.raster.spec.id, z]));
    const kept = new Set(prepared.include.map((r) => r.spec.id));
    const ended: EventIntent[] = [];
    for (const z of this.zones) if (!kept.has(z.raster.spec.id) && z.event && !z.event.ended) ended.push(this.intent(z, z.event, 'end', z.event.lastHitAt));
    this.zones = prepared.include.map((raster) => {
      const was = prev.get(raster.spec.id);
      return { raster, touchSince: was?.touchSince ?? null, streak: was?.streak ?? null, event: was?.event ?? null };
    });
    this.analyzer.setSensitivity(prepared.sensitivity, 5);
    this.exclude = prepared.exclude;
    this.watched = prepared.sensitivity; // > 0: in an include zone and not masked
    return ended;
  }

  /** Pixels that matter for motion (in an include zone, not masked): an OSD clock elsewhere promotes nothing. */
  private watched: Uint8Array = new Uint8Array(FRAME_PIXELS);

  private exclude: Uint8Array = new Uint8Array(FRAME_PIXELS);

  /** Events still open (the worker ends them when the camera goes away). */
  get openEvents(): number {
    return this.zones.filter((z) => z.event && !z.event.ended).length + (this.tamper?.key ? 1 : 0);
  }

  step(frame: GrayFrame, fullRate: boolean): StepResult {
    const a = this.analyzer.process(frame, fullRate ? 1 : KEYFRAME_BOOST);
    const intents: EventIntent[] = [];
    const now = frame.at;
    this.stepTamper(a.tamper, now, intents);
    let activity = this.tamper !== null;
    let engaged = activity;
    const inWatched = new Set<number>();
    if (a.objects.length) for (let i = 0; i < FRAME_PIXELS; i++) if (a.labels[i] && this.watched[i]) inWatched.add(a.labels[i]!);
    const watchedObjects = a.objects.filter((o) => inWatched.has(o.label));
    const groups = groupNear(watchedObjects);
    // Worth a full-rate look: one object of at least 70 % of the smallest zone's minimum (rain streaks and specks are not).
    const minWorth = Math.max(8, KEYFRAME_BOOST * Math.min(...this.zones.map((z) => z.raster.minPixels), Infinity));
    if (groups.some((g) => g.area >= minWorth)) activity = true;

    for (const z of this.zones) {
      const spec = z.raster.spec;
      let hitPixels = 0;
      let score = 0;
      const boxes: Box[] = [];
      if (this.enabled && a.ready && watchedObjects.length && inSchedule(spec.schedule, now)) {
        this.counts.clear();
        const mask = z.raster.mask;
        for (let i = 0; i < FRAME_PIXELS; i++) {
          const l = a.labels[i]!;
          if (l && mask[i] && !this.exclude[i]) this.counts.set(l, (this.counts.get(l) ?? 0) + 1);
        }
        const k = thresholds(spec.sensitivity).k;
        for (const g of groups) {
          let n = 0;
          for (const o of g.members) n += this.counts.get(o.label) ?? 0;
          if (!n) continue;
          // One figure (pieces within 2 px of each other) must be big enough: scattered rain and noise do not add up.
          hitPixels = Math.max(hitPixels, n);
          if (boxes.length < 3) boxes.push(normBox(g));
          score = Math.max(score, 0.5 * Math.min(1, g.strength / (2.5 * k)));
        }
        score += 0.5 * Math.min(1, hitPixels / (4 * z.raster.minPixels));
      }
      const hit = hitPixels >= z.raster.minPixels;
      if (hitPixels >= 4) z.touchSince ??= now;
      else z.touchSince = null;
      if (hit || z.streak || (z.event && !z.event.ended)) activity = engaged = true;
      this.stepZone(z, hit, score, boxes, now, fullRate, intents);
    }
    return { intents, activity, engaged, analysis: a };
  }

  /** Time passes without frames (a camera that stopped sending): events end on schedule. */
  tick(now: number): EventIntent[] {
    const intents: EventIntent[] = [];
    for (const z of this.zones) this.closeIfQuiet(z, now, intents);
    return intents;
  }

  /** Ends everything open (camera removed or disabled). */
  endAll(now: number): EventIntent[] {
    const intents: EventIntent[] = [];
    for (const z of this.zones) {
      const e = z.event;
      if (e && !e.ended) intents.push(this.intent(z, e, 'end', e.lastHitAt));
      z.event = null;
      z.streak = null;
    }
    const t = this.tamper;
    if (t?.key) intents.push({ eventKey: t.key, kind: 'tamper', zoneId: null, cause: t.cause, phase: 'end', startedAt: t.since, endedAt: now, peakScore: 1, boxes: [] });
    this.tamper = null;
    this.analyzer.freeze(false);
    return intents;
  }

  private stepZone(z: ZoneState, hit: boolean, score: number, boxes: Box[], now: number, fullRate: boolean, intents: EventIntent[]): void {
    const e = z.event;
    if (hit) {
      if (e && (!e.ended || now - e.lastHitAt <= z.raster.spec.cooldownSeconds * 1000)) {
        const reopened = e.ended;
        e.ended = false;
        e.lastHitAt = now;
        e.peak = Math.max(e.peak, score);
        this.sampleBoxes(e, boxes, now);
        if (reopened || now - e.lastReportAt >= UPDATE_EVERY_MS) this.update(z, e, now, intents);
        return;
      }
      const s = z.streak ?? (z.streak = { firstAt: Math.min(now, z.touchSince ?? now), lastAt: now, hits: 0, misses: 0 });
      s.hits++;
      s.misses = 0;
      s.lastAt = now;
      const peak = score;
      if (s.hits >= CONFIRM_HITS) {
        z.streak = null;
        const ev = { key: randomUUID(), startedAt: s.firstAt, lastHitAt: now, peak, boxCount: 0, lastBoxAt: 0, pending: [], lastReportAt: now, ended: false, peakTold: peak };
        z.event = ev;
        this.sampleBoxes(ev, boxes, now);
        intents.push(this.intent(z, ev, 'start', null));
        ev.pending = [];
      }
      return;
    }
    if (z.streak) {
      z.streak.misses++;
      if (!fullRate || z.streak.misses >= 3 || now - z.streak.lastAt > 2500) z.streak = null;
    }
    this.closeIfQuiet(z, now, intents);
  }

  private closeIfQuiet(z: ZoneState, now: number, intents: EventIntent[]): void {
    const e = z.event;
    if (!e) return;
    if (!e.ended && now - e.lastHitAt > END_QUIET_MS) {
      e.ended = true;
      intents.push(this.intent(z, e, 'end', e.lastHitAt));
      e.pending = [];
    }
    if (e.ended && now - e.lastHitAt > z.raster.spec.cooldownSeconds * 1000) z.event = null;
  }

  private update(z: ZoneState, e: NonNullable<ZoneState['event']>, now: number, intents: EventIntent[]): void {
    e.lastReportAt = now;
    e.peakTold = e.peak;
    intents.push(this.intent(z, e, 'update', null));
    e.pending = [];
  }

  private sampleBoxes(e: NonNullable<ZoneState['event']>, boxes: Box[], now: number): void {
    if (!boxes.length || e.boxCount >= MAX_BOXES || (e.boxCount && now - e.lastBoxAt < BOX_EVERY_MS)) return;
    for (const box of boxes) {
      if (e.boxCount >= MAX_BOXES) break;
      e.pending.push({ at: now, box: roundBox(box) });
      e.boxCount++;
    }
    e.lastBoxAt = now;
  }

  private intent(z: ZoneState, e: NonNullable<ZoneState['event']>, phase: EventIntent['phase'], endedAt: number | null): EventIntent {
    return { eventKey: e.key, kind: 'motion', zoneId: z.raster.spec.id, cause: null, phase, startedAt: e.startedAt, endedAt, peakScore: round3(Math.min(1, e.peak)), boxes: e.pending };
  }

  private stepTamper(signal: TamperSignal, now: number, intents: EventIntent[]): void {
    const t = this.tamper;
    if (signal) {
      if (!t) {
        this.tamper = { cause: signal, since: now, key: null, clearSince: null };
        this.analyzer.freeze(true);
        return;
      }
      t.clearSince = null;
      if (!t.key) {
        t.cause = signal;
        if (now - t.since >= TAMPER_PERSIST_MS && this.enabled) {
          t.key = randomUUID();
          intents.push({ eventKey: t.key, kind: 'tamper', zoneId: null, cause: t.cause, phase: 'start', startedAt: t.since, endedAt: null, peakScore: 1, boxes: [] });
        }
      } else if (t.cause === 'turned' && now - t.since >= TURN_ACCEPT_MS) {
        // The camera stays where it was turned to: this is its view now.
        intents.push({ eventKey: t.key, kind: 'tamper', zoneId: null, cause: t.cause, phase: 'end', startedAt: t.since, endedAt: now, peakScore: 1, boxes: [] });
        this.tamper = null;
        this.analyzer.freeze(false);
        this.analyzer.reset();
      }
      return;
    }
    if (!t) return;
    if (!t.key) {
      // A passing suspicion (headlights, a hand waved past): nothing to report.
      this.tamper = null;
      this.analyzer.freeze(false);
      return;
    }
    t.clearSince ??= now;
    if (now - t.clearSince >= TAMPER_CLEAR_MS) {
      intents.push({ eventKey: t.key, kind: 'tamper', zoneId: null, cause: t.cause, phase: 'end', startedAt: t.since, endedAt: t.clearSince, peakScore: 1, boxes: [] });
      this.tamper = null;
      this.analyzer.freeze(false);
      this.analyzer.reset();
    }
  }
}

interface Group extends Blob {
  members: Blob[];
}

/** Objects whose boxes come within 2 px of each other, merged: the pieces of one figure. */
function groupNear(objects: readonly Blob[]): Group[] {
  const groups: Group[] = objects.map((o) => ({ ...o, members: [o] }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < groups.length && !merged; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i]!;
        const b = groups[j]!;
        if (a.x0 - 2 > b.x1 || b.x0 - 2 > a.x1 || a.y0 - 2 > b.y1 || b.y0 - 2 > a.y1) continue;
        const area = a.area + b.area;
        groups[i] = {
          x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1), area,
          strength: (a.strength * a.area + b.strength * b.area) / area, label: a.label, members: [...a.members, ...b.members],
        };
        groups.splice(j, 1);
        merged = true;
        break;
      }
    }
  }
  return groups;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const roundBox = (b: Box): Box => ({ x: round3(b.x), y: round3(b.y), w: round3(b.w), h: round3(b.h) });
