import { describe, expect, it } from 'vitest';
import { randomUuid } from './uuid.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random ids for new layouts', () => {
  it('uses crypto.randomUUID where there is one', () => {
    expect(randomUuid()).toMatch(V4);
  });

  it('builds a version 4 UUID from random bytes on plain http', () => {
    const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
      if (array instanceof Uint8Array) array.fill(0xff);
      return array;
    };
    const id = randomUuid({ getRandomValues } as Pick<Crypto, 'getRandomValues'>);
    expect(id).toMatch(V4);
    expect(id).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
