import { ToolError } from '@bulwark/runtime';
import type {
  ColumnInfo,
  ExecuteResult,
  QueryOptions,
  QueryPage,
  SqlDriver,
  SqlParam,
  TableDescription,
  TableSummary,
} from '../src/driver.js';
import { collectPage } from '../src/paging.js';

/** One table of the test double: its description and its rows. */
export interface ArrayTable {
  description: TableDescription;
  rows: unknown[][];
}

/** Calls the test double recorded, for assertions. */
export interface DriverCall {
  method: 'query' | 'explain' | 'execute';
  sql: string;
  params: readonly SqlParam[];
  options: unknown;
}

/**
 * A test double of our own `SqlDriver` over plain arrays. It understands exactly these
 * statements: `SELECT * FROM <table> [-- comment]` (every row, in order), `SELECT $params` (one row of the
 * bound parameters) and, for `execute`, `DELETE FROM <table> [RETURNING *]`. Anything else is a
 * ToolError, like a syntax error from an engine. Pages are cut by the shared `collectPage`, as
 * real drivers do.
 */
export class ArrayDriver implements SqlDriver {
  readonly label = 'test.db';
  readonly calls: DriverCall[] = [];
  listSchemas?: () => Promise<{ name: string; owner?: string }[]>;

  constructor(
    readonly tables: ArrayTable[],
    readonly dialect: 'sqlite' | 'postgres' = 'sqlite',
    readonly writable = false,
  ) {
    if (dialect === 'postgres') {
      this.listSchemas = async () =>
        [...new Set(tables.map((table) => table.description.schema ?? 'public'))]
          .sort()
          .map((name) => ({ name, owner: 'postgres' }));
    }
  }

  async listTables(schema?: string): Promise<TableSummary[]> {
    return this.tables
      .filter((table) => schema === undefined || table.description.schema === schema)
      .map(({ description, rows }) => ({
        ...(description.schema !== undefined ? { schema: description.schema } : {}),
        name: description.name,
        type: description.type,
        rowEstimate: rows.length,
      }));
  }

  async describeTable(name: string, schema?: string): Promise<TableDescription> {
    const table = this.find(name, schema);
    if (!table) throw new ToolError(`There is no table "${name}"; list_tables shows the tables.`);
    return table.description;
  }

  async query(sql: string, params: readonly SqlParam[], options: QueryOptions): Promise<QueryPage> {
    this.calls.push({ method: 'query', sql, params, options });
    const { columns, rows } = this.run(sql, params);
    return collectPage(columns, rows, options);
  }

  async explain(
    sql: string,
    params: readonly SqlParam[],
    options: { analyze: boolean; timeoutMs: number; signal: AbortSignal },
  ): Promise<unknown> {
    this.calls.push({ method: 'explain', sql, params, options });
    this.run(sql, params);
    return [{ id: 2, parent: 0, detail: `SCAN ${sql.split(' ').pop()}`, analyze: options.analyze }];
  }

  async execute(
    sql: string,
    params: readonly SqlParam[],
    options: { maxRows: number; maxBytes: number; timeoutMs: number; signal: AbortSignal },
  ): Promise<ExecuteResult> {
    this.calls.push({ method: 'execute', sql, params, options });
    const match = /^DELETE FROM (\w+)( RETURNING \*)?$/i.exec(sql);
    const table = match?.[1] ? this.find(match[1]) : undefined;
    if (!table) throw new ToolError('near "?": syntax error');
    const deleted = table.rows.splice(0);
    const result: ExecuteResult = { rowsAffected: deleted.length };
    if (match?.[2]) result.returning = collectPage(columnsOf(table), deleted, { ...options, offset: 0 });
    return result;
  }

  async close(): Promise<void> {}

  private find(name: string, schema?: string): ArrayTable | undefined {
    return this.tables.find(
      (table) =>
        table.description.name === name && (schema === undefined || table.description.schema === schema),
    );
  }

  private run(sql: string, params: readonly SqlParam[]): { columns: ColumnInfo[]; rows: unknown[][] } {
    if (/^SELECT \$params$/i.test(sql)) {
      return {
        columns: params.map((_, index) => ({ name: `p${index + 1}`, type: '' })),
        rows: [[...params]],
      };
    }
    const match = /^SELECT \* FROM (\w+)\s*(?:--.*)?$/is.exec(sql);
    const table = match?.[1] ? this.find(match[1]) : undefined;
    if (!table) throw new ToolError('no such table or syntax error');
    return { columns: columnsOf(table), rows: table.rows };
  }
}

function columnsOf(table: ArrayTable): ColumnInfo[] {
  return table.description.columns.map(({ name, type }) => ({ name, type }));
}

/**
 * A table description with only columns (no keys), for fixtures.
 *
 * @param name - table name
 * @param columns - `[name, type]` pairs
 * @param schema - its schema, if any
 */
export function simpleTable(name: string, columns: [string, string][], schema?: string): TableDescription {
  return {
    ...(schema !== undefined ? { schema } : {}),
    name,
    type: 'table',
    columns: columns.map(([column, type]) => ({ name: column, type, nullable: true })),
    primaryKey: [],
    foreignKeys: [],
    indexes: [],
    constraints: [],
  };
}
