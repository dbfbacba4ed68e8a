import path from 'node:path';
import { assertReadOnlySqlite, SqlGuardError, type SqliteStatementInfo } from '@bulwark/hardening/sql';
import { type Logger, ToolError } from '@bulwark/runtime';
import type {
  ExecuteResult,
  QueryOptions,
  QueryPage,
  SqlDriver,
  SqlParam,
  TableDescription,
  TableSummary,
} from '@bulwark/sql-tools';
import Database from 'better-sqlite3';
import { describeTable, listTables } from './catalog.js';
import { fromWorkerFailure, withEngineErrors } from './errors.js';
import { bindArguments } from './params.js';
import type { WorkerParam, WorkerReply } from './protocol.js';
import { QueryProcess } from './query-process.js';

/** How to open the database. */
export interface SqliteDriverOptions {
  /** Absolute path of an existing database file. */
  file: string;
  /** Open it read-write as well, for `execute`. */
  writable: boolean;
  logger: Logger;
}

/** One row of `EXPLAIN QUERY PLAN`: a plan step, its parent step, and what SQLite will do. */
export interface QueryPlanStep {
  id: number;
  parent: number;
  detail: string;
}

const CATALOG_BUSY_TIMEOUT_MS = 1000;

/** The refusal for `explain` with `analyze`. */
export const NO_EXPLAIN_ANALYZE =
  'SQLite has no EXPLAIN ANALYZE; explain without analyze shows the query plan, and query runs the statement.';

/**
 * The SQLite implementation of the SQL tools' driver.
 *
 * Three layers keep a read-only server read-only:
 * 1. the guard (`assertReadOnlySqlite` from `@bulwark/hardening/sql`) runs in this process, on a
 *    connection of its own, before any statement is run: statement kind, pragmas, refused
 *    functions, and SQLite's own `sqlite3_stmt_readonly`;
 * 2. the engine: the connection that runs `query` statements is opened `{ readonly: true,
 *    fileMustExist: true }` with `PRAGMA query_only = ON`, in write mode too (only `execute` has a
 *    read-write connection);
 * 3. budgets: the query process reads one page (rows, bytes) and stops; a statement past its time
 *    limit is stopped by killing its process.
 *
 * Statements run in a child process (see `worker.ts` and {@link QueryProcess}); the catalog
 * queries and `EXPLAIN QUERY PLAN` only compile or read the schema, and run on this process's
 * own connection.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly writable: boolean;
  readonly label: string;
  private readonly catalog: Database.Database;
  private readonly statements: QueryProcess;

  /**
   * Opens the database: a connection here for the guard and the catalog (read-only in read-only
   * mode, `query_only` in both), opened at once so that a file that is not a database fails the
   * start, and the query process, which starts once startup is done (see {@link QueryProcess}).
   *
   * @param options - file, mode, logger
   * @throws SqliteError when the file cannot be opened or is not a SQLite database
   */
  constructor(options: SqliteDriverOptions) {
    this.writable = options.writable;
    this.label = path.basename(options.file);
    // In write mode this connection is opened read-write (query_only still on) for one reason:
    // a statement stopped at its time limit dies with its process and leaves a hot journal, and
    // only a read-write connection can roll it back; a read-only one would fail until one does.
    // It never runs client SQL: it compiles it for the guard, runs EXPLAIN QUERY PLAN (which does
    // not run the statement) and fixed catalog queries.
    // Busy timeout: SQLite waits for a writer's lock by sleeping in this thread, which would stall
    // every call of the server (and the timers that stop statements); one second, not the default five.
    this.catalog = new Database(options.file, {
      readonly: !options.writable,
      fileMustExist: true,
      timeout: CATALOG_BUSY_TIMEOUT_MS,
    });
    try {
      this.catalog.pragma('query_only = ON');
      this.catalog.pragma('trusted_schema = OFF');
      // Fails now, with SQLite's message, for a file that is not a database.
      this.catalog.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (error) {
      this.catalog.close();
      throw error;
    }
    this.statements = new QueryProcess({ file: options.file, writable: options.writable }, options.logger);
  }

  async listTables(schema?: string): Promise<TableSummary[]> {
    // No connection that runs client SQL can create temp tables (query_only), so temp is empty.
    if (schema?.toLowerCase() === 'temp') return [];
    assertMainSchema(schema);
    return withEngineErrors(() => listTables(this.catalog));
  }

  async describeTable(table: string, schema?: string): Promise<TableDescription> {
    assertMainSchema(schema);
    return withEngineErrors(() => describeTable(this.catalog, table));
  }

  async query(sql: string, params: readonly SqlParam[], options: QueryOptions): Promise<QueryPage> {
    this.guard(sql);
    const reply = await this.statements.run(
      {
        op: 'query',
        sql,
        params: toWorkerParams(params),
        offset: options.offset,
        maxRows: options.maxRows,
        maxBytes: options.maxBytes,
      },
      options,
    );
    return unwrap(reply, 'query').page;
  }

  /**
   * `EXPLAIN QUERY PLAN` of one guarded statement, as `{ id, parent, detail }` steps. SQLite
   * compiles the statement without running it, so no time limit applies.
   *
   * @throws ToolError when `analyze` is asked (SQLite has no EXPLAIN ANALYZE), for a statement
   *   that already starts with EXPLAIN, and for engine errors
   * @throws SqlGuardError when the guard refuses the statement
   */
  async explain(
    sql: string,
    params: readonly SqlParam[],
    options: { analyze: boolean; timeoutMs: number; signal: AbortSignal },
  ): Promise<QueryPlanStep[]> {
    if (options.analyze) throw new ToolError(NO_EXPLAIN_ANALYZE);
    const info = this.guard(sql);
    if (info.kind === 'explain') {
      throw new ToolError('The statement already starts with EXPLAIN; send the statement itself.');
    }
    // The guard has checked that `sql` is one read-only statement; prefixing it changes nothing
    // about what it is, and the connection is read-only.
    const steps = withEngineErrors(
      () =>
        this.catalog
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...bindArguments(sql, toWorkerParams(params))) as QueryPlanStep[],
    );
    return steps.map(({ id, parent, detail }) => ({ id, parent, detail }));
  }

  async execute(
    sql: string,
    params: readonly SqlParam[],
    options: { maxRows: number; maxBytes: number; timeoutMs: number; signal: AbortSignal },
  ): Promise<ExecuteResult> {
    if (!this.writable) throw new ToolError('The server is read-only; start it with --allow-write to write.');
    const reply = await this.statements.run(
      {
        op: 'execute',
        sql,
        params: toWorkerParams(params),
        maxRows: options.maxRows,
        maxBytes: options.maxBytes,
      },
      options,
    );
    return unwrap(reply, 'execute').result;
  }

  async close(): Promise<void> {
    await this.statements.close();
    this.catalog.close();
  }

  /** The read-only guard, compiling on this process's read-only connection. */
  private guard(sql: string): SqliteStatementInfo {
    try {
      return assertReadOnlySqlite(sql, (statement) => this.catalog.prepare(statement));
    } catch (error) {
      if (error instanceof SqlGuardError) throw error;
      return withEngineErrors(() => {
        throw error;
      });
    }
  }
}

/** One database file is served: its schema is `main` (SQLite's name for it), and nothing is attached. */
function assertMainSchema(schema: string | undefined): void {
  if (schema !== undefined && schema.toLowerCase() !== 'main') {
    throw new ToolError('This server serves one database, main, with nothing attached; leave schema out.');
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans become 1 and 0. */
function toWorkerParams(params: readonly SqlParam[]): WorkerParam[] {
  return params.map((param) => (typeof param === 'boolean' ? (param ? 1 : 0) : param));
}

type Success<Op extends 'query' | 'execute'> = Extract<
  WorkerReply,
  Op extends 'query' ? { page: unknown } : { result: unknown }
>;

function unwrap<Op extends 'query' | 'execute'>(reply: WorkerReply, op: Op): Success<Op> {
  if (!reply.ok) throw fromWorkerFailure(reply.error, op);
  return reply as Success<Op>;
}
