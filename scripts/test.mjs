#!/usr/bin/env node
// `npm test`: type check, lint, the unit/integration suite on PGlite, the same
// database-backed suite on PostgreSQL when TEST_DATABASE_URL is set, then the
// end-to-end suite in real Chromium. Prints one closing line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.tmp/test-reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
const args = process.argv.slice(2);
const only = (name) => args.length === 0 || args.includes(name);

function need(bin, hint) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`]);
  if (r.status !== 0) {
    console.error(`\n${bin} is missing. ${hint}\n`);
    process.exit(1);
  }
}

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

const pgUrl = process.env.TEST_DATABASE_URL;
const steps = [];
if (only('typecheck')) steps.push(() => run('type check', 'npm', ['run', '--silent', 'typecheck']));
if (only('lint')) steps.push(() => run('lint', 'npx', ['eslint', '.', '--max-warnings=0']));
if (only('unit'))
  steps.push(() =>
    run('unit and integration tests (PGlite)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reports}/unit-pglite.json`], {
      TEST_DATABASE_URL: '',
    }),
  );
// The PostgreSQL pass runs the files that open a database (the test-db helper), not the
// media-only ones, nor the crash tests whose subject is files on disk, not SQL (both ran on PGlite).
const ENGINE_NEUTRAL = new Set(['recording-kill.test.ts', 'recording-crash.test.ts', 'recorder-disk.test.ts']);
function databaseTests() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && !ENGINE_NEUTRAL.has(e.name) && /createTestApp|test-db|openDatabase/.test(fs.readFileSync(p, 'utf8'))) out.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'server/src'));
  return out;
}
if (only('unit') && pgUrl)
  steps.push(() =>
    run('database-backed tests (PostgreSQL)', 'npx', ['vitest', 'run', ...databaseTests(), '--reporter=default', '--reporter=json', `--outputFile.json=${reports}/unit-postgres.json`], {
      TEST_DATABASE_URL: pgUrl,
    }),
  );
if (only('e2e'))
  steps.push(() => {
    need('chromium', 'The end-to-end tests drive Debian\'s Chromium: run  apt-get update && apt-get install -y chromium');
    return (
      run('web build', 'node', ['scripts/ensure-web-build.mjs']) &&
      run('end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${reports}/e2e.json`])
    );
  });

let ok = true;
for (const step of steps) ok = step() && ok;

let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of fs.readdirSync(reports)) {
  const r = JSON.parse(fs.readFileSync(path.join(reports, f), 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (!ok && failed === 0) failed = 1; // a step failed outside the test runner (type check, lint, build)
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
