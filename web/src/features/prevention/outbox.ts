import type { VisitOutcomeInput } from '@kuzet/contracts';

/**
 * The phone form's outbox. An outcome recorded on the stairs is first written to
 * localStorage, then sent; when sending fails for want of a network it stays there and is
 * sent again when the browser reports `online` (or the page is opened again). The server
 * replaces an apartment's outcome, so sending twice is harmless.
 */
export interface OutboxItem {
  roundId: string;
  apartmentId: string;
  input: Partial<VisitOutcomeInput>;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const OUTBOX_KEY = 'kuzet.visits.outbox';
const draftKey = (roundId: string, apartmentId: string) => `kuzet.visits.draft.${roundId}.${apartmentId}`;

function read(store: KeyValueStore): OutboxItem[] {
  const raw = store.getItem(OUTBOX_KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
  } catch (cause) {
    // A damaged entry (another tab writing mid-way): start a fresh outbox, say why.
    console.warn('visits outbox unreadable, starting empty', cause);
    return [];
  }
}

export function pending(store: KeyValueStore, roundId?: string): OutboxItem[] {
  return read(store).filter((i) => roundId === undefined || i.roundId === roundId);
}

/** Queues an outcome; a newer one for the same apartment replaces the queued one. */
export function enqueue(store: KeyValueStore, item: OutboxItem): void {
  const rest = read(store).filter((i) => !(i.roundId === item.roundId && i.apartmentId === item.apartmentId));
  store.setItem(OUTBOX_KEY, JSON.stringify([...rest, item]));
  store.removeItem(draftKey(item.roundId, item.apartmentId));
}

/** Whether a failure means "try again later" (no network) rather than "the server said no". */
export type IsRetryable = (error: unknown) => boolean;

/**
 * Sends what is queued, oldest first. Sent items and items the server refused leave the
 * queue (a refusal will not get better by retrying; it is reported); on a network failure
 * the rest stays for the next `online`.
 */
export async function flush(
  store: KeyValueStore,
  send: (item: OutboxItem) => Promise<unknown>,
  retryable: IsRetryable,
): Promise<{ sent: number; refused: { item: OutboxItem; error: unknown }[]; left: number }> {
  let sent = 0;
  const refused: { item: OutboxItem; error: unknown }[] = [];
  for (const item of read(store)) {
    try {
      await send(item);
      sent++;
    } catch (error) {
      if (retryable(error)) break;
      refused.push({ item, error });
    }
    const rest = read(store).filter(
      (i) =>
        !(
          i.roundId === item.roundId &&
          i.apartmentId === item.apartmentId &&
          JSON.stringify(i.input) === JSON.stringify(item.input)
        ),
    );
    store.setItem(OUTBOX_KEY, JSON.stringify(rest));
  }
  return { sent, refused, left: read(store).length };
}

/** The half-filled form of an apartment, kept as it is typed. */
export interface Draft {
  outcome: VisitOutcomeInput['outcome'] | null;
  peopleMetCount: number;
  problems: string;
  note: string;
}

export function loadDraft(store: KeyValueStore, roundId: string, apartmentId: string): Draft | null {
  const raw = store.getItem(draftKey(roundId, apartmentId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Draft;
  } catch (cause) {
    console.warn('visit draft unreadable, dropped', cause);
    return null;
  }
}

export function saveDraft(store: KeyValueStore, roundId: string, apartmentId: string, draft: Draft): void {
  store.setItem(draftKey(roundId, apartmentId), JSON.stringify(draft));
}

export function draftToInput(d: Draft, recordedAt: string): Partial<VisitOutcomeInput> {
  return {
    outcome: d.outcome ?? 'visited',
    peopleMetCount: d.peopleMetCount,
    problems: d.problems
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    note: d.note,
    recordedAt,
  };
}
