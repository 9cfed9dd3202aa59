import { useCallback, useEffect, useRef, useState } from 'react';
import { consentValid, playTone, SHIFT_MS, soundConsentKey } from './alarm-sound.ts';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

type AudioContextCtor = typeof AudioContext;

function audioContextClass(): AudioContextCtor | null {
  const w = window as unknown as { AudioContext?: AudioContextCtor; webkitAudioContext?: AudioContextCtor };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

/**
 * The alarm tone of this browser tab. `enable()` (from the banner's click) records the
 * consent for a shift and resumes the AudioContext; with a consent on record, the first
 * click or key anywhere resumes it after a reload.
 */
export function useAlarmSound(userId: string) {
  const key = soundConsentKey(userId);
  const [consent, setConsent] = useState(() => consentValid(storage()?.getItem(key) ?? null, Date.now()));
  const [running, setRunning] = useState(false);
  const context = useRef<AudioContext | null>(null);

  const ensure = useCallback((): AudioContext | null => {
    if (context.current) return context.current;
    const Ctor = audioContextClass();
    if (!Ctor) return null;
    const ctx = new Ctor();
    context.current = ctx;
    ctx.onstatechange = () => setRunning(ctx.state === 'running');
    setRunning(ctx.state === 'running');
    return ctx;
  }, []);

  const resume = useCallback(() => {
    const ctx = ensure();
    if (!ctx || ctx.state === 'running') return;
    ctx.resume().then(
      () => setRunning(ctx.state === 'running'),
      () => setRunning(false),
    );
  }, [ensure]);

  const enable = useCallback(() => {
    storage()?.setItem(key, String(Date.now()));
    setConsent(true);
    resume();
  }, [key, resume]);

  // The shift ends: ask again.
  useEffect(() => {
    if (!consent) return;
    const at = Number(storage()?.getItem(key) ?? Date.now());
    const timer = setTimeout(() => setConsent(false), Math.max(1000, at + SHIFT_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [consent, key]);

  // Consent on record: the first gesture on this page load turns the sound on.
  useEffect(() => {
    if (!consent || running) return;
    const onGesture = () => resume();
    window.addEventListener('pointerdown', onGesture, true);
    window.addEventListener('keydown', onGesture, true);
    return () => {
      window.removeEventListener('pointerdown', onGesture, true);
      window.removeEventListener('keydown', onGesture, true);
    };
  }, [consent, running, resume]);

  useEffect(
    () => () => {
      const ctx = context.current;
      context.current = null;
      if (ctx) void ctx.close().catch(() => undefined);
    },
    [],
  );

  const ring = useCallback(() => {
    const ctx = context.current;
    if (!consent || !ctx || ctx.state !== 'running') return false;
    playTone(ctx);
    return true;
  }, [consent]);

  const test = useCallback(() => {
    resume();
    const ctx = context.current;
    if (ctx) playTone(ctx);
  }, [resume]);

  return { consent, running, enable, test, ring };
}
