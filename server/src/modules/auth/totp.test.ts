import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from './totp.ts';

describe('TOTP', () => {
  // RFC 4226 appendix D and RFC 6238 appendix B (SHA-1 seed "12345678901234567890").
  const seed = Buffer.from('12345678901234567890');
  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(seed, counter)).toBe(code));
  });
  it('matches the RFC 6238 TOTP vectors (last 6 digits)', () => {
    const b32 = base32Encode(seed);
    expect(totp(b32, new Date(59_000))).toBe('287082');
    expect(totp(b32, new Date(1111111109_000))).toBe('081804');
    expect(totp(b32, new Date(2000000000_000))).toBe('279037');
  });
  it('round-trips base32 and accepts one step of drift only', () => {
    const b32 = base32Encode(seed);
    expect(base32Decode(b32).equals(seed)).toBe(true);
    const now = new Date(1111111109_000);
    expect(verifyTotp(b32, totp(b32, new Date(now.getTime() - 30_000)), now)).toBe(true);
    expect(verifyTotp(b32, totp(b32, new Date(now.getTime() - 90_000)), now)).toBe(false);
    expect(verifyTotp(b32, '12345', now)).toBe(false);
  });
});
