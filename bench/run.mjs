#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs bench/src/<name>.ts through tsx.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const dir = path.join(import.meta.dirname, 'src');
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
if (!name || !available.includes(name)) {
  console.log(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(name ? 1 : 0);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.bench.ts`), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
