/**
 * One batch of deletes and one hold creation never interleave: a hold created while
 * retention is between "select the oldest files" and "delete them" waits for the batch
 * to end, and the next batch sees the hold. A tiny promise-chain mutex (one process owns
 * a recordings dir).
 */
export class RetentionGate {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
