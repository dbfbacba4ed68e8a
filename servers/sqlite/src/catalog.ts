/**
 * Catalog queries: tables, views, columns, keys and indexes, read from `sqlite_schema` and the
 * pragma table-valued functions. Every table or index name is bound as a value (`?`), never
 * written into the SQL, so a name such as `x'); DROP TABLE t; --` is only ever a name.
 */
import { ToolError } from '@bulwark/runtime';
import type { TableDescription, TableSummary } from '@bulwark/sql-tools';
import type Database from 'better-sqlite3';

/** `LIKE` pattern of SQLite's internal objects (`sqlite_schema`, `sqlite_stat1`, autoindexes). */
const INTERNAL_NAMES = 'sqlite\\_%';

/**
 * Lists the tables and views of the main database, internal `sqlite_*` objects left out, sorted
 * by name. `rowEstimate` comes from `sqlite_stat1` when `ANALYZE` has filled it.
 *
 * @param db - a connection
 * @returns the tables and views
 */
export function listTables(db: Database.Database): TableSummary[] {
  const rows = db
    .prepare(
      `SELECT name, type FROM sqlite_schema
       WHERE type IN ('table', 'view') AND name NOT LIKE ? ESCAPE '\\'
       ORDER BY name`,
    )
    .all(INTERNAL_NAMES) as { name: string; type: 'table' | 'view' }[];
  const estimates = rowEstimates(db);
  return rows.map((row) => {
    const estimate = estimates.get(row.name);
    return {
      name: row.name,
      type: row.type,
      ...(estimate !== undefined ? { rowEstimate: estimate } : {}),
    };
  });
}

/** Row counts that `ANALYZE` recorded: the first number of any `sqlite_stat1` row of a table. */
function rowEstimates(db: Database.Database): Map<string, number> {
  const hasStats = db
    .prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`)
    .get('sqlite_stat1');
  if (!hasStats) return new Map();
  const rows = db
    .prepare('SELECT tbl, max(CAST(stat AS INTEGER)) AS n FROM sqlite_stat1 GROUP BY tbl')
    .all() as { tbl: string; n: number | null }[];
  return new Map(rows.filter((row) => typeof row.n === 'number').map((row) => [row.tbl, row.n as number]));
}

interface ColumnRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

interface IndexRow {
  name: string;
  unique: number;
  origin: string;
}

/**
 * Describes one table or view of the main database: columns (type as declared, `any` when none;
 * nullability; default expression), primary key, foreign keys, indexes. SQLite keeps CHECK
 * constraints only inside the CREATE statement, so `constraints` holds that statement whole, as
 * one entry of type `definition`, rather than a parse of it.
 *
 * A column is nullable unless it is declared NOT NULL or is part of a primary key that SQLite
 * enforces as not null: an INTEGER PRIMARY KEY (the rowid) or the key of a WITHOUT ROWID table.
 * (Other primary key columns of rowid tables accept NULL in SQLite, for historical reasons.)
 *
 * @param db - a connection
 * @param table - the table or view name, matched as SQLite matches names (ASCII case-insensitive)
 * @returns the description
 * @throws ToolError when there is no such table or view
 */
export function describeTable(db: Database.Database, table: string): TableDescription {
  const found = db
    .prepare(
      `SELECT name, type, sql FROM sqlite_schema
       WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE
       ORDER BY name = ? DESC LIMIT 1`,
    )
    .get(table, table) as { name: string; type: 'table' | 'view'; sql: string | null } | undefined;
  if (!found) throw new ToolError(`No table or view named "${table}"; list_tables shows the names.`);
  const { name, type } = found;

  const columns = (db.prepare('SELECT * FROM pragma_table_xinfo(?) ORDER BY cid').all(name) as ColumnRow[])
    // hidden = 1: the hidden columns of a virtual table (2 and 3 are generated columns, kept).
    .filter((column) => column.hidden !== 1);
  const keyColumns = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
  const withoutRowid =
    type === 'table' &&
    (db.prepare('SELECT wr FROM pragma_table_list(?)').get(name) as { wr: number } | undefined)?.wr === 1;
  const rowidAlias =
    type === 'table' &&
    !withoutRowid &&
    keyColumns.length === 1 &&
    keyColumns[0]?.type.toUpperCase() === 'INTEGER';

  return {
    name,
    type,
    columns: columns.map((column) => ({
      name: column.name,
      type: column.type || 'any',
      nullable: column.notnull === 0 && !(column.pk > 0 && (withoutRowid || rowidAlias)),
      ...(column.dflt_value !== null ? { default: column.dflt_value } : {}),
    })),
    primaryKey: keyColumns.map((column) => column.name),
    foreignKeys: type === 'table' ? foreignKeys(db, name) : [],
    indexes: type === 'table' ? indexes(db, name) : [],
    constraints: found.sql ? [{ name, type: 'definition', definition: found.sql }] : [],
  };
}

function foreignKeys(db: Database.Database, table: string): TableDescription['foreignKeys'] {
  const rows = db
    .prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq')
    .all(table) as ForeignKeyRow[];
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.values()].map((parts) => {
    const first = parts[0]!;
    // REFERENCES parent (without columns) means the parent's primary key.
    const referenced = parts.some((part) => part.to === null)
      ? primaryKeyOf(db, first.table)
      : parts.map((part) => part.to as string);
    return {
      columns: parts.map((part) => part.from),
      referencedTable: first.table,
      referencedColumns: referenced,
      ...(first.on_update && first.on_update !== 'NO ACTION' ? { onUpdate: first.on_update } : {}),
      ...(first.on_delete && first.on_delete !== 'NO ACTION' ? { onDelete: first.on_delete } : {}),
    };
  });
}

function primaryKeyOf(db: Database.Database, table: string): string[] {
  return (
    db.prepare('SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(table) as {
      name: string;
    }[]
  ).map((row) => row.name);
}

function indexes(db: Database.Database, table: string): TableDescription['indexes'] {
  const list = db.prepare('SELECT * FROM pragma_index_list(?) ORDER BY seq').all(table) as IndexRow[];
  const info = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno');
  const definition = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`);
  return list.map((index) => {
    const sql = (definition.get(index.name) as { sql: string | null } | undefined)?.sql;
    return {
      name: index.name,
      // An expression in the index has no column name.
      columns: (info.all(index.name) as { name: string | null }[]).map(
        (column) => column.name ?? '(expression)',
      ),
      unique: index.unique === 1,
      ...(sql ? { definition: sql } : {}),
    };
  });
}
