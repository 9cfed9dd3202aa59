import ExcelJS from 'exceljs';
import { iinCheckDigit, type ImportProblemCode } from '@kuzet/contracts';
import * as N from '../../demo/people-names.ts';
import { intBetween, rng } from '../../demo/random.ts';

/**
 * A management company's list for tests and the bench: `count` rows over the complex's
 * apartments, of which `badShare` are bad in known ways (each bad line and its reason is
 * returned). Valid rows each carry a distinct valid IIN, or (one in ten) no IIN and a
 * birth date; names are drawn from the demo's lists.
 */
export interface ListApartment { buildingName: string; entranceNumber: number; number: string }
export interface GeneratedList {
  header: string[];
  rows: string[][];
  /** Line in the file (header = 1) → the reason the import must give. */
  bad: Map<number, ImportProblemCode>;
}

export const LIST_HEADER = ['Блок', 'Подъезд', 'Квартира', 'Фамилия', 'Имя', 'Отчество', 'ИИН', 'Дата рождения', 'Телефон', 'Роль', 'Дата заселения'];
const ROLES = ['собственник', 'арендатор', 'прописан', 'член семьи'];
const BAD: ImportProblemCode[] = ['bad_iin', 'unknown_apartment', 'duplicate_in_file', 'bad_phone', 'missing_last_name'];

export function generateList(apartments: ListApartment[], count: number, badShare = 0.05, seed = 17): GeneratedList {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const iins = new Set<string>();
  const iin = (): { iin: string; birth: string } => {
    for (;;) {
      const y = intBetween(r, 1940, 2010);
      const m = intBetween(r, 1, 12);
      const d = intBetween(r, 1, 28);
      const c = y >= 2000 ? pick(['5', '6']) : pick(['3', '4']);
      const first = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${c}${String(intBetween(r, 0, 9999)).padStart(4, '0')}`;
      const check = iinCheckDigit(first);
      if (check === null || iins.has(first + check)) continue;
      iins.add(first + check);
      return { iin: first + check, birth: `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}` };
    }
  };
  const rows: string[][] = [];
  const bad = new Map<number, ImportProblemCode>();
  const badEvery = Math.round(1 / badShare);
  for (let i = 0; i < count; i++) {
    const line = i + 2;
    const a = apartments[i % apartments.length]!;
    const male = r() < 0.5;
    const kazakh = r() < 0.6;
    const surname = pick(kazakh ? N.kazakhSurnames : N.russianSurnames);
    const first = pick(male ? (kazakh ? N.kazakhMale : N.russianMale) : kazakh ? N.kazakhFemale : N.russianFemale);
    const father = pick(kazakh ? N.kazakhMale : N.russianMale);
    const patronymic = kazakh ? N.kazakhPatronymic(father, male ? 'male' : 'female') : N.russianPatronymic(father, male ? 'male' : 'female');
    const id = iin();
    const withIin = i % 10 !== 3;
    const phone = `8 70${intBetween(r, 0, 8)} ${String(intBetween(r, 0, 999)).padStart(3, '0')} ${String(intBetween(r, 0, 99)).padStart(2, '0')} ${String(intBetween(r, 0, 99)).padStart(2, '0')}`;
    const row = [a.buildingName, String(a.entranceNumber), a.number, male ? surname : N.femaleSurname(surname), first, patronymic, withIin ? id.iin : '', id.birth, phone, pick(ROLES), `01.0${intBetween(r, 1, 9)}.20${intBetween(r, 10, 24)}`];
    if (i % badEvery === badEvery - 1) {
      const kind = BAD[Math.floor(i / badEvery) % BAD.length]!;
      bad.set(line, kind);
      if (kind === 'bad_iin') row[6] = `${id.iin.slice(0, 11)}${(Number(id.iin[11]) + 1) % 10}`;
      if (kind === 'unknown_apartment') row[2] = '9999';
      if (kind === 'bad_phone') row[8] = '8 901 12';
      if (kind === 'missing_last_name') row[3] = '';
      if (kind === 'duplicate_in_file') {
        const prev = rows[rows.length - 1]!;
        row.splice(0, row.length, ...prev);
      }
    }
    rows.push(row);
  }
  return { header: LIST_HEADER, rows, bad };
}

function csvField(v: string, sep: string): string {
  return v.includes(sep) || v.includes('"') || /[\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV as Excel in Russian saves it: `;`, CRLF, UTF-8 with a BOM (or cp1251-free ASCII-safe when bom=false). */
export function listCsv(list: { header: string[]; rows: string[][] }, sep = ';', bom = true): Buffer {
  const text = [list.header, ...list.rows].map((r) => r.map((v) => csvField(v, sep)).join(sep)).join('\r\n');
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(`${text}\r\n`, 'utf8')]);
}

/** The same list as an XLSX workbook (one sheet; IIN and phones as text cells, dates as text). */
export async function listXlsx(list: { header: string[]; rows: string[][] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Жители');
  ws.addRow(list.header);
  for (const row of list.rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
