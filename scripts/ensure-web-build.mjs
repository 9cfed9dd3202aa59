#!/usr/bin/env node
// Builds the web console when web/dist is missing or older than its sources,
// so `npm start` on a fresh clone serves the console without a separate step.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist/index.html');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'web/src')), newest(path.join(root, 'packages/contracts/src')), fs.statSync(path.join(root, 'web/index.html')).mtimeMs);
if (built >= sources) process.exit(0);
console.log('Building the web console (web/dist)…');
execSync('npm run build -w web', { cwd: root, stdio: 'inherit' });
