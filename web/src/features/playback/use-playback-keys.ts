import { useEffect, useLayoutEffect, useRef } from 'react';
import { isTypingTarget } from '../monitoring/use-wall-keys.ts';

export type PlaybackKey =
  | 'toggle'
  | 'frame-back'
  | 'frame-forward'
  | 'back-10'
  | 'forward-10'
  | 'zoom-in'
  | 'zoom-out'
  | 'slower'
  | 'faster'
  | 'bookmark'
  | 'mark-in'
  | 'mark-out';

/** The key a press means on the playback page, or null (pure: tested). */
export function playbackKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'code'>): PlaybackKey | null {
  switch (event.key) {
    case ' ':
    case 'k':
    case 'K':
      return 'toggle';
    case 'ArrowLeft':
      return event.shiftKey ? 'back-10' : 'frame-back';
    case 'ArrowRight':
      return event.shiftKey ? 'forward-10' : 'frame-forward';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case '[':
      return 'slower';
    case ']':
      return 'faster';
    case 'b':
    case 'B':
      return 'bookmark';
    case 'i':
    case 'I':
      return 'mark-in';
    case 'o':
    case 'O':
      return 'mark-out';
    default:
      break;
  }
  // Layouts where the key produces another letter (Cyrillic): go by the physical key.
  const byCode: Record<string, PlaybackKey> = { KeyB: 'bookmark', KeyI: 'mark-in', KeyO: 'mark-out', KeyK: 'toggle' };
  return byCode[event.code] ?? null;
}

/** The page-wide playback keys; nothing while typing in a field (a button keeps its own Space). */
export function usePlaybackKeys(handler: (key: PlaybackKey) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTypingTarget(event.target)) return;
      if (event.key === ' ' && (event.target as Element | null)?.closest?.('button, a')) return;
      const key = playbackKey(event);
      if (!key) return;
      event.preventDefault();
      latest.current(key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
