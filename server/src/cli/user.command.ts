import { parseArgs } from 'node:util';
import { CreateUserRequest, Password, Role } from '@kuzet/contracts';
import type { Config } from '../config/config.ts';
import { DomainError } from '../platform/errors.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { CliError } from './cli-error.ts';
import { passwordFromStdinOrGenerate } from './read-secret.ts';

export async function userCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      complex: { type: 'string' },
      district: { type: 'string' },
    },
  });
  const login = positionals[0];
  if (sub !== 'list' && !login) throw new CliError(`Usage: kuzet user ${sub ?? '<add|passwd|disable|enable|unlock|list>'} <login>`);
  const rt = await openRuntime(config);
  try {
    switch (sub) {
      case 'add':
        return await add(rt, login!, values);
      case 'passwd':
        return await passwd(rt, login!);
      case 'disable':
      case 'enable':
        return await setDisabled(rt, login!, sub === 'disable');
      case 'unlock': {
        const row = await mustFind(rt, login!);
        await rt.services.auth.unlockAccount(null, row);
        process.stdout.write(`Sign-in throttle lifted for ${row.username}.\n`);
        return 0;
      }
      case 'list': {
        const rows = await rt.services.users.listAllForCli();
        for (const r of rows) process.stdout.write(`${r.username.padEnd(24)} ${r.role.padEnd(16)} ${r.disabled ? 'disabled' : ''}\n`);
        return 0;
      }
      default:
        throw new CliError('Usage: kuzet user <add|passwd|disable|enable|unlock|list> <login>');
    }
  } catch (err) {
    if (err instanceof DomainError) throw new CliError(err.message);
    throw err;
  } finally {
    await rt.close();
  }
}

async function add(rt: Runtime, login: string, v: { role?: string | undefined; name?: string | undefined; complex?: string | undefined; district?: string | undefined }) {
  const role = Role.safeParse(v.role);
  if (!role.success) throw new CliError(`--role must be one of: ${Role.options.join(', ')}`);
  const { password, generated } = await passwordFromStdinOrGenerate();
  const input = CreateUserRequest.safeParse({
    username: login,
    displayName: v.name ?? login,
    password,
    role: role.data,
    complexId: v.complex ?? null,
    districtId: v.district ?? null,
  });
  if (!input.success) throw new CliError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const user = await rt.services.users.createSystem(input.data);
  process.stdout.write(`User ${user.username} (${user.role}) created.\n`);
  if (generated) process.stdout.write(`Password (shown once): ${password}\n`);
  return 0;
}

async function passwd(rt: Runtime, login: string) {
  const row = await mustFind(rt, login);
  const { password, generated } = await passwordFromStdinOrGenerate();
  const ok = Password.safeParse(password);
  if (!ok.success) throw new CliError(`The password must be at least 10 characters long.`);
  await rt.services.users.setPassword(row.id, password);
  await rt.services.audit.append({ action: 'user.password_reset', subjectType: 'user', subjectId: row.id, complexId: row.complexId, details: { via: 'cli' } });
  process.stdout.write(`Password of ${row.username} changed.\n`);
  if (generated) process.stdout.write(`New password (shown once): ${password}\n`);
  return 0;
}

async function setDisabled(rt: Runtime, login: string, disabled: boolean) {
  const row = await mustFind(rt, login);
  await rt.services.users.setDisabled(row.id, disabled);
  if (disabled) await rt.services.auth.revokeSessions(row.id);
  await rt.services.audit.append({
    action: disabled ? 'user.disabled' : 'user.updated',
    subjectType: 'user',
    subjectId: row.id,
    complexId: row.complexId,
    details: { disabled, via: 'cli' },
  });
  process.stdout.write(`${row.username} ${disabled ? 'disabled' : 'enabled'}.\n`);
  return 0;
}

async function mustFind(rt: Runtime, login: string) {
  const row = await rt.services.users.findRowByUsername(login);
  if (!row) throw new CliError(`No user "${login}".`);
  return row;
}
