/** The console's keys: j/k or ↓/↑ move, a acknowledges, Enter opens live, p opens the recording. */
export type AlertKey = 'next' | 'previous' | 'acknowledge' | 'open' | 'playback';

interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}

const BY_CODE: Record<string, AlertKey> = { KeyJ: 'next', KeyK: 'previous', KeyA: 'acknowledge', KeyP: 'playback' };
const BY_KEY: Record<string, AlertKey> = {
  j: 'next',
  k: 'previous',
  a: 'acknowledge',
  p: 'playback',
  ArrowDown: 'next',
  ArrowUp: 'previous',
  Enter: 'open',
};

function tagOf(target: EventTarget | null | undefined): string | null {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null | undefined;
  if (!el?.tagName) return null;
  return el.isContentEditable === true ? 'EDITABLE' : el.tagName;
}

const FIELDS = ['INPUT', 'SELECT', 'TEXTAREA', 'EDITABLE'];

/** The action of a key press, or null (typing in a field, a modifier held, another key). */
export function alertKeyOf(event: KeyLike): AlertKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const tag = tagOf(event.target);
  if (tag && FIELDS.includes(tag)) return null;
  // Enter on a button or a link is that button's own click.
  if (event.key === 'Enter' && (tag === 'BUTTON' || tag === 'A')) return null;
  // By physical key too, so a Cyrillic layout (о, л, ф, з) works the same.
  return BY_KEY[event.key] ?? (event.code ? BY_CODE[event.code] : undefined) ?? null;
}

/** The next selected index after a move, within [0, count). */
export function moveSelection(index: number, count: number, key: 'next' | 'previous'): number {
  if (count === 0) return -1;
  if (index < 0) return 0;
  return Math.min(count - 1, Math.max(0, index + (key === 'next' ? 1 : -1)));
}
