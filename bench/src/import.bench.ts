// `npm run bench -- import [--rows 10000] [--residents 4000] [--engines pglite,postgres] [--format xlsx,csv]`
// The residents' import end to end, timed as the console drives it: a list of N rows
// (5 % bad) is previewed (read, checked, compared with the registry: the validation
// report) and confirmed (one transaction). Printed per engine and file format, with the
// re-import of the same file (nothing to write) and a newer list changing every row beside
// it. Issue 9's target: < 30 s. `bench -- search` prints the same figure (xlsx).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importLine, runImport, type ImportFigures } from './import-run.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    /** Residents already in the registry (the demo's 4,000): the list is compared with them. */
    residents: { type: 'string', default: '4000' },
    engines: { type: 'string', default: 'pglite,postgres' },
    format: { type: 'string', default: 'xlsx,csv' },
    'pg-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

console.log(`import of a residents' list, ${values.rows} rows with 5 % bad, into a registry of ${values.residents} (target: < 30 s end to end)`);
const results: ImportFigures[] = [];
for (const engine of values.engines!.split(',') as ('pglite' | 'postgres')[]) {
  for (const format of values.format!.split(',') as ('xlsx' | 'csv')[]) {
    const f = await runImport(engine, format, { rows: Number(values.rows), residents: Number(values.residents), pgUrl: values['pg-url']! });
    results.push(f);
    console.log(importLine(f));
  }
}
const out = path.resolve(import.meta.dirname, '../results');
fs.mkdirSync(out, { recursive: true });
const file = path.join(out, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2));
console.log(`→ ${file}`);
