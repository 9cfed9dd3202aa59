import { describe, expect, it } from 'vitest';
import { createRtpPacket, parseRtpPacket } from './rtp-packet.ts';
import { buildReceiverReport, compactNtp, parseRtcp } from './rtcp.ts';
import { buildRtp } from './test-helpers.ts';

describe('parseRtpPacket', () => {
  it('reads every header field and returns the payload as a view', () => {
    const payload = Uint8Array.of(1, 2, 3, 4, 5);
    const b = buildRtp(
      { sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, marker: true, payloadType: 97 },
      payload,
    );
    const p = parseRtpPacket(b);
    expect(p).toMatchObject({
      version: 2,
      marker: true,
      payloadType: 97,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcCount: 0,
    });
    expect([...(p?.payload ?? [])]).toEqual([1, 2, 3, 4, 5]);
    expect(p?.payload.buffer).toBe(b.buffer); // no copy
  });

  it('skips CSRCs, the header extension and padding', () => {
    const b = buildRtp(
      { sequenceNumber: 1, timestamp: 2, csrcs: [7, 8], extension: [0x11111111, 0x22222222], padding: 3 },
      Uint8Array.of(9, 9),
    );
    const p = parseRtpPacket(b);
    expect(p?.csrcCount).toBe(2);
    expect(p?.extension).toBe(true);
    expect(p?.padding).toBe(true);
    expect([...(p?.payload ?? [])]).toEqual([9, 9]);
  });

  it('parses at an offset into a larger buffer and reuses the given object', () => {
    const pkt = buildRtp({ sequenceNumber: 5, timestamp: 6 }, Uint8Array.of(42));
    const big = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), pkt, Buffer.from([0xee])]);
    const into = createRtpPacket();
    expect(parseRtpPacket(big, 3, pkt.length, into)).toBe(into);
    expect(into.sequenceNumber).toBe(5);
    expect([...into.payload]).toEqual([42]);
  });

  it('returns null on malformed input', () => {
    const ok = buildRtp({ sequenceNumber: 1, timestamp: 1 }, Uint8Array.of(1, 2, 3));
    expect(parseRtpPacket(ok.subarray(0, 11))).toBeNull(); // too short
    const v1 = Buffer.from(ok);
    v1[0] = 0x40;
    expect(parseRtpPacket(v1)).toBeNull(); // version 1
    const cc = Buffer.from(ok);
    cc[0] = 0x8f; // 15 CSRCs announced, none present
    expect(parseRtpPacket(cc)).toBeNull();
    const pad = Buffer.from(ok);
    pad[0] = (pad[0] as number) | 0x20;
    pad[pad.length - 1] = 200; // padding larger than payload
    expect(parseRtpPacket(pad)).toBeNull();
    pad[pad.length - 1] = 0; // zero padding count
    expect(parseRtpPacket(pad)).toBeNull();
    const ext = buildRtp({ sequenceNumber: 1, timestamp: 1, extension: [1] }, new Uint8Array(0));
    ext.writeUInt16BE(50, 14); // extension longer than packet
    expect(parseRtpPacket(ext)).toBeNull();
    expect(parseRtpPacket(ok, 5, ok.length)).toBeNull(); // range past the end
  });
});

describe('RTCP', () => {
  it('parses a sender report and a BYE in a compound packet', () => {
    const sr = Buffer.alloc(28);
    sr[0] = 0x80;
    sr[1] = 200;
    sr.writeUInt16BE(6, 2);
    sr.writeUInt32BE(0xabcdef01, 4);
    sr.writeUInt32BE(2_208_988_800 + 1_700_000_000, 8); // NTP seconds
    sr.writeUInt32BE(0x80000000, 12); // .5 s
    sr.writeUInt32BE(123456, 16);
    const bye = Buffer.from([0x81, 203, 0, 1, 0xab, 0xcd, 0xef, 0x01]);
    const info = parseRtcp(Buffer.concat([sr, bye]));
    expect(info?.senderReports[0]).toMatchObject({ ssrc: 0xabcdef01, rtpTimestamp: 123456 });
    expect(info?.senderReports[0]?.ntpUnixMs).toBe(1_700_000_000_500);
    expect(info?.bye).toEqual([0xabcdef01]);
    expect(parseRtcp(Buffer.from([0x80, 96, 0, 0]))).toBeNull(); // RTP, not RTCP
  });

  it('builds a receiver report with a report block', () => {
    const rr = buildReceiverReport(0x01020304, [
      {
        ssrc: 0xabcdef01,
        fractionLost: 3,
        cumulativeLost: 10,
        highestSequence: 70000,
        jitter: 0,
        lastSr: compactNtp(0x12345678, 0x9abcdef0),
        delaySinceLastSr: 65536,
      },
    ]);
    const v = Buffer.from(rr);
    expect(v.length).toBe(32);
    expect(v[0]).toBe(0x81);
    expect(v[1]).toBe(201);
    expect(v.readUInt16BE(2)).toBe(7);
    expect(v.readUInt32BE(4)).toBe(0x01020304);
    expect(v.readUInt32BE(12)).toBe((3 << 24) | 10);
    expect(v.readUInt32BE(16)).toBe(70000);
    expect(v.readUInt32BE(24)).toBe(0x56789abc);
    expect(parseRtcp(rr)).toEqual({ senderReports: [], bye: [] });
  });
});
