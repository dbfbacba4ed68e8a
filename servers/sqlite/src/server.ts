import { statSync } from 'node:fs';
import { type Logger, type ServerSpec, ToolError } from '@bulwark/runtime';
import { registerSqlPrompts, registerSqlResources, type SqlDeps, sqlTools } from '@bulwark/sql-tools';
import Database from 'better-sqlite3';
import type { SqliteConfig } from './config.js';
import { SqliteDriver } from './driver.js';
import { VERSION } from './version.js';

export type { SqliteConfig } from './config.js';
export { loadConfig } from './config.js';
export { type QueryPlanStep, SqliteDriver, type SqliteDriverOptions } from './driver.js';

/**
 * Builds the SQLite server: checks the database file (it must exist unless `--allow-write
 * --create`), opens the driver and picks the tools (`execute` only with `--allow-write`).
 *
 * @param config - from {@link loadConfig}
 * @param logger - stderr logger
 * @returns the server spec for `createServerFactory`
 * @throws ToolError when the file does not exist (and may not be created), is not a regular file,
 *   or is not a SQLite database
 */
export async function createSqliteServer(config: SqliteConfig, logger: Logger): Promise<ServerSpec<SqlDeps>> {
  prepareFile(config);
  let driver: SqliteDriver;
  try {
    driver = new SqliteDriver({ file: config.file, writable: config.allowWrite, logger });
  } catch (error) {
    throw new ToolError(`Cannot open ${config.file} as a SQLite database: ${(error as Error).message}`);
  }
  const limits = config.limits;
  logger.info(`serving ${config.file} (${config.allowWrite ? 'read-write' : 'read-only'})`);
  return {
    name: 'bulwark-sqlite',
    title: 'Bulwark SQLite',
    version: VERSION,
    instructions: instructions(config),
    tools: sqlTools(driver, limits),
    createDeps: () => ({ driver, limits }),
    register: (server, deps) => {
      registerSqlResources(server, deps, 'sqlite', logger);
      registerSqlPrompts(server, deps, logger);
    },
    capabilities: { resources: {}, prompts: {} },
    logger,
  };
}

/** Refuses a missing file (no silent creation of an empty database) unless creation was asked for. */
function prepareFile(config: SqliteConfig): void {
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(config.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ToolError(`Cannot read ${config.file}: ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  if (stats && !stats.isFile()) throw new ToolError(`${config.file} is not a regular file.`);
  if (stats) return;
  if (!config.create) {
    throw new ToolError(
      `The database file ${config.file} does not exist; check the path, or pass --allow-write --create to create an empty database.`,
    );
  }
  new Database(config.file).close();
}

function instructions(config: SqliteConfig): string {
  const { maxRows, maxBytes, timeoutMs } = config.limits;
  return [
    'One SQLite database. Statements are SQLite SQL (placeholders ? or ?1, identifiers in double quotes).',
    'list_tables and describe_table show the schema; query runs one read-only statement (SELECT, WITH ... SELECT, VALUES, EXPLAIN, informational PRAGMA) and returns one page.',
    `A page holds at most ${maxRows} rows or ${maxBytes} bytes of JSON rows; a cut page says truncated and gives next_cursor.`,
    `A statement is stopped after ${timeoutMs / 1000} s.`,
    config.allowWrite
      ? 'Writes are allowed through execute: one statement per call, in a transaction that commits only when it succeeds.'
      : 'The server is read-only: the database is opened read-only and writes are refused.',
  ].join(' ');
}
