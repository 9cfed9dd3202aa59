import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and blank lines', () => {
    const rows = parseCsv('\ufeffname,type\r\n"Въезд, шлагбаум",parking\r\n\r\n"Камера ""А""",yard\n');
    expect(rows).toEqual([
      { line: 1, cells: ['name', 'type'] },
      { line: 2, cells: ['Въезд, шлагбаум', 'parking'] },
      { line: 4, cells: ['Камера "А"', 'yard'] },
    ]);
  });
  it('detects semicolons (Excel in a Russian locale) and multi-line cells', () => {
    const rows = parseCsv('name;type\n"две\nстроки";lift\nпоследняя;other');
    expect(rows).toEqual([
      { line: 1, cells: ['name', 'type'] },
      { line: 2, cells: ['две\nстроки', 'lift'] },
      { line: 4, cells: ['последняя', 'other'] },
    ]);
  });
});
