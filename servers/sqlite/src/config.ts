import path from 'node:path';
import {
  type CliOption,
  CliUsageError,
  parseCommandLine,
  parseSecondsOption,
  parseWholeNumberOption,
} from '@bulwark/runtime';
import { DEFAULT_SQL_LIMITS, type SqlLimits } from '@bulwark/sql-tools';

/** Everything the operator can set for the SQLite server. */
export interface SqliteConfig {
  /** Absolute path of the database file. */
  file: string;
  /** Open the file read-write and register `execute`. */
  allowWrite: boolean;
  /** Create the file when it does not exist (only with `allowWrite`). */
  create: boolean;
  /** Row, byte and time budgets of every query. */
  limits: SqlLimits;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  'allow-write': {
    type: 'boolean',
    env: 'BULWARK_SQLITE_ALLOW_WRITE',
    help: 'Open the database read-write and offer the execute tool.',
  },
  create: {
    type: 'boolean',
    env: 'BULWARK_SQLITE_CREATE',
    help: 'Create an empty database when DB_FILE does not exist (needs --allow-write).',
  },
  'max-rows': {
    type: 'string',
    env: 'BULWARK_SQLITE_MAX_ROWS',
    help: `Most rows in one result page (default ${DEFAULT_SQL_LIMITS.maxRows}).`,
  },
  'max-bytes': {
    type: 'string',
    env: 'BULWARK_SQLITE_MAX_BYTES',
    help: `Most bytes of JSON rows in one result page (default ${DEFAULT_SQL_LIMITS.maxBytes}).`,
  },
  timeout: {
    type: 'string',
    env: 'BULWARK_SQLITE_TIMEOUT',
    help: `Seconds one statement may run before it is stopped (default ${DEFAULT_SQL_LIMITS.timeoutMs / 1000}).`,
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE = 'bulwark-server-sqlite [options] DB_FILE   (or BULWARK_SQLITE_DB=DB_FILE)';

/**
 * Builds the configuration from argv and the environment. The database file comes from the one
 * positional argument, or from `BULWARK_SQLITE_DB` when there is none; it is resolved against the
 * working directory, so a name such as `file:x?mode=rwc` or `:memory:` is only ever a file name.
 * Whether the file exists is checked when the server starts (`createSqliteServer`).
 *
 * @param argv - arguments after the script
 * @param env - environment
 * @returns the config, or `{ help: true }` / `{ version: true }` when those were asked for
 * @throws CliUsageError for unknown flags, bad numbers, `--create` without `--allow-write`, or no
 *   database file (or more than one)
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): SqliteConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  if (positionals.length > 1) {
    throw new CliUsageError('Give exactly one database file; one server serves one database.');
  }
  const given = positionals[0] ?? env.BULWARK_SQLITE_DB;
  if (!given) throw new CliUsageError('Give the SQLite database file to serve, e.g. ./data.sqlite.');
  const allowWrite = values['allow-write'] === true;
  const create = values.create === true;
  if (create && !allowWrite) throw new CliUsageError('--create needs --allow-write.');
  return {
    file: path.resolve(given),
    allowWrite,
    create,
    limits: {
      maxRows: parseWholeNumberOption(
        values['max-rows'],
        '--max-rows',
        1,
        100_000,
        DEFAULT_SQL_LIMITS.maxRows,
      ),
      maxBytes: parseWholeNumberOption(
        values['max-bytes'],
        '--max-bytes',
        1024,
        64 * 1024 * 1024,
        DEFAULT_SQL_LIMITS.maxBytes,
      ),
      timeoutMs: parseSecondsOption(values.timeout, '--timeout', DEFAULT_SQL_LIMITS.timeoutMs / 1000) * 1000,
    },
  };
}
