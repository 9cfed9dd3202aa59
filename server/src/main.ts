import { ConfigError, loadConfig } from './config/config.ts';
import { LockedError } from './runtime.ts';
import { auditCommand } from './cli/audit.command.ts';
import { backupCommand, restoreCommand } from './cli/backup.command.ts';
import { demoCommand, migrateCommand, startCommand } from './cli/server.command.ts';
import { userCommand } from './cli/user.command.ts';
import { simCommand } from './cli/sim.command.ts';
import { doctorCommand } from './cli/doctor.command.ts';
import { CliError } from './cli/cli-error.ts';

const HELP = `kuzet — the post server of a residential complex

Usage: kuzet <command> [options]

  start                 run the post server (PORT, KUZET_DATA_DIR, DATABASE_URL)
  demo                  seed the demo complex on first run, then run the server
  demo --seed-only      seed the demo complex and exit
  migrate               apply database migrations and exit
  sim [--cameras 12] [--port 8554]
                        run the camera simulator alone (RTSP on loopback)
  doctor                check this machine: ffmpeg (and its encoders), ffprobe, database, data dir,
                        free disk, ports, Chromium and GStreamer for the tests; exit 1 if the server
                        or the demo lacks something
  user add <login> --role <role> [--name <display name>] [--complex <id>] [--district <id>]
                        create a user; the password is read from stdin, or generated and printed
  user passwd <login>   set a new password (stdin, or generated and printed)
  user disable <login>  disable an account (its sessions end)
  user enable <login>   enable a disabled account
  user unlock <login>   lift the sign-in throttle of an account
  user list             list users
  audit verify          walk the audit chain; exit 1 and name the first bad row if it was tampered with
  backup <file>         write a consistent copy of the database and settings (not recordings)
  restore <file>        load a backup into an empty data dir / database

Environment: KUZET_DATA_DIR (./data), DATABASE_URL (PostgreSQL; default: embedded), PORT (8080),
KUZET_DEMO_PASSWORD, KUZET_LOG_LEVEL, KUZET_SIM_PORT (8554), KUZET_SIM_CAMERAS (12), KUZET_MEDIA (on|off).
See README.md.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return startCommand(config, rest);
    case 'demo':
      return demoCommand(config, rest);
    case 'migrate':
      return migrateCommand(config);
    case 'sim':
      return simCommand(rest);
    case 'doctor':
      return doctorCommand(config);
    case 'user':
      return userCommand(config, rest);
    case 'audit':
      return auditCommand(config, rest);
    case 'backup':
      return backupCommand(config, rest);
    case 'restore':
      return restoreCommand(config, rest);
    default:
      throw new CliError(`Unknown command "${command}". Run "kuzet help" for the list.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError || err instanceof ConfigError || err instanceof LockedError) {
      process.stderr.write(`kuzet: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kuzet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);

