import { iinCheckDigit, type ImportJob, type ImportRowPage } from '@kuzet/contracts';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app.ts';
import { generateList, listCsv } from './testdata/list-generator.ts';

const iin = (first11: string) => `${first11}${iinCheckDigit(first11)}`;
const A = iin('87100840142'); // 1987-10-08, female
const B = iin('80041630025'); // 1980-04-16, male

describe('people import over HTTP', () => {
  let t: TestApp;
  let inspector: SignedIn;
  const call = (who: SignedIn, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const base = () => `/api/v1/complexes/${t.complexId}/people/imports`;
  const upload = async (file: Buffer, fileName = 'list.csv', who = inspector) => {
    const res = await call(who, 'POST', base(), { fileName, data: file.toString('base64') });
    expect(res.statusCode, res.body).toBe(202);
    return res.json<ImportJob>();
  };
  const ready = async (file: Buffer, fileName?: string) => {
    const job = await upload(file, fileName);
    await t.services.peopleImport.settled(t.complexId, job.id);
    return (await call(inspector, 'GET', `${base()}/${job.id}`)).json<ImportJob>();
  };
  const rows = async (id: string, status = '') => (await call(inspector, 'GET', `${base()}/${id}/rows?limit=200${status ? `&status=${status}` : ''}`)).json<ImportRowPage>();
  const personCount = async () => Number((await sql<{ n: string }>`select count(*) as n from persons`.execute(t.env.handle.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await createTestApp();
    inspector = await t.signIn('inspector');
  }, 120_000);
  afterAll(async () => t?.close());

  it('only the inspector and the admin import; the operator and the chief cannot', async () => {
    const body = { fileName: 'a.csv', data: Buffer.from('Блок;Квартира;Фамилия;Имя\n').toString('base64') };
    for (const role of ['operator', 'district_chief', 'partner'] as const) expect((await call(await t.signIn(role), 'POST', base(), body)).statusCode, role).toBe(403);
    expect((await call(await t.signIn('admin'), 'POST', base(), body)).statusCode).toBe(202);
  });

  it('reports progress while a 10,000-row file is checked, and answers other requests meanwhile', async () => {
    const apartments = Array.from({ length: 200 }, (_, i) => ({ buildingName: 'Блок 1', entranceNumber: 1, number: String(i + 1) }));
    const job = await upload(listCsv(generateList(apartments, 10_000, 0.05)));
    const seen: number[] = [];
    for (;;) {
      // Each poll is a full HTTP round trip through the app: answered while the preview runs.
      const j = (await call(inspector, 'GET', `${base()}/${job.id}`)).json<ImportJob>();
      seen.push(j.progress.done);
      if (j.state !== 'reading' && j.state !== 'checking') break;
      // inject() answers within one turn of the event loop; a browser's next poll comes in a later turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen.some((n) => n > 0 && n < 10_000), `progress seen: ${seen.join(',')}`).toBe(true);
    expect(seen.at(-1)).toBe(10_000);
  }, 120_000);

  it('reads English headers, `,`, no BOM, quoted fields, ФИО in one cell and addresses like «блок 3 кв 45»', async () => {
    const csv = ['Full name,Address,IIN,Phones,Role,Moved in', `"Сапарова Айгерим Болатовна","блок 3 кв 45",${A},"8 701 111 22 33; +7 (702) 444-55-66",Owner,2020-05-01`, `"Ким Олег","Блок 3, кв. 46",,87013334455,tenant,`].join('\n');
    const job = await ready(Buffer.from(csv));
    expect(job.columns.map((c) => c.field)).toEqual(['fullName', 'label', 'iin', 'phones', 'relation', 'movedIn']);
    const page = await rows(job.id);
    expect(page.items.map((r) => [r.status, r.name, r.apartment])).toEqual([
      ['new', 'Сапарова Айгерим Болатовна', 'Блок 3, кв. 45'],
      ['new', 'Ким Олег', 'Блок 3, кв. 46'],
    ]);
  });

  it('reads cp1251 (Excel «CSV (разделители — запятые)» in Russian Windows)', async () => {
    const text = `Блок;Подъезд;Квартира;Фамилия;Имя;Отчество;ИИН\r\nБлок 2;1;7;Ёлкина;Мария;Петровна;${B}\r\n`;
    const cp1251 = Buffer.from([...text].map((c) => (c === 'Ё' ? 0xa8 : c === 'ё' ? 0xb8 : c.charCodeAt(0) >= 0x410 ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))));
    const job = await ready(cp1251);
    expect((await rows(job.id)).items[0]).toMatchObject({ status: 'new', name: 'Ёлкина Мария Петровна', apartment: 'Блок 2, кв. 7', iin: B });
  });

  it('reads XLSX with date cells and numbers as Excel stores them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Лист1');
    ws.addRow(['Корпус', 'Кв.', 'Фамилия', 'Имя', 'Дата рождения', 'Телефон', 'Статус']);
    ws.addRow([4, 12, 'АХМЕТЖАНОВ', 'ДАУРЕН', new Date(Date.UTC(1991, 2, 15)), 87015556677, 'прописан']);
    const job = await ready(Buffer.from(await wb.xlsx.writeBuffer()), 'list.xlsx');
    expect((await rows(job.id)).items[0]).toMatchObject({ status: 'new', name: 'Ахметжанов Даурен', apartment: 'Блок 4, кв. 12' });
  });

  it('names each problem of a bad row', async () => {
    const csv = [
      'Блок;Подъезд;Квартира;Фамилия;Имя;ИИН;Дата рождения;Телефон;Роль;Дата заселения',
      `Блок 1;1;1;Иванов;Иван;${A.slice(0, 11)}${(Number(A[11]) + 1) % 10};;;;`,
      'Блок 1;1;9999;Петров;Пётр;;;;;',
      'Блок 1;1;2;;Анна;;;8 901 12;жилец;31.02.2020',
      `Блок 1;1;3;Смирнова;Ольга;${A};01.01.1990;;;`,
      'Блок 1;3;1;Орлов;Олег;;;;;',
    ].join('\n');
    const job = await ready(Buffer.from(csv));
    const codes = (await rows(job.id, 'invalid')).items.map((r) => [r.line, r.problems.map((p) => p.code)]);
    expect(codes).toEqual([
      [2, ['bad_iin']],
      [3, ['unknown_apartment']],
      [4, ['missing_last_name', 'bad_phone', 'bad_relation', 'bad_moved_in']],
      [5, ['birth_date_mismatch']],
      [6, ['unknown_apartment']], // apartment 1 is in entrance 1, not 3
    ]);
  });

  it('a file without name and apartment columns is refused with a reason', async () => {
    const job = await ready(Buffer.from('Колонка;Другая\n1;2\n'));
    expect(job).toMatchObject({ state: 'failed', error: 'IMPORT_NO_COLUMNS' });
  });

  it('a preview is confirmed only once, only in time, and not after the registry changed under it', async () => {
    const csv = (n: number) => Buffer.from(`Блок;Квартира;Фамилия;Имя\nБлок 5;${n};Тестов;Тест${n}\n`);
    const late = await ready(csv(1));
    t.clock.advance(31 * 60_000);
    expect((await call(inspector, 'POST', `${base()}/${late.id}/confirm`, {})).json<{ error: { code: string } }>().error.code).toBe('IMPORT_EXPIRED');

    const first = await ready(csv(2));
    const second = await ready(csv(3));
    const before = await personCount();
    expect((await call(inspector, 'POST', `${base()}/${first.id}/confirm`, {})).json<ImportJob>()).toMatchObject({ state: 'done', result: { created: 1 } });
    expect((await call(inspector, 'POST', `${base()}/${first.id}/confirm`, {})).json<{ error: { code: string } }>().error.code).toBe('IMPORT_NOT_READY');
    const stale = await call(inspector, 'POST', `${base()}/${second.id}/confirm`, {});
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('IMPORT_REGISTRY_CHANGED');
    expect(await personCount()).toBe(before + 1);
    const audit = await sql<{ details: string }>`select d.details::text as details from audit_log l join audit_details d on d.seq = l.seq where l.action = 'people.imported' order by l.seq desc limit 1`.execute(t.env.handle.db);
    expect(JSON.parse(audit.rows[0]!.details)).toMatchObject({ fileName: 'list.csv', rows: 1, created: 1, updated: 0 });
  });

  it('exports a CSV Excel in Russian opens (BOM, `;`), IIN masked for the operator, audited; the export imports back unchanged', async () => {
    const list = Buffer.from(`Блок;Квартира;Фамилия;Имя;Отчество;ИИН;Телефон;Роль\nБлок 6;10;Нурланов;Ерлан;Сакенович;${B};8 705 123 45 67;собственник\n`);
    const job = await ready(list);
    await call(inspector, 'POST', `${base()}/${job.id}/confirm`, {});
    const url = `/api/v1/complexes/${t.complexId}/people/export`;
    const op = await call(await t.signIn('operator'), 'GET', url);
    expect(op.statusCode).toBe(200);
    expect(op.headers['content-type']).toContain('text/csv');
    expect([...op.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const opText = op.rawPayload.subarray(3).toString('utf8');
    expect(opText.split('\r\n')[0]).toBe('Блок;Подъезд;Квартира;Фамилия;Имя;Отчество;ИИН;Дата рождения;Телефоны;Роль;Дата заселения;Архив');
    // IIN and phone as text formulas (Excel keeps them as text), quoted by CSV's rules.
    expect(opText).toContain(`Блок 6;1;10;Нурланов;Ерлан;Сакенович;"=""${B.slice(0, 2)}••••••••${B.slice(10)}""";;"=""+7 705 123 45 67""";собственник`);
    expect(opText).not.toContain(B);
    const full = await call(inspector, 'GET', url);
    expect(full.rawPayload.toString('utf8')).toContain(`"=""${B}""";16.04.1980`);
    const audit = await sql<{ n: string }>`select count(*) as n from audit_log where action = 'people.exported'`.execute(t.env.handle.db);
    expect(Number(audit.rows[0]!.n)).toBe(2);
    const back = await ready(full.rawPayload, 'residents.csv');
    expect(back.counts).toMatchObject({ new: 0, changed: 0, invalid: 0, missing: 0 });
    expect(back.counts!.unchanged).toBeGreaterThan(0);
  });
});
