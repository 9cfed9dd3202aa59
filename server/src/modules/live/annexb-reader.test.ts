import { describe, expect, it } from 'vitest';
import { AnnexBReader } from './annexb-reader.ts';

const aud = [0, 0, 0, 1, 0x09, 0xf0];
const nal = (type: number, ...body: number[]) => [0, 0, 1, type, ...body];

describe('AnnexBReader', () => {
  it('emits access units delimited by AUDs, whatever the chunking', () => {
    const stream = Buffer.from([...aud, ...nal(0x67, 1, 2), ...nal(0x68, 3), ...nal(0x65, 4, 5, 6), ...aud, ...nal(0x41, 7), ...aud, ...nal(0x41, 8)]);
    for (const size of [1, 2, 3, 5, 7, stream.length]) {
      const aus: number[][][] = [];
      const r = new AnnexBReader((n) => aus.push(n.map((x) => [...x])));
      for (let i = 0; i < stream.length; i += size) r.push(stream.subarray(i, i + size));
      expect(aus).toEqual([
        [[0x09, 0xf0], [0x67, 1, 2], [0x68, 3], [0x65, 4, 5, 6]],
        [[0x09, 0xf0], [0x41, 7]],
      ]);
    }
  });
  it('stays bounded on garbage', () => {
    const r = new AnnexBReader(() => undefined, 1000);
    for (let i = 0; i < 100; i++) r.push(Buffer.alloc(500, 7));
    expect((r as unknown as { buf: Buffer }).buf.length).toBeLessThanOrEqual(1500);
  });
});
