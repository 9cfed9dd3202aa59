/**
 * The alarm tone, made with WebAudio (no audio files). Browsers keep an AudioContext
 * suspended until the page has been clicked, so the console asks for that click once
 * per shift: the click is recorded for SHIFT_MS, and while it holds, the first click or
 * key press anywhere on a freshly loaded page resumes the sound without asking again.
 */
export const SHIFT_MS = 12 * 3600_000;

export function soundConsentKey(userId: string): string {
  return `kuzet.alerts.sound.${userId}`;
}

/** Whether a recorded click (epoch ms as text) still covers `now`. */
export function consentValid(stored: string | null, now: number): boolean {
  if (stored === null) return false;
  const at = Number(stored);
  return Number.isFinite(at) && at <= now + 60_000 && now - at < SHIFT_MS;
}

export interface ToneNote {
  /** Seconds after the start. */
  at: number;
  hz: number;
  seconds: number;
}

/** Two short rising beeps, repeated once: noticeable, not shrill. */
export const ALARM_NOTES: readonly ToneNote[] = [
  { at: 0, hz: 880, seconds: 0.16 },
  { at: 0.22, hz: 1320, seconds: 0.16 },
  { at: 0.6, hz: 880, seconds: 0.16 },
  { at: 0.82, hz: 1320, seconds: 0.16 },
];

/** Schedules the notes on a running context (a short attack and release: no clicks). */
export function playTone(context: AudioContext, notes: readonly ToneNote[] = ALARM_NOTES, volume = 0.25): void {
  const start = context.currentTime + 0.02;
  for (const note of notes) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'sine';
    osc.frequency.value = note.hz;
    const t0 = start + note.at;
    const t1 = t0 + note.seconds;
    gain.gain.setValueAtTime(0, t0);
    gain.gain.linearRampToValueAtTime(volume, t0 + 0.015);
    gain.gain.setValueAtTime(volume, t1 - 0.03);
    gain.gain.linearRampToValueAtTime(0, t1);
    osc.connect(gain).connect(context.destination);
    osc.start(t0);
    osc.stop(t1 + 0.01);
  }
}

/** At most one alarm per this many ms, however many alerts arrive together (a replay). */
export const RING_GAP_MS = 2_500;

export function shouldRing(lastRing: number | null, now: number): boolean {
  return lastRing === null || now - lastRing >= RING_GAP_MS;
}
