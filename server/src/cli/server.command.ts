import { parseArgs } from 'node:util';
import type { Config } from '../config/config.ts';
import { DEMO_RESIDENTS, DemoService } from '../modules/demo/demo.service.ts';
import { openRuntime } from '../runtime.ts';
import { startServer } from '../server.ts';

/** Returns -1: the server keeps the process alive until a signal. */
export async function startCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
  await startServer(config, { demo: values.demo ?? false });
  return -1;
}

export async function demoCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'seed-only': { type: 'boolean', default: false } } });
  if (!values['seed-only']) {
    await startServer(config, { demo: true });
    return -1;
  }
  const rt = await openRuntime(config);
  try {
    const r = await new DemoService(rt.handle.db, rt.services).seed(config.demoPassword, null, DEMO_RESIDENTS);
    if (!r) process.stdout.write('The demo complex is already there.\n');
    else {
      process.stdout.write(`Demo complex seeded; users: ${r.logins.map((l) => l.username).join(', ')}\n`);
      if (r.generatedPassword && r.logins[0]) process.stdout.write(`Password for all demo users (shown once): ${r.logins[0].password}\n`);
    }
    return 0;
  } finally {
    await rt.close();
  }
}

export async function migrateCommand(config: Config): Promise<number> {
  const rt = await openRuntime(config);
  await rt.close();
  process.stdout.write('Database is up to date.\n');
  return 0;
}
