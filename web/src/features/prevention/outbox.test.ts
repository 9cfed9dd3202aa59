import { describe, expect, it } from 'vitest';
import { draftToInput, enqueue, flush, loadDraft, pending, saveDraft, type KeyValueStore } from './outbox.ts';

function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}
class Offline extends Error {}

describe('the phone form outbox', () => {
  it('keeps outcomes while offline and sends them when the network returns', async () => {
    const store = memoryStore();
    enqueue(store, { roundId: 'r', apartmentId: 'a1', input: { outcome: 'visited' } });
    enqueue(store, { roundId: 'r', apartmentId: 'a2', input: { outcome: 'no_answer' } });
    let online = false;
    const sent: string[] = [];
    const send = async (i: { apartmentId: string }) => {
      if (!online) throw new Offline();
      sent.push(i.apartmentId);
    };
    expect((await flush(store, send, (e) => e instanceof Offline)).left).toBe(2);
    expect(sent).toEqual([]);
    online = true;
    expect(await flush(store, send, (e) => e instanceof Offline)).toMatchObject({ sent: 2, left: 0 });
    expect(sent).toEqual(['a1', 'a2']);
  });

  it('replaces a queued outcome of the same apartment and drops a refused one', async () => {
    const store = memoryStore();
    enqueue(store, { roundId: 'r', apartmentId: 'a1', input: { outcome: 'visited' } });
    enqueue(store, { roundId: 'r', apartmentId: 'a1', input: { outcome: 'refused' } });
    expect(pending(store, 'r').map((i) => i.input.outcome)).toEqual(['refused']);
    const res = await flush(
      store,
      () => Promise.reject(new Error('400')),
      () => false,
    );
    expect(res.refused).toHaveLength(1);
    expect(pending(store)).toEqual([]);
  });

  it('keeps the draft of an apartment until it is queued', () => {
    const store = memoryStore();
    const draft = { outcome: 'visited' as const, peopleMetCount: 2, problems: 'Домофон\n\n Свет ', note: '' };
    saveDraft(store, 'r', 'a1', draft);
    expect(loadDraft(store, 'r', 'a1')).toEqual(draft);
    expect(draftToInput(draft, '2026-12-01T05:00:00.000Z').problems).toEqual(['Домофон', 'Свет']);
    enqueue(store, { roundId: 'r', apartmentId: 'a1', input: draftToInput(draft, '2026-12-01T05:00:00.000Z') });
    expect(loadDraft(store, 'r', 'a1')).toBeNull();
  });
});
