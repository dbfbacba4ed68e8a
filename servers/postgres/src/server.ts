import type { Logger, ServerSpec } from '@bulwark/runtime';
import {
  DEFAULT_SQL_LIMITS,
  registerSqlPrompts,
  registerSqlResources,
  type SqlDeps,
  sqlTools,
} from '@bulwark/sql-tools';
import type { PostgresConfig } from './config.js';
import { PostgresDriver, type PostgresDriverOptions, type RolePrivileges } from './driver.js';
import { VERSION } from './version.js';

export type { PostgresConfig } from './config.js';
export { loadConfig } from './config.js';
export { PostgresDriver, type PostgresDriverOptions } from './driver.js';

/** How long startup waits for the privilege check before serving without it (ms). */
const PRIVILEGE_CHECK_MS = 3000;

/**
 * Builds the PostgreSQL server: one pooled driver shared by every connection, the shared SQL
 * tools, resources and prompts, and a least-privilege check whose result goes to stderr and
 * into the server instructions.
 *
 * The check runs while the rest of the server is built and set up: the spec's instructions are a
 * promise of its outcome, and the runtime serves no message until it has settled (at most
 * {@link PRIVILEGE_CHECK_MS}), as when the check was awaited here. The read-only guard does not
 * depend on it.
 *
 * @param config - from {@link loadConfig}
 * @param logger - stderr logger
 * @param options - driver options (the bin's hook before the guard's parser loads)
 * @returns the server spec and the driver (to close on shutdown)
 */
export async function createPostgresServer(
  config: PostgresConfig,
  logger: Logger,
  options: PostgresDriverOptions = {},
): Promise<{ spec: ServerSpec<SqlDeps>; driver: PostgresDriver }> {
  if (config.connectionFromArgv) {
    logger.warning(
      'the connection string was given on the command line, where every user can read it (ps); set DATABASE_URL instead',
    );
  }
  const driver = new PostgresDriver(config, logger, options);
  const warning = withTimeout(driver.checkPrivileges(), PRIVILEGE_CHECK_MS)
    .then(
      (privileges) => privilegeWarning(privileges, config.allowWrite),
      (error: unknown) => {
        logger.warning(`could not check the role's privileges: ${(error as Error).message}`);
        return undefined;
      },
    )
    .then((found) => {
      if (found) logger.warning(found);
      logger.info(`serving ${driver.label}${config.allowWrite ? ' (writes allowed)' : ' (read-only)'}`);
      return found;
    });
  // One turn of the event loop sends the connection's startup message; the database then starts
  // its backend while this process builds the rest of the server.
  await new Promise((resolve) => setImmediate(resolve));
  const deps: SqlDeps = {
    driver,
    limits: {
      ...DEFAULT_SQL_LIMITS,
      maxRows: config.maxRows,
      maxBytes: config.maxBytes,
      timeoutMs: config.timeoutMs,
    },
  };
  const spec: ServerSpec<SqlDeps> = {
    name: 'bulwark-postgres',
    title: 'Bulwark PostgreSQL',
    version: VERSION,
    instructions: warning.then((found) => instructions(config, found)),
    tools: sqlTools(driver, deps.limits),
    createDeps: () => deps,
    register: (server) => {
      registerSqlResources(server, deps, 'postgres');
      registerSqlPrompts(server, deps);
    },
    capabilities: { resources: {}, prompts: {} },
    logger,
  };
  return { spec, driver };
}

/**
 * The warning for a role that can do more than read, or undefined for a read-only role.
 *
 * @param privileges - from the startup check (undefined when it did not run)
 * @param allowWrite - whether the operator asked for writes
 */
export function privilegeWarning(
  privileges: RolePrivileges | undefined,
  allowWrite: boolean,
): string | undefined {
  if (!privileges || allowWrite) return undefined;
  const powers = [
    privileges.superuser ? 'is a superuser' : '',
    privileges.canWrite ? 'can write to tables' : '',
    privileges.canCreate ? 'can create roles or databases' : '',
  ].filter(Boolean);
  if (powers.length === 0) return undefined;
  return `the database role "${privileges.role}" ${powers.join(' and ')}; the read-only guard and READ ONLY transactions stand between it and the data, but a role with only SELECT grants is the safer setup (see the README)`;
}

function instructions(config: PostgresConfig, warning: string | undefined): string {
  return [
    'A PostgreSQL database. Write PostgreSQL SQL.',
    config.allowWrite
      ? 'query and explain are read-only; execute runs one writing statement in a transaction and asks for confirmation when the client supports it.'
      : 'The server is read-only: query and explain accept one SELECT, EXPLAIN (without ANALYZE) or allowlisted SHOW, and only side-effect-free functions.',
    `A page holds at most ${config.maxRows} rows or ${config.maxBytes} bytes; truncated results give next_cursor. Statements stop after ${config.timeoutMs / 1000} s.`,
    'Use list_schemas, list_tables and describe_table before writing a query; bind values with params ($1, $2) instead of inlining them.',
    warning ? `Warning: ${warning}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms).unref(),
    ),
  ]);
}
