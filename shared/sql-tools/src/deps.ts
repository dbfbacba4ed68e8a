import type { ToolContext } from '@bulwark/runtime';
import type { SqlDriver } from './driver.js';

/** Budgets of the SQL tools. Every query page is cut by the first one it reaches. */
export interface SqlLimits {
  /** Most rows in one `query` page (and the upper bound of its `max_rows`). */
  maxRows: number;
  /** Most bytes of JSON-encoded rows in one page; at least one row is always returned. */
  maxBytes: number;
  /** Wall-clock limit for one statement, in milliseconds. */
  timeoutMs: number;
}

/** Default {@link SqlLimits}: 1000 rows, 256 KiB of JSON rows, 30 s per statement. */
export const DEFAULT_SQL_LIMITS: Readonly<SqlLimits> = Object.freeze({
  maxRows: 1000,
  maxBytes: 256 * 1024,
  timeoutMs: 30_000,
});

/** What every SQL tool handler, resource and prompt receives: one per client connection. */
export interface SqlDeps {
  /** The database (SQLite or PostgreSQL), already guarded by its driver. */
  driver: SqlDriver;
  /** Budgets applied to every query. */
  limits: SqlLimits;
}

/** The context type every SQL tool handler annotates its second parameter with. */
export type SqlContext = ToolContext<SqlDeps>;
