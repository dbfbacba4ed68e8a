// Fingerprints of everything a tool could change, read outside the server under test: a
// directory tree, a SQLite file, a PostgreSQL database, the loopback Slack workspace. Two equal
// fingerprints taken before and after a call prove the call changed nothing they cover.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { SlackWorkspace } from '@bulwark/testkit';
import { openSqliteReadOnly, type PgClient } from './drivers.js';

/** SHA-256 of bytes or text, hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One entry of a {@link snapshotTree} result. */
export type TreeEntry =
  | { type: 'file'; size: number; mode: number; mtimeMs: number; sha256: string }
  | { type: 'directory'; mode: number; mtimeMs: number }
  | { type: 'symlink'; target: string };

/**
 * Records every entry below a directory without following links: a file's size, permission
 * bits, modification time (ms) and content hash; a directory's permission bits and modification
 * time; a link's target. Access times are left out: reading a file may move them, and the
 * snapshot itself reads every file.
 *
 * @param dir - absolute directory
 * @returns relative path → entry, in sorted path order
 */
export async function snapshotTree(dir: string): Promise<Record<string, TreeEntry>> {
  const result: Record<string, TreeEntry> = {};
  const walk = async (relative: string): Promise<void> => {
    for (const name of (await readdir(path.join(dir, relative))).sort()) {
      const entryPath = relative === '' ? name : `${relative}/${name}`;
      const absolute = path.join(dir, entryPath);
      const stats = await lstat(absolute);
      if (stats.isSymbolicLink()) {
        result[entryPath] = { type: 'symlink', target: await readlink(absolute) };
      } else if (stats.isDirectory()) {
        result[entryPath] = { type: 'directory', mode: stats.mode & 0o7777, mtimeMs: stats.mtimeMs };
        await walk(entryPath);
      } else {
        result[entryPath] = {
          type: 'file',
          size: stats.size,
          mode: stats.mode & 0o7777,
          mtimeMs: stats.mtimeMs,
          sha256: sha256(await readFile(absolute)),
        };
      }
    }
  };
  await walk('');
  return result;
}

/** What {@link sqliteState} records. */
export interface SqliteState {
  /** SHA-256 of the database file and of its `-wal` and `-journal` files when they exist. */
  files: Record<string, string>;
  /** Every row of `sqlite_schema`: type, name, table, root page, SQL. */
  schema: unknown[];
  /** `schema_version`, `user_version`, `application_id`, `page_count`, `freelist_count`. */
  pragmas: Record<string, unknown>;
  /** Per table: its row count and the SHA-256 of its rows (each row as JSON, sorted). */
  tables: Record<string, { rows: number; sha256: string }>;
}

/**
 * Fingerprints a SQLite database from outside the server: the file bytes, the catalog and every
 * table's rows, read through a read-only connection.
 *
 * @param file - the database file
 */
export function sqliteState(file: string): SqliteState {
  const files: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-journal']) {
    if (existsSync(`${file}${suffix}`)) files[`db${suffix}`] = sha256(readFileSync(`${file}${suffix}`));
  }
  const db = openSqliteReadOnly(file);
  try {
    const schema = db
      .prepare('SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY type, name')
      .all();
    const pragmas: Record<string, unknown> = {};
    for (const name of ['schema_version', 'user_version', 'application_id', 'page_count', 'freelist_count']) {
      pragmas[name] = db.pragma(name, { simple: true });
    }
    const tables: Record<string, { rows: number; sha256: string }> = {};
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const name of names) {
      const rows = db
        .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        .raw()
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
      tables[name] = { rows: rows.length, sha256: sha256(rows.join('\n')) };
    }
    return { files, schema, pragmas, tables };
  } finally {
    db.close();
  }
}

// Catalog queries whose answers together describe every object a statement could create, alter
// or drop in the database, and the database-wide settings; statistics (reltuples, relpages) are
// left out because autovacuum may refresh them at any moment.
const POSTGRES_CATALOG: Record<string, string> = {
  schemas: 'SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace ORDER BY nspname',
  relations: `SELECT n.nspname, c.relname, c.relkind, c.relfilenode, c.relnatts, c.relpersistence,
      c.relhasindex, c.relrowsecurity, obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY n.nspname, c.relname`,
  columns: `SELECT table_schema, table_name, column_name, ordinal_position, data_type, is_nullable,
      column_default, col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position) AS comment
    FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY table_schema, table_name, ordinal_position`,
  constraints: `SELECT n.nspname, conrelid::regclass::text AS relation, conname, contype,
      pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3`,
  indexes: `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3`,
  views: `SELECT schemaname, viewname, definition FROM pg_views
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  functions: `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args, md5(p.prosrc) AS source
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3`,
  triggers:
    'SELECT tgrelid::regclass::text AS relation, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2',
  policies:
    'SELECT schemaname, tablename, policyname, cmd, qual, with_check FROM pg_policies ORDER BY 1, 2, 3',
  sequences: 'SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2',
  extensions: 'SELECT extname, extversion FROM pg_extension ORDER BY 1',
  roles: 'SELECT rolname, rolsuper, rolcanlogin FROM pg_roles ORDER BY 1',
  settings: `SELECT coalesce(array_to_string(setconfig, ';'), '') AS config FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1`,
  grants: `SELECT table_schema, table_name, grantee, privilege_type FROM information_schema.role_table_grants
    WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3, 4`,
};

/** What {@link postgresState} records: each catalog query's rows, and per table a row count and hash. */
export interface PostgresState {
  /** Per catalog query, its rows as JSON text, sorted. */
  catalog: Record<string, string[]>;
  tables: Record<string, { rows: number; md5: string }>;
}

/**
 * Fingerprints a PostgreSQL database from outside the server: schemas, relations, columns,
 * constraints, indexes, views, functions, triggers, policies, sequences, extensions, roles,
 * database settings and grants, and the rows of every ordinary table outside the system schemas
 * (each row as text, sorted, hashed with md5 by the server). Three round trips: the catalog as
 * one JSON value, the table list, and every table's count and hash in one UNION ALL.
 *
 * @param client - a connection to the database, not the server's own
 */
export async function postgresState(client: PgClient): Promise<PostgresState> {
  const fields = Object.entries(POSTGRES_CATALOG).map(
    ([name, text]) => `'${name}', (SELECT coalesce(json_agg(q), '[]'::json) FROM (${text}) q)`,
  );
  const [answer] = (
    await client.query<{ catalog: Record<string, unknown[]> }>(
      `SELECT json_build_object(${fields.join(', ')}) AS catalog`,
    )
  ).rows;
  // json_agg keeps the subquery's order in practice; sorting makes the comparison independent of it.
  const catalog: Record<string, string[]> = {};
  for (const [name, rows] of Object.entries(answer?.catalog ?? {})) {
    catalog[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  const list = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`,
  );
  const tables: Record<string, { rows: number; md5: string }> = {};
  if (list.rows.length > 0) {
    const hashes = await client.query<{ name: string; rows: string; md5: string }>(
      list.rows
        .map(
          ({ name }) =>
            `SELECT ${quoteLiteral(name)} AS name, count(*)::text AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${name} t`,
        )
        .join(' UNION ALL '),
    );
    for (const row of hashes.rows) tables[row.name] = { rows: Number(row.rows), md5: row.md5 };
  }
  return { catalog, tables };
}

/** A SQL string literal. */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A deep copy of the loopback Slack workspace's state: every conversation (members, topic,
 * archive flag) and every message of every conversation (text, author, thread fields,
 * reactions, edits).
 *
 * @param workspace - the loopback API's workspace
 */
export function slackState(workspace: SlackWorkspace): {
  channels: unknown[];
  messages: Record<string, unknown[]>;
} {
  const messages: Record<string, unknown[]> = {};
  for (const channel of workspace.channels) {
    messages[channel.id] = structuredClone(workspace.messagesOf(channel.id));
  }
  return { channels: structuredClone(workspace.channels), messages };
}
