/**
 * The contract between the shared SQL tools and a database. Each server (SQLite, PostgreSQL)
 * implements it; the tools, resources and prompts are written once against it.
 *
 * Drivers own everything engine-specific: the read-only guard (every `query` and `explain` goes
 * through `@bulwark/hardening/sql` before the engine sees it), engine-level read-only, timeouts,
 * and identifier binding in catalog queries (identifiers are bound as values, never interpolated).
 * The shared helpers `collectPage`/`collectPageAsync` (row and byte caps, paging) and `toCell`
 * (JSON-safe cells) exist so that every driver cuts and converts results the same way.
 */

/** A bound query parameter. */
export type SqlParam = string | number | boolean | null;

/** A result column: its name and the engine's type name (`integer`, `text`, `timestamptz`, ...). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/**
 * A JSON-safe cell value: bigint and numeric become strings, dates ISO 8601 strings, byte arrays
 * `{ "$base64": "..." }`, JSON columns stay objects. `toCell` does the conversion.
 */
export type CellValue = string | number | boolean | null | Record<string, unknown> | unknown[];

/**
 * One page of a query result, cut by a row cap or a byte cap (`collectPage` builds it). A
 * truncated page always has at least one row, so paging always advances.
 */
export interface QueryPage {
  columns: ColumnInfo[];
  /** Rows as arrays in column order. */
  rows: CellValue[][];
  /** True when more rows exist after this page, or the byte cap stopped it. */
  truncated: boolean;
  /** Which cap stopped the page. */
  truncatedBy?: 'rows' | 'bytes';
  /** Offset (rows from the start of the result) at which the next page begins, when truncated. */
  nextOffset?: number;
}

/** Limits and cancellation for one read query. */
export interface QueryOptions {
  /** Rows to skip from the start of the result (a continuing page). */
  offset: number;
  /** Most rows in the page. */
  maxRows: number;
  /** Most bytes of JSON-encoded rows in the page (at least one row is always returned). */
  maxBytes: number;
  /** Wall-clock limit for the statement, in milliseconds. */
  timeoutMs: number;
  /** Aborts when the client cancels the request. */
  signal: AbortSignal;
}

/** A schema (PostgreSQL) or attached database (SQLite). */
export interface SchemaSummary {
  name: string;
  owner?: string;
  comment?: string;
}

/** A table or view. */
export interface TableSummary {
  schema?: string;
  name: string;
  type: 'table' | 'view' | 'materialized view' | 'foreign table' | 'partitioned table';
  /** The engine's estimate, when it has one (never a full count). */
  rowEstimate?: number;
  comment?: string;
}

/** Everything about one table a model needs to write a query against it. */
export interface TableDescription {
  schema?: string;
  name: string;
  type: TableSummary['type'];
  comment?: string;
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    default?: string;
    comment?: string;
  }[];
  primaryKey: string[];
  foreignKeys: {
    name?: string;
    columns: string[];
    referencedSchema?: string;
    referencedTable: string;
    referencedColumns: string[];
    onUpdate?: string;
    onDelete?: string;
  }[];
  indexes: { name: string; columns: string[]; unique: boolean; definition?: string }[];
  /** Check and exclusion constraints (primary, foreign and unique keys are listed above). */
  constraints: { name: string; type: string; definition: string }[];
}

/** What a write statement did. */
export interface ExecuteResult {
  /** Rows inserted, updated or deleted (0 for DDL). */
  rowsAffected: number;
  /** Rows from a RETURNING clause, when there was one (capped like a query page). */
  returning?: QueryPage;
}

/** A database as the SQL tools see it. */
export interface SqlDriver {
  /** Which SQL the model should write. */
  readonly dialect: 'sqlite' | 'postgres';
  /** True when the operator allowed writes (`--allow-write`): then `execute` is registered. */
  readonly writable: boolean;
  /** A short label for messages and resources (file name, or host/database; never a password). */
  readonly label: string;
  /** Schemas (PostgreSQL), ordered by name; undefined for engines without them. */
  listSchemas?(): Promise<SchemaSummary[]>;
  /**
   * Tables and views, ordered by schema, then name (the tools page through this list, so the
   * order must be stable).
   *
   * @param schema - restrict to one schema (PostgreSQL); all visible ones when omitted
   * @throws ToolError when the schema does not exist
   */
  listTables(schema?: string): Promise<TableSummary[]>;
  /**
   * @param table - table or view name, bound as a value
   * @param schema - its schema (PostgreSQL; default: the first on the search path that has it)
   * @throws ToolError when there is no such table
   */
  describeTable(table: string, schema?: string): Promise<TableDescription>;
  /**
   * Runs one read-only statement through the guard and returns one page of its result.
   *
   * @throws SqlGuardError when the guard refuses the statement
   * @throws ToolError for engine errors (syntax, unknown column, timeout), with the engine's message
   */
  query(sql: string, params: readonly SqlParam[], options: QueryOptions): Promise<QueryPage>;
  /**
   * Returns the engine's plan for one statement as JSON. The statement passes the read-only
   * guard in both modes, writable or not: `explain` is a read-only tool, and EXPLAIN ANALYZE of
   * a DELETE would delete. `analyze` runs the statement (the `explain` tool asks for it only
   * when `writable` is true, because running costs time and locks); drivers run it in a
   * transaction that is rolled back afterwards. PostgreSQL returns the `EXPLAIN (FORMAT JSON)`
   * document, SQLite the `EXPLAIN QUERY PLAN` rows as objects.
   *
   * @throws SqlGuardError when the statement is not read-only
   * @throws ToolError when `analyze` is asked of an engine that has no such mode
   * @throws ToolError for engine errors, with the engine's message
   */
  explain(
    sql: string,
    params: readonly SqlParam[],
    options: { analyze: boolean; timeoutMs: number; signal: AbortSignal },
  ): Promise<unknown>;
  /**
   * Runs one statement that may write, in a transaction that commits only when it succeeds.
   * Only called when `writable` is true, after the user confirmed it (when the client can ask).
   * Rows from a RETURNING clause are cut like a query page with offset 0.
   *
   * @throws ToolError for engine errors, with the engine's message; nothing is committed
   */
  execute(
    sql: string,
    params: readonly SqlParam[],
    options: { maxRows: number; maxBytes: number; timeoutMs: number; signal: AbortSignal },
  ): Promise<ExecuteResult>;
  /** Releases connections and workers. */
  close(): Promise<void>;
}
