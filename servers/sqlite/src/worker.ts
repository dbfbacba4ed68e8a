/**
 * The query process: a child of the server (`child_process.fork`) that owns the connections
 * statements run on, so that the server can stop a runaway statement by killing it.
 *
 * Why a process and not a worker thread: better-sqlite3 runs a statement inside one native call
 * (`sqlite3_step`), and its SQLite is built with SQLITE_OMIT_PROGRESS_CALLBACK and exposes no
 * `sqlite3_interrupt`. `Worker.terminate()` only stops JavaScript, so a thread stuck in
 * `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r` keeps a
 * core busy forever, and `process.exit()` then hangs joining it. SIGKILL stops a process at once.
 *
 * Connections: `reader` is opened `{ readonly: true, fileMustExist: true }` with
 * `PRAGMA query_only = ON` and serves every `query`, also in write mode; `writer` (write mode only)
 * serves `execute`. Requests arrive one at a time (the server queues them), so the synchronous
 * better-sqlite3 calls never interleave.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { assertWriteStatementSqlite, SqlGuardError, type SqlGuardRule } from '@bulwark/hardening/sql';
import Database from 'better-sqlite3';
import { bindArguments } from './params.js';
import type {
  ExecuteRequest,
  QueryRequest,
  WorkerFailure,
  WorkerFatal,
  WorkerOptions,
  WorkerReply,
  WorkerRequest,
} from './protocol.js';

/**
 * `collectPage` (and the `toCell` it uses), from the `@bulwark/sql-tools/paging` subpath: the
 * package index also loads zod, the MCP SDK and every tool (about 160 ms and 30 MB more for a
 * process whose whole job is to be cheap to replace). It is loaded with require(esm),
 * synchronously, so that the 'message' listener below is in place before the first request can
 * arrive (the IPC channel drops messages nobody listens to).
 */
const { collectPage } = createRequire(import.meta.url)('@bulwark/sql-tools/paging') as {
  collectPage: typeof import('@bulwark/sql-tools').collectPage;
};

interface Connections {
  reader: Database.Database;
  writer?: Database.Database;
}

watchParent();
// The server closed the channel (it is shutting down, or it died): nothing more will come.
process.on('disconnect', () => process.exit(0));
const connections = open(JSON.parse(process.argv[2] ?? '{}') as WorkerOptions);
if (connections) {
  process.on('message', (request: WorkerRequest) => {
    process.send?.(handle(connections, request) satisfies WorkerReply);
  });
}

function open({ file, writable }: WorkerOptions): Connections | undefined {
  try {
    let writer: Database.Database | undefined;
    if (writable) {
      writer = new Database(file, { fileMustExist: true });
      writer.pragma('trusted_schema = OFF');
      // The first read rolls back a hot journal that a killed execute may have left.
      writer.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    reader.pragma('query_only = ON');
    // Views and triggers stored in the file may only call innocuous functions: the guard reads the
    // statement's text, not the schema it runs against.
    reader.pragma('trusted_schema = OFF');
    return writer ? { reader, writer } : { reader };
  } catch (error) {
    process.send?.({ fatal: firstLine(error) } satisfies WorkerFatal, () => process.exit(1));
    return undefined;
  }
}

function handle({ reader, writer }: Connections, request: WorkerRequest): WorkerReply {
  try {
    if (request.op === 'query') return { id: request.id, ok: true, page: runQuery(reader, request) };
    return { id: request.id, ok: true, result: runExecute(writer, request) };
  } catch (error) {
    return { id: request.id, ok: false, error: toFailure(error) };
  }
}

/** Thrown for a statement this process will not run. */
class Refusal extends Error {
  constructor(
    readonly rule: SqlGuardRule,
    message: string,
  ) {
    super(message);
  }
}

function runQuery(reader: Database.Database, request: QueryRequest) {
  const statement = reader.prepare(request.sql);
  // The server's guard already checked this; a second look costs nothing.
  if (!statement.readonly) {
    throw new Refusal('not-read-only', 'SQLite reports that this statement can change the database.');
  }
  if (!statement.reader) {
    throw new Refusal(
      'statement-kind',
      'The statement returns no rows; query runs statements that return rows.',
    );
  }
  return readPage(statement, bindArguments(request.sql, request.params), request);
}

function runExecute(writer: Database.Database | undefined, request: ExecuteRequest) {
  if (!writer) throw new Error('execute on a read-only server');
  try {
    assertWriteStatementSqlite(request.sql, (text) => writer.prepare(text));
  } catch (error) {
    if (error instanceof SqlGuardError) throw new Refusal(error.rule, error.reason);
    throw error;
  }
  const statement = writer.prepare(request.sql);
  const db = writer;
  const args = bindArguments(request.sql, request.params);
  return db.transaction(() => {
    if (!statement.reader) {
      return { rowsAffected: Number(statement.run(...args).changes) };
    }
    // RETURNING: SQLite makes every change in the first step, so reading only a page of the
    // returned rows still applies all of them; changes() then counts them.
    const before = totalChanges(db);
    const returning = readPage(statement, args, { ...request, offset: 0 });
    const rowsAffected =
      totalChanges(db) === before ? 0 : Number(db.prepare('SELECT changes()').pluck().get());
    return { rowsAffected, returning };
  })();
}

/** Runs a row-returning statement and keeps one page, without reading the rest of the result. */
function readPage(
  statement: Database.Statement<unknown[]>,
  args: readonly unknown[],
  limits: { offset: number; maxRows: number; maxBytes: number },
) {
  statement.raw(true).safeIntegers(true);
  const columns = statement.columns().map((column) => ({ name: column.name, type: column.type || 'any' }));
  const rows = statement.iterate(...args) as IterableIterator<unknown[]>;
  // collectPage stops pulling after the page (plus one row to know that more exist); leaving the
  // for-of early calls return() on both iterators, which resets the statement.
  return collectPage(columns, exactIntegers(rows), {
    offset: limits.offset,
    maxRows: limits.maxRows,
    maxBytes: limits.maxBytes,
  });
}

/**
 * With `safeIntegers`, every INTEGER arrives as a bigint. Those that a JSON number holds exactly
 * (|n| <= 2^53 - 1) become numbers; larger ones stay bigint, which `toCell` turns into a decimal
 * string, so no 64-bit value ever loses precision.
 */
function* exactIntegers(rows: Iterable<unknown[]>): Generator<unknown[]> {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (typeof cell === 'bigint' && cell <= MAX_SAFE && cell >= -MAX_SAFE) row[i] = Number(cell);
    }
    yield row;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function totalChanges(db: Database.Database): number {
  return Number(db.prepare('SELECT total_changes()').pluck().get());
}

function toFailure(error: unknown): WorkerFailure {
  if (error instanceof Refusal) return { kind: 'refused', rule: error.rule, message: error.message };
  // SqliteError (syntax, no such table, constraint, readonly) and the RangeError / TypeError that
  // better-sqlite3 throws for statement counts and parameters all describe the SQL, not the server.
  if (error instanceof Database.SqliteError || error instanceof RangeError || error instanceof TypeError) {
    return { kind: 'engine', message: firstLine(error) };
  }
  return { kind: 'internal', message: firstLine(error) };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}

/**
 * A statement that never returns holds this process's only JavaScript thread, so it cannot notice
 * that the server is gone (killed with SIGKILL, no 'disconnect' delivered while busy). A watchdog
 * thread can: when this process is re-parented, it kills the process.
 */
function watchParent(): void {
  const watchdog = new Worker(
    `const { workerData } = require('node:worker_threads');
     setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL'); }, 1000);`,
    { eval: true, workerData: process.ppid },
  );
  watchdog.unref();
}
