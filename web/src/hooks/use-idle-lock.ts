import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['keydown', 'mousemove', 'mousedown', 'wheel', 'touchstart', 'pointerdown'] as const;

/**
 * Calls onIdle once nobody has touched the keyboard or mouse for `seconds`.
 * Activity only records a timestamp; one timer checks it, so mouse moves cost nothing.
 */
export function useIdleLock(seconds: number, enabled: boolean, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });

  useEffect(() => {
    if (!enabled || !(seconds > 0)) return;
    const limitMs = seconds * 1000;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      last = Date.now();
    };
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= limitMs) {
        onIdleRef.current();
        return;
      }
      timer = setTimeout(check, limitMs - idle);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { passive: true, capture: true });
    timer = setTimeout(check, limitMs);
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
    };
  }, [seconds, enabled]);
}
