import {
  assertReadOnlyPostgres,
  type PostgresGuardOptions,
  type PostgresStatementInfo,
} from '@bulwark/hardening/sql';
import { type Logger, ToolError } from '@bulwark/runtime';
import {
  type ColumnInfo,
  collectPageAsync,
  type ExecuteResult,
  type QueryOptions,
  type QueryPage,
  type SchemaSummary,
  type SqlDriver,
  type SqlParam,
  type TableDescription,
  type TableSummary,
} from '@bulwark/sql-tools';
import pg from 'pg';
import Cursor from 'pg-cursor';
import {
  FIND_TABLE,
  LIST_SCHEMAS,
  LIST_TABLES,
  REFERENTIAL_ACTIONS,
  RELATION_KINDS,
  ROLE_PRIVILEGES,
  SCHEMA_EXISTS,
  TABLE_COLUMNS,
  TABLE_CONSTRAINTS,
  TABLE_INDEXES,
  TYPE_NAMES,
} from './catalog.js';
import type { PostgresConfig } from './config.js';
import { toDatabaseError } from './errors.js';

/** How long past statement_timeout the driver waits before it closes the connection itself (ms). */
const DEADLINE_GRACE_MS = 1000;

/** Rows fetched from a cursor per round trip. */
const BATCH_ROWS = 500;

/** Options of {@link PostgresDriver} beyond its config. */
export interface PostgresDriverOptions {
  /**
   * Called once, right before the first statement reaches the read-only guard, whose parser
   * (WebAssembly) loads on that first use. The bin sets V8's WebAssembly flags here.
   */
  beforeParserLoad?: () => void;
}

/** What the connected role may do (for the least-privilege warning). */
export interface RolePrivileges {
  role: string;
  superuser: boolean;
  canCreate: boolean;
  canWrite: boolean;
}

/**
 * The PostgreSQL driver behind the SQL tools. Three layers keep reads read-only:
 * 1. `assertReadOnlyPostgres` (the real PostgreSQL parser, a whole-tree walk, a function allowlist);
 * 2. every read runs in `BEGIN READ ONLY` with `SET LOCAL statement_timeout` and `lock_timeout`,
 *    over the extended query protocol only (pg-cursor: Parse/Bind/Execute, which accepts exactly
 *    one statement), and always ends with ROLLBACK;
 * 3. the operator's role: the server warns at startup when it can write (see {@link checkPrivileges}).
 * Results stream through a cursor, so memory stays flat however large the table.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres';
  readonly writable: boolean;
  readonly label: string;
  readonly #pool: pg.Pool;
  readonly #config: PostgresConfig;
  readonly #typeNames = new Map<number, string>();
  #beforeParserLoad: (() => void) | undefined;

  /**
   * @param config - connection, pool and limits
   * @param logger - for connection errors of idle clients
   * @param options - a hook before the guard's parser loads
   */
  constructor(config: PostgresConfig, logger: Logger, options: PostgresDriverOptions = {}) {
    this.#config = config;
    this.#beforeParserLoad = options.beforeParserLoad;
    this.writable = config.allowWrite;
    this.label = describeTarget(config.connectionString);
    this.#pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'bulwark-postgres',
      ...sslOptions(config),
    });
    // An idle client whose server went away (restart, failover) is dropped here and replaced on
    // the next checkout; without a listener it would crash the process.
    this.#pool.on('error', (error) => logger.warning(`idle database connection lost: ${error.message}`));
    // A checked-out client emits 'error' when its connection dies (destroyed at a deadline or on
    // cancel, or the server went away), possibly a tick after the statement in flight rejected
    // with the same error. Every client keeps a listener for its whole life, so no late event is
    // ever unheard (which would end the process).
    this.#pool.on('connect', (client) => {
      client.on('error', (error) => logger.debug(`database connection closed: ${error.message}`));
    });
  }

  async listSchemas(): Promise<SchemaSummary[]> {
    const rows = await this.#catalog<{ name: string; owner: string; comment: string | null }>(
      LIST_SCHEMAS,
      [],
    );
    return rows.map((row) => ({
      name: row.name,
      owner: row.owner,
      ...(row.comment ? { comment: row.comment } : {}),
    }));
  }

  async listTables(schema?: string): Promise<TableSummary[]> {
    if (schema !== undefined) {
      const [found] = await this.#catalog<{ exists: boolean }>(SCHEMA_EXISTS, [schema]);
      if (!found?.exists)
        throw new ToolError(`There is no schema named "${schema}"; list_schemas shows them.`);
    }
    const rows = await this.#catalog<{
      schema: string;
      name: string;
      kind: keyof typeof RELATION_KINDS;
      estimate: number;
      comment: string | null;
    }>(LIST_TABLES, [schema ?? null]);
    return rows.map((row) => ({
      schema: row.schema,
      name: row.name,
      type: RELATION_KINDS[row.kind],
      ...(row.estimate >= 0 ? { rowEstimate: Math.round(row.estimate) } : {}),
      ...(row.comment ? { comment: row.comment } : {}),
    }));
  }

  async describeTable(table: string, schema?: string): Promise<TableDescription> {
    const candidates = await this.#catalog<{
      oid: string;
      schema: string;
      name: string;
      kind: keyof typeof RELATION_KINDS;
      comment: string | null;
      visible: boolean;
    }>(FIND_TABLE, [table, schema ?? null]);
    const found = candidates[0];
    if (!found) {
      throw new ToolError(
        `There is no table or view named "${table}"${schema ? ` in schema "${schema}"` : ''}; list_tables shows them.`,
      );
    }
    if (!schema && !found.visible && candidates.length > 1) {
      throw new ToolError(
        `Several schemas have a table named "${table}" (${candidates.map((c) => c.schema).join(', ')}); pass schema.`,
      );
    }
    const [columns, constraints, indexes] = await Promise.all([
      this.#catalog<{
        name: string;
        type: string;
        nullable: boolean;
        default: string | null;
        comment: string | null;
      }>(TABLE_COLUMNS, [found.oid]),
      this.#catalog<{
        name: string;
        type: string;
        definition: string;
        columns: string[];
        ref_schema: string | null;
        ref_table: string | null;
        ref_columns: string[];
        on_update: string;
        on_delete: string;
      }>(TABLE_CONSTRAINTS, [found.oid]),
      this.#catalog<{ name: string; unique: boolean; definition: string; columns: string[] }>(TABLE_INDEXES, [
        found.oid,
      ]),
    ]);
    return {
      schema: found.schema,
      name: found.name,
      type: RELATION_KINDS[found.kind],
      ...(found.comment ? { comment: found.comment } : {}),
      columns: columns.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.nullable,
        ...(column.default !== null ? { default: column.default } : {}),
        ...(column.comment ? { comment: column.comment } : {}),
      })),
      primaryKey: constraints.find((constraint) => constraint.type === 'p')?.columns ?? [],
      foreignKeys: constraints
        .filter((constraint) => constraint.type === 'f')
        .map((constraint) => ({
          name: constraint.name,
          columns: constraint.columns,
          ...(constraint.ref_schema ? { referencedSchema: constraint.ref_schema } : {}),
          referencedTable: constraint.ref_table ?? '',
          referencedColumns: constraint.ref_columns,
          onUpdate: REFERENTIAL_ACTIONS[constraint.on_update] ?? constraint.on_update,
          onDelete: REFERENTIAL_ACTIONS[constraint.on_delete] ?? constraint.on_delete,
        })),
      indexes: indexes.map((index) => ({
        name: index.name,
        columns: index.columns,
        unique: index.unique,
        definition: index.definition,
      })),
      constraints: constraints
        // NOT NULL constraints (named since PostgreSQL 18) are already each column's nullability.
        .filter((constraint) => !['p', 'f', 'n'].includes(constraint.type))
        .map((constraint) => ({
          name: constraint.name,
          type: { c: 'check', u: 'unique', x: 'exclusion', t: 'trigger' }[constraint.type] ?? constraint.type,
          definition: constraint.definition,
        })),
    };
  }

  async query(sql: string, params: readonly SqlParam[], options: QueryOptions): Promise<QueryPage> {
    await this.#guard(sql);
    return this.#transaction('read', options, async (client) => {
      const cursor = client.query(new Cursor(sql, [...params], { rowMode: 'array' }));
      let read: { page: QueryPage; fields: pg.FieldDef[] };
      try {
        read = await readPage(cursor, options);
      } finally {
        await closeCursor(cursor);
      }
      // Type names are looked up after the cursor is closed: while its portal is open it is the
      // connection's active query, and a second query on the connection would wait behind it.
      return { ...read.page, columns: await this.#columns(client, read.fields) };
    });
  }

  async explain(
    sql: string,
    params: readonly SqlParam[],
    options: { analyze: boolean; timeoutMs: number; signal: AbortSignal },
  ): Promise<unknown> {
    const analyze = options.analyze && this.writable;
    await this.#guard(sql, { allowAnalyze: analyze });
    // The explained statement passed the read-only walk, and the transaction is READ ONLY and
    // rolled back, so even ANALYZE (which runs it) changes nothing.
    return this.#transaction('read', options, async (client) => {
      const result = await client.query({
        text: `EXPLAIN (FORMAT JSON${analyze ? ', ANALYZE, BUFFERS' : ''}) ${sql}`,
        values: [...params],
        queryMode: 'extended',
      } as pg.QueryConfig);
      const [row] = result.rows as Record<string, unknown>[];
      return row ? Object.values(row)[0] : null;
    });
  }

  async execute(
    sql: string,
    params: readonly SqlParam[],
    options: { maxRows: number; maxBytes: number; timeoutMs: number; signal: AbortSignal },
  ): Promise<ExecuteResult> {
    if (!this.writable)
      throw new ToolError('The server is read-only; start it with --allow-write to run writes.');
    return this.#transaction('write', options, async (client) => {
      // The extended protocol accepts exactly one statement, so `a; b` is refused by PostgreSQL.
      const cursor = client.query(new Cursor(sql, [...params], { rowMode: 'array' }));
      let read: { page: QueryPage; fields: pg.FieldDef[] };
      try {
        read = await readPage(cursor, { ...options, offset: 0 });
        // Drain what is left so the command completes and reports its row count.
        while ((await readBatch(cursor, BATCH_ROWS)).rows.length > 0);
      } finally {
        await closeCursor(cursor);
      }
      const rowsAffected =
        (cursor as unknown as { _result?: { rowCount?: number | null } })._result?.rowCount ?? 0;
      if (read.fields.length === 0) return { rowsAffected };
      return { rowsAffected, returning: { ...read.page, columns: await this.#columns(client, read.fields) } };
    });
  }

  /**
   * Reads the connected role's privileges, for the startup warning.
   *
   * @returns the privileges, or undefined when the database cannot be reached
   */
  async checkPrivileges(): Promise<RolePrivileges | undefined> {
    const [row] = await this.#catalog<{
      role: string;
      superuser: boolean;
      can_create: boolean;
      can_write: boolean;
    }>(ROLE_PRIVILEGES, []);
    return row
      ? { role: row.role, superuser: row.superuser, canCreate: row.can_create, canWrite: row.can_write }
      : undefined;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /** The read-only guard; the first call runs the `beforeParserLoad` hook first. */
  #guard(sql: string, options?: PostgresGuardOptions): Promise<PostgresStatementInfo> {
    const hook = this.#beforeParserLoad;
    this.#beforeParserLoad = undefined;
    hook?.();
    return assertReadOnlyPostgres(sql, options);
  }

  async #columns(client: pg.PoolClient, fields: readonly pg.FieldDef[]): Promise<ColumnInfo[]> {
    const unknown = [...new Set(fields.map((field) => field.dataTypeID))].filter(
      (oid) => !this.#typeNames.has(oid),
    );
    if (unknown.length > 0) {
      const result = await client.query({
        text: TYPE_NAMES,
        values: [unknown],
        queryMode: 'extended',
      } as pg.QueryConfig);
      for (const row of result.rows as { oid: number; name: string }[])
        this.#typeNames.set(row.oid, row.name);
    }
    return fields.map((field) => ({
      name: field.name,
      type: this.#typeNames.get(field.dataTypeID) ?? 'unknown',
    }));
  }

  /** Runs a catalog query (our own SQL, identifiers bound) over the extended protocol. */
  async #catalog<Row>(text: string, values: unknown[]): Promise<Row[]> {
    try {
      const result = await this.#pool.query({ text, values, queryMode: 'extended' } as pg.QueryConfig);
      return result.rows as Row[];
    } catch (error) {
      throw toDatabaseError(error, this.#config.timeoutMs);
    }
  }

  /**
   * Checks out a connection and runs `work` in a transaction: READ ONLY and always rolled back for
   * reads; committed only on success for writes. statement_timeout and lock_timeout are set with
   * SET LOCAL, so they end with the transaction. Cancelling the request destroys the connection,
   * which makes PostgreSQL abandon the statement.
   */
  async #transaction<T>(
    mode: 'read' | 'write',
    options: { timeoutMs: number; signal: AbortSignal },
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = Math.min(options.timeoutMs, this.#config.timeoutMs);
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toDatabaseError(error, timeoutMs);
    }
    let broken = false;
    let overran = false;
    const destroy = () => {
      broken = true;
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    };
    const onAbort = () => destroy();
    options.signal.addEventListener('abort', onAbort, { once: true });

    // statement_timeout is the engine's limit; this is ours, for when the engine does not honour
    // it (embedded PGlite, a pooler that swallows the cancel, a partitioned network).
    const deadline = setTimeout(() => {
      overran = true;
      destroy();
    }, timeoutMs + DEADLINE_GRACE_MS);
    deadline.unref();
    let committed = false;
    try {
      // One round trip for the transaction's setup: this text is ours alone (integers we format,
      // identifiers escaped), so the simple protocol's several statements per message are safe
      // here; the client's SQL only ever goes over the extended protocol. The parser behind the
      // guard reads string literals as standard_conforming_strings = on does, so the engine must too.
      const setup = [
        mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN',
        `SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`,
        `SET LOCAL lock_timeout = ${Math.floor(this.#config.lockTimeoutMs)}`,
        'SET LOCAL standard_conforming_strings = on',
      ];
      if (this.#config.searchPath) {
        setup.push(
          `SET LOCAL search_path TO ${this.#config.searchPath.map((schema) => client.escapeIdentifier(schema)).join(', ')}`,
        );
      }
      await client.query(setup.join('; '));
      const result = await work(client);
      if (mode === 'write') {
        await client.query('COMMIT');
        committed = true;
      }
      return result;
    } catch (error) {
      if (options.signal.aborted) throw new ToolError('The request was cancelled.');
      if (overran) {
        throw new ToolError(
          `The statement ran past its ${Math.round(timeoutMs / 1000)} s limit without stopping; the connection was closed to end it. Narrow it or raise --timeout.`,
        );
      }
      throw toDatabaseError(error, timeoutMs);
    } finally {
      clearTimeout(deadline);
      options.signal.removeEventListener('abort', onAbort);
      if (!committed && !broken) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
      client.release(broken ? true : undefined);
    }
  }
}

/**
 * Reads one page from an open cursor with the shared page cutter (offset, row cap, byte cap),
 * fetching BATCH_ROWS rows per round trip: memory holds one batch, never the whole result. The
 * page's columns carry names only; the caller adds type names once the cursor is closed.
 */
async function readPage(
  cursor: Cursor,
  options: Pick<QueryOptions, 'offset' | 'maxRows' | 'maxBytes' | 'signal'>,
): Promise<{ page: QueryPage; fields: pg.FieldDef[] }> {
  const first = await readBatch(cursor, BATCH_ROWS);
  const fields = first.result?.fields ?? [];
  async function* rows(): AsyncGenerator<readonly unknown[]> {
    for (let batch = first.rows; batch.length > 0; batch = (await readBatch(cursor, BATCH_ROWS)).rows) {
      yield* batch as unknown[][];
    }
  }
  const page = await collectPageAsync(
    fields.map((field) => ({ name: field.name, type: '' })),
    rows(),
    {
      offset: options.offset,
      maxRows: options.maxRows,
      maxBytes: options.maxBytes,
      check: () => options.signal.throwIfAborted(),
    },
  );
  return { page, fields };
}

/**
 * Closes a cursor's portal. A cursor that failed (its connection died, or the statement errored)
 * is left alone: close() would wait for a ReadyForQuery that a dead connection never sends.
 */
async function closeCursor(cursor: Cursor): Promise<void> {
  const { state } = cursor as unknown as { state?: string };
  if (state === 'error' || state === 'done') return;
  await cursor.close().catch(() => {});
}

function readBatch(
  cursor: Cursor,
  rows: number,
): Promise<{ rows: unknown[]; result: pg.QueryResult | undefined }> {
  return new Promise((resolve, reject) => {
    (
      cursor as unknown as {
        read(n: number, cb: (e: Error | undefined, r: unknown[], res?: pg.QueryResult) => void): void;
      }
    ).read(rows, (error, batch, result) => (error ? reject(error) : resolve({ rows: batch, result })));
  });
}

/** host:port/database from a connection string, never the user's password. */
function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname || ''}`;
  } catch {
    return 'postgres';
  }
}

/** pg TLS options for the libpq-style mode; `prefer` leaves TLS to the connection string. */
function sslOptions(config: PostgresConfig): { ssl?: pg.ConnectionConfig['ssl'] } {
  switch (config.sslMode) {
    case 'disable':
      return { ssl: false };
    case 'require':
      return { ssl: { rejectUnauthorized: false } };
    case 'verify-ca':
      return {
        ssl: {
          rejectUnauthorized: true,
          ...(config.sslCa ? { ca: config.sslCa } : {}),
          checkServerIdentity: () => undefined,
        },
      };
    case 'verify-full':
      return { ssl: { rejectUnauthorized: true, ...(config.sslCa ? { ca: config.sslCa } : {}) } };
    default:
      return {};
  }
}
