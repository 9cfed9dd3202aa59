import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iinCheckDigit, maskIin, parseIin } from './iin.ts';
import { normalisePhone, phoneDigitsOfQuery } from './phones.ts';
import { normalisePlate, plateOfQuery } from './plates.ts';

interface Vector { iin?: string; iin_prefix?: string; valid?: boolean; note?: string }
const vectors = (JSON.parse(fs.readFileSync(new URL('./testdata/iin-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;

describe('IIN', () => {
  for (const v of vectors) {
    if (v.iin !== undefined) {
      it(`${v.iin} is ${v.valid ? 'valid' : 'invalid'}${v.note ? ` (${v.note})` : ''}`, () => {
        expect(parseIin(v.iin!).ok).toBe(v.valid);
      });
    } else {
      it(`${v.iin_prefix}: ${v.note}`, () => {
        expect(iinCheckDigit(v.iin_prefix!)).toBeNull();
        for (let d = 0; d <= 9; d++) expect(parseIin(`${v.iin_prefix}${d}`).ok).toBe(false);
      });
    }
  }

  it('uses the second weight set when the first gives 10', () => {
    // 900101300811: first pass Σ mod 11 = 10, second pass gives 1.
    const d = [...'90010130081'].map(Number);
    expect(d.reduce((s, x, i) => s + x * (i + 1), 0) % 11).toBe(10);
    expect(iinCheckDigit('90010130081')).toBe(1);
  });

  it('derives birth date and sex', () => {
    expect(parseIin('871008401427')).toEqual({ ok: true, info: { iin: '871008401427', birthDate: '1987-10-08', sex: 'female', implausible: false } });
    const r = parseIin('061211600012');
    expect(r.ok && r.info).toMatchObject({ birthDate: '2006-12-11', sex: 'female' });
    const m = parseIin('800416300257');
    expect(m.ok && m.info).toMatchObject({ birthDate: '1980-04-16', sex: 'male' });
  });

  it('flags, not rejects, a valid number born in the 1800s', () => {
    const r = parseIin('800416100254');
    expect(r).toEqual({ ok: true, info: { iin: '800416100254', birthDate: '1880-04-16', sex: 'male', implausible: true } });
    expect(parseIin('680503250034')).toMatchObject({ ok: true, info: { birthDate: '1868-05-03', sex: 'female', implausible: true } });
  });

  it('rejects an impossible date even with a good check digit', () => {
    const first = '87133040142';
    const c = iinCheckDigit(first);
    if (c !== null) expect(parseIin(`${first}${c}`)).toEqual({ ok: false, reason: 'date' });
  });

  it('masks all but the first and last two digits', () => {
    expect(maskIin('871008401427')).toBe('87••••••••27');
    expect(maskIin(null)).toBeNull();
  });
});

describe('plates', () => {
  it.each([
    ['777 ABC 02', '777ABC02', 'individual'],
    ['777авс02', '777ABC02', 'individual'],
    ['777 АВС 02', '777ABC02', 'individual'],
    ['123 ab 05', '123AB05', 'legal'],
    ['a 123 bc', 'A123BC', 'old'],
    ['Х 001 КМ', 'X001KM', 'old'],
    ['б123ABC', 'Б123ABC', null],
  ])('%s → %s', (input, plate, kind) => {
    const r = normalisePlate(input);
    if (kind === null) expect(r.ok).toBe(false);
    else expect(r).toMatchObject({ ok: true, plate, kind });
  });

  it('refuses a region outside 01–20 and letters with no Latin look-alike', () => {
    expect(normalisePlate('777ABC21').ok).toBe(false);
    expect(normalisePlate('777ABC00').ok).toBe(false);
    expect(normalisePlate('777ЖЖЖ02').ok).toBe(false);
  });

  it('shows plates grouped', () => {
    expect(normalisePlate('777abc02')).toMatchObject({ display: '777 ABC 02' });
  });

  it('reads a plate-like search query', () => {
    expect(plateOfQuery('777авс')).toBe('777ABC');
    expect(plateOfQuery('Ахметов')).toBeNull();
  });
});

describe('phones', () => {
  it.each(['8 701 123 45 67', '+7 (701) 123-45-67', '701 123 4567', '7011234567', '87011234567', '+77011234567', '8-701-123-45-67'])('%s → 77011234567', (input) => {
    expect(normalisePhone(input)).toEqual({ ok: true, phone: '77011234567', display: '+7 701 123 45 67' });
  });

  it.each(['123', '8 701 123 45', '+1 202 555 0100', 'звоните', '8 901 123 45 67'])('refuses %s', (input) => {
    expect(normalisePhone(input).ok).toBe(false);
  });

  it('reads the start of a phone in a search query', () => {
    expect(phoneDigitsOfQuery('8 701 123')).toBe('7701123');
    expect(phoneDigitsOfQuery('701 123')).toBe('7701123');
    expect(phoneDigitsOfQuery('Ахметов')).toBeNull();
  });
});
