import { describe, expect, it } from 'vitest';
import { buildReceiverReport, ReceiverStatistics } from './rtcp.ts';
import { ReorderBuffer } from './reorder-buffer.ts';

/** A buffer whose packets are their own sequence numbers, so the output order is visible. */
function harness(opts: { capacity?: number; maxDelayMs?: number } = {}) {
  const out: number[] = [];
  const rb = new ReorderBuffer({ ...opts, emit: (buf) => out.push(((buf[0] as number) << 8) | (buf[1] as number)) });
  const push = (seq: number, now = 0) => rb.push(Uint8Array.of(seq >> 8, seq & 0xff), seq, now);
  return { rb, out, push };
}

describe('ReorderBuffer', () => {
  it('passes in-order packets straight through, holding nothing', () => {
    const { rb, out, push } = harness();
    for (let s = 100; s < 110; s++) push(s);
    expect(out).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(rb.stats).toEqual({ reordered: 0, lost: 0, late: 0, held: 0 });
    expect(rb.deadline).toBeNull();
  });

  it('puts swapped packets back in order and counts them', () => {
    const { rb, out, push } = harness();
    for (const s of [1, 2, 4, 3, 5, 8, 6, 7, 9]) push(s);
    expect(out).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rb.stats.reordered).toBe(3); // 3 after 4; 6 and 7 after 8
    expect(rb.stats.lost).toBe(0);
    expect(rb.stats.held).toBe(0);
  });

  it('orders across the 16-bit wrap', () => {
    const { rb, out, push } = harness();
    for (const s of [65533, 65535, 65534, 1, 0, 2]) push(s);
    expect(out).toEqual([65533, 65534, 65535, 0, 1, 2]);
    expect(rb.stats.reordered).toBe(2);
  });

  it('gives a hole up after maxDelayMs and counts it lost; the late packet is then dropped', () => {
    const { rb, out, push } = harness({ maxDelayMs: 50 });
    push(10, 0);
    push(12, 5);
    push(13, 10);
    expect(out).toEqual([10]);
    expect(rb.deadline).toBe(55); // the oldest held packet (12, at 5 ms) + 50 ms
    rb.expire(54);
    expect(out).toEqual([10]);
    rb.expire(55);
    expect(out).toEqual([10, 12, 13]);
    expect(rb.stats).toMatchObject({ lost: 1, held: 0 });
    push(11, 60); // too late: already given up
    expect(out).toEqual([10, 12, 13]);
    expect(rb.stats.late).toBe(1);
  });

  it('holds at most `capacity` packets: a longer hole is given up at once', () => {
    const { rb, out, push } = harness({ capacity: 4 });
    push(0);
    for (const s of [2, 3, 4]) push(s);
    expect(out).toEqual([0]);
    push(5); // 5 would be the 5th slot after the hole at 1: give 1 up
    expect(out).toEqual([0, 2, 3, 4, 5]);
    expect(rb.stats.lost).toBe(1);
  });

  it('a big forward jump with nothing held counts the gap lost and waits only for the window', () => {
    const { rb, out, push } = harness({ capacity: 32 });
    push(0);
    push(1000);
    expect(rb.stats.lost).toBe(1000 - 32);
    expect(out).toEqual([0]);
    rb.flush();
    expect(out).toEqual([0, 1000]);
    expect(rb.stats.lost).toBe(999);
  });

  it('drops duplicates, held or already released', () => {
    const { rb, out, push } = harness();
    push(1);
    push(1);
    push(3);
    push(3);
    push(2);
    expect(out).toEqual([1, 2, 3]);
    expect(rb.stats.late).toBe(2);
  });

  it('a restarted sender (a far jump confirmed by the next packet) resynchronises', () => {
    const { out, push } = harness();
    push(100);
    push(40_000); // alone: passed through untouched, state kept
    push(101);
    push(50_000);
    push(50_001); // confirmed
    push(50_002);
    expect(out).toEqual([100, 40_000, 101, 50_000, 50_001, 50_002]);
  });
});

describe('ReceiverStatistics (RFC 3550 A.1, A.3, A.8)', () => {
  it('extended highest sequence counts wrap cycles', () => {
    const st = new ReceiverStatistics(90_000);
    for (let i = 0; i < 10; i++) st.update((65530 + i) & 0xffff, i * 3600, i * 40);
    expect(st.extendedHighest).toBe(65536 + 3); // one cycle, max seq 3
    expect(st.cumulativeLost).toBe(0);
    // a second wrap
    let seq = 3;
    for (let i = 0; i < 70_000; i++) st.update((seq = (seq + 1) & 0xffff), 0, 0);
    expect(st.extendedHighest).toBe(2 * 65536 + seq);
  });

  it('fraction lost per interval and cumulative lost', () => {
    const st = new ReceiverStatistics(90_000);
    // 100 expected (0..99), 10 of them missing: every 10th
    for (let s = 0; s < 100; s++) if (s % 10 !== 5) st.update(s, s * 3600, s * 40);
    const first = st.nextInterval();
    expect(first.cumulativeLost).toBe(10);
    expect(first.fractionLost).toBe(Math.floor((10 * 256) / 100)); // 25
    expect(first.highestSequence).toBe(99);
    // next interval: 100..199, none lost
    for (let s = 100; s < 200; s++) st.update(s, s * 3600, s * 40);
    const second = st.nextInterval();
    expect(second.fractionLost).toBe(0);
    expect(second.cumulativeLost).toBe(10);
    // duplicates make the interval's loss negative: reported as 0, cumulative goes down
    for (let s = 200; s < 210; s++) st.update(s, s * 3600, s * 40);
    for (let s = 200; s < 205; s++) st.update(s, s * 3600, s * 40);
    const third = st.nextInterval();
    expect(third.fractionLost).toBe(0);
    expect(third.cumulativeLost).toBe(5);
  });

  it('jitter is 0 for perfectly paced packets and follows J += (|D| - J)/16', () => {
    const paced = new ReceiverStatistics(90_000);
    for (let i = 0; i < 50; i++) paced.update(i, i * 3600, i * 40);
    expect(paced.jitter).toBe(0);

    // Alternate 10 ms early / on time: |D| = 900 timestamp units each step.
    const st = new ReceiverStatistics(90_000);
    let j = 0;
    for (let i = 0; i < 200; i++) {
      st.update(i, i * 3600, i * 40 + (i % 2 ? 10 : 0));
      if (i > 0) j += (900 - j) / 16;
    }
    expect(st.jitter).toBe(Math.trunc(j));
    expect(st.jitter).toBeGreaterThan(890);
  });

  it('jitter survives a timestamp wrap', () => {
    const st = new ReceiverStatistics(90_000);
    const first = 0xffffffff - 3600 * 5;
    for (let i = 0; i < 20; i++) st.update(i, (first + i * 3600) >>> 0, i * 40);
    expect(st.jitter).toBe(0);
  });

  it('the receiver report carries the fields in RFC 3550 §6.4.2 layout', () => {
    const st = new ReceiverStatistics(90_000);
    for (let s = 65000; s < 65000 + 1000; s++) if (s % 50 !== 25) st.update(s & 0xffff, s * 3600, s * 40);
    const f = st.nextInterval();
    const rr = buildReceiverReport(0x11223344, [{ ssrc: 0xaabbccdd, ...f, lastSr: 0x01020304, delaySinceLastSr: 65536 }]);
    const v = new DataView(rr.buffer);
    expect(rr.length).toBe(32);
    expect(rr[1]).toBe(201);
    expect(v.getUint32(8)).toBe(0xaabbccdd);
    expect(rr[12]).toBe(f.fractionLost);
    expect(f.fractionLost).toBe(Math.floor((20 * 256) / 1000));
    expect(v.getUint32(12) & 0xffffff).toBe(20);
    expect(v.getUint32(16)).toBe(65536 + ((65000 + 999) & 0xffff));
    expect(v.getUint32(20)).toBe(0); // jitter of perfectly paced packets
    expect(v.getUint32(24)).toBe(0x01020304);
    expect(v.getUint32(28)).toBe(65536);
  });
});
