import { useEffect, useRef } from 'react';

/**
 * A ref whose element takes the focus when it first appears (a panel's heading,
 * with tabIndex={-1}), so keyboard and screen reader users land in what just opened.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return ref;
}
