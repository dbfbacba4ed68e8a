import { ToolError } from '@bulwark/runtime';
import type { SqlDriver, TableSummary } from './driver.js';
import { show } from './internal/text.js';

/** One table in a {@link CatalogSummary}. */
export interface SummaryTable {
  schema?: string;
  name: string;
  type: TableSummary['type'];
  /** Absent when the table could not be described (see `error`). */
  columns?: { name: string; type: string; nullable: boolean }[];
  /** Why the table could not be described (a broken view, a table dropped meanwhile). */
  error?: string;
}

/** Tables with their columns: what the `schema` resource and the `write_query` prompt show. */
export interface CatalogSummary {
  tables: SummaryTable[];
  /** Tables in the database (or schema), described or not. */
  total_tables: number;
  /** True when only the first `maxTables` were described. */
  truncated: boolean;
}

/**
 * Lists the tables (`listTables`) and describes the first `maxTables` of them one at a time
 * (`describeTable`, so a large catalog is not hit in parallel). A table that cannot be described
 * is kept with its error line instead of failing the whole summary.
 *
 * @param driver - the database
 * @param maxTables - most tables described
 * @returns the summary
 * @throws whatever `listTables` throws
 */
export async function loadCatalogSummary(driver: SqlDriver, maxTables: number): Promise<CatalogSummary> {
  const all = await driver.listTables();
  const tables: SummaryTable[] = [];
  for (const table of all.slice(0, maxTables)) {
    const entry: SummaryTable = {
      ...(table.schema !== undefined ? { schema: table.schema } : {}),
      name: table.name,
      type: table.type,
    };
    try {
      const described = await driver.describeTable(table.name, table.schema);
      entry.columns = described.columns.map(({ name, type, nullable }) => ({ name, type, nullable }));
    } catch (error) {
      entry.error = error instanceof ToolError ? error.message : 'The table could not be described.';
    }
    tables.push(entry);
  }
  return { tables, total_tables: all.length, truncated: all.length > tables.length };
}

/**
 * Renders a summary as one line per table, `schema.table(column type, ...)`, for a prompt.
 *
 * @param summary - from {@link loadCatalogSummary}
 * @returns the lines, with a closing note when tables were left out
 */
export function renderCatalogSummary(summary: CatalogSummary): string {
  const lines = summary.tables.map((table) => {
    const name = table.schema !== undefined ? `${show(table.schema)}.${show(table.name)}` : show(table.name);
    const kind = table.type === 'table' ? '' : ` [${table.type}]`;
    if (!table.columns) return `${name}${kind}: not described (${table.error ?? 'unknown error'})`;
    return `${name}${kind}(${table.columns.map((column) => `${show(column.name)} ${column.type}`).join(', ')})`;
  });
  if (lines.length === 0) lines.push('(no tables)');
  if (summary.truncated) {
    lines.push(
      `[${summary.total_tables - summary.tables.length} more tables not shown; list_tables and describe_table show them.]`,
    );
  }
  return lines.join('\n');
}
