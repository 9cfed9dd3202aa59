import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../../platform/errors.ts';

/** A file's rows as text cells (the header is row 0). */
export type Cells = string[];

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Rows handled between yields to the event loop: the server keeps answering while a big file is read. */
export const CHUNK = 500;

function isZip(b: Buffer): boolean {
  return b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** UTF-8 (with or without BOM) unless it is not valid UTF-8: then cp1251, the other encoding Excel in Russian saves. */
export function decodeText(b: Buffer): string {
  const body = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return new TextDecoder('windows-1251').decode(body);
  }
}

/** `;` or `,` — whichever splits the header line into more fields outside quotes. */
export function sniffDelimiter(text: string): ';' | ',' | '\t' {
  const line = text.slice(0, text.search(/\r?\n|$/));
  const count = (d: string) => line.replace(/"[^"]*"/g, '').split(d).length;
  const [best] = ([';', ',', '\t'] as const).map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return best![0];
}

/** RFC 4180 CSV (quotes, doubled quotes, newlines in quotes); yields every CHUNK rows. */
export async function* csvRows(text: string, delimiter: string): AsyncGenerator<Cells> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      yield row;
      row = [];
      if (++n % CHUNK === 0) await yieldToLoop();
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield row;
  }
}

/** A cell as the text a person sees; dates as YYYY-MM-DD. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

/** The first worksheet of an XLSX, streamed: the reader never holds the whole sheet's model. */
export async function* xlsxRows(b: Buffer): AsyncGenerator<Cells> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([b]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  let n = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      // row.values is 1-based; a row number gap means empty rows, which carry nothing.
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      yield cells;
      if (++n % CHUNK === 0) await yieldToLoop();
    }
    return; // only the first sheet
  }
}

/** Rows of an uploaded file, CSV or XLSX by its content (not its name). */
export function fileRows(b: Buffer): { rows: AsyncGenerator<Cells>; kind: 'xlsx' | 'csv'; total: number | null } {
  if (isZip(b)) return { rows: xlsxRows(b), kind: 'xlsx', total: null };
  if (b.includes(0)) throw new DomainError('IMPORT_FILE_UNREADABLE');
  const text = decodeText(b);
  const total = (text.match(/\n/g)?.length ?? 0) + (text.endsWith('\n') ? 0 : 1) - 1;
  return { rows: csvRows(text, sniffDelimiter(text)), kind: 'csv', total: Math.max(0, total) };
}
