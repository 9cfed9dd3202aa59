import type { Config } from '../config/config.ts';
import { openRuntime } from '../runtime.ts';
import { CliError } from './cli-error.ts';

export async function auditCommand(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'verify') throw new CliError('Usage: kuzet audit verify');
  const rt = await openRuntime(config);
  try {
    const r = await rt.services.audit.verify();
    if (r.ok) {
      process.stdout.write(`Audit chain OK: ${r.rows} rows, head ${r.headSeq ?? 0}.\n`);
      return 0;
    }
    process.stdout.write(`Audit chain BROKEN at row ${r.firstBadSeq}: ${r.problem}\n`);
    return 1;
  } finally {
    await rt.close();
  }
}
