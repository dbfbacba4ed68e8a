import { readFileSync } from 'node:fs';
import { type CliOption, CliUsageError, parseCommandLine } from '@bulwark/runtime';

/** TLS for the database connection, as libpq names the modes. */
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Everything the operator can set for the PostgreSQL server. */
export interface PostgresConfig {
  /** Connection string; from DATABASE_URL (argv is accepted but warned about: `ps` shows it). */
  connectionString: string;
  /** True when the connection string came from argv. */
  connectionFromArgv: boolean;
  /** Register `execute` and allow EXPLAIN ANALYZE. */
  allowWrite: boolean;
  sslMode: SslMode;
  /** PEM certificate authority for verify-ca / verify-full. */
  sslCa?: string;
  /** Schemas for `SET LOCAL search_path` in every transaction (identifiers, quoted when applied). */
  searchPath?: string[];
  /** Connections in the pool. */
  poolSize: number;
  maxRows: number;
  maxBytes: number;
  /** statement_timeout for every statement, milliseconds. */
  timeoutMs: number;
  /** lock_timeout for every statement, milliseconds. */
  lockTimeoutMs: number;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  'allow-write': {
    type: 'boolean',
    env: 'BULWARK_PG_ALLOW_WRITE',
    help: 'Register execute and allow EXPLAIN ANALYZE (off: read-only).',
  },
  'ssl-mode': {
    type: 'string',
    env: 'PGSSLMODE',
    help: 'disable | prefer | require | verify-ca | verify-full (default prefer).',
  },
  'ssl-ca': {
    type: 'string',
    env: 'PGSSLROOTCERT',
    help: 'PEM file of the CA that signed the server certificate.',
  },
  'search-path': {
    type: 'string',
    env: 'BULWARK_PG_SEARCH_PATH',
    help: 'Comma-separated schemas to put on the search_path, e.g. app,public.',
  },
  'pool-size': { type: 'string', env: 'BULWARK_PG_POOL_SIZE', help: 'Connections in the pool (default 4).' },
  'max-rows': {
    type: 'string',
    env: 'BULWARK_PG_MAX_ROWS',
    help: 'Rows in one page of a result (default 1000).',
  },
  'max-bytes': {
    type: 'string',
    env: 'BULWARK_PG_MAX_BYTES',
    help: 'Bytes of JSON rows in one page (default 262144).',
  },
  timeout: { type: 'string', env: 'BULWARK_PG_TIMEOUT', help: 'statement_timeout in seconds (default 30).' },
  'lock-timeout': {
    type: 'string',
    env: 'BULWARK_PG_LOCK_TIMEOUT',
    help: 'lock_timeout in seconds (default 5).',
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE = 'DATABASE_URL=postgres://... bulwark-server-postgres [options]';

const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * Builds the configuration from argv and the environment.
 *
 * @param argv - arguments after the script
 * @param env - environment (DATABASE_URL, PG* and BULWARK_PG_* variables)
 * @returns the config, or `{ help: true }` / `{ version: true }`
 * @throws CliUsageError for unknown flags, bad numbers, an unreadable CA file or no connection string
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): PostgresConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const fromArgv = positionals[0];
  const connectionString = fromArgv ?? env.DATABASE_URL;
  if (!connectionString) {
    throw new CliUsageError('Set DATABASE_URL to the connection string (postgres://user@host:5432/db).');
  }
  if (positionals.length > 1) throw new CliUsageError('Give at most one connection string.');
  const sslMode = (values['ssl-mode'] as string | undefined) ?? 'prefer';
  if (!SSL_MODES.includes(sslMode as SslMode)) {
    throw new CliUsageError(`--ssl-mode must be one of ${SSL_MODES.join(', ')}.`);
  }
  let sslCa: string | undefined;
  if (typeof values['ssl-ca'] === 'string') {
    try {
      sslCa = readFileSync(values['ssl-ca'], 'utf8');
    } catch {
      throw new CliUsageError(`Cannot read the CA file given by --ssl-ca.`);
    }
  }
  const searchPath = (values['search-path'] as string | undefined)
    ?.split(',')
    .map((schema) => schema.trim())
    .filter(Boolean);
  return {
    connectionString,
    connectionFromArgv: fromArgv !== undefined,
    allowWrite: values['allow-write'] === true,
    sslMode: sslMode as SslMode,
    ...(sslCa ? { sslCa } : {}),
    ...(searchPath && searchPath.length > 0 ? { searchPath } : {}),
    poolSize: positiveInteger(values['pool-size'], 4, '--pool-size', 100),
    maxRows: positiveInteger(values['max-rows'], 1000, '--max-rows', 100_000),
    maxBytes: positiveInteger(values['max-bytes'], 256 * 1024, '--max-bytes', 64 * 1024 * 1024),
    timeoutMs: positiveInteger(values.timeout, 30, '--timeout', 3600) * 1000,
    lockTimeoutMs: positiveInteger(values['lock-timeout'], 5, '--lock-timeout', 3600) * 1000,
  };
}

function positiveInteger(value: unknown, fallback: number, flag: string, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1 || number > max) {
    throw new CliUsageError(`${flag} must be a whole number from 1 to ${max}.`);
  }
  return number;
}
