import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StdioServerOptions, type StdioSession, startStdioServer } from '@bulwark/testkit';
import pg from 'pg';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/**
 * Starts the built PostgreSQL server over stdio, with the connection string in DATABASE_URL (as
 * a host config would pass it).
 *
 * @param url - connection string
 * @param args - flags
 * @param options - era, elicitation
 */
export function startPostgresServer(
  url: string,
  args: string[] = [],
  options: Omit<StdioServerOptions, 'args'> = {},
): Promise<StdioSession> {
  return startStdioServer({
    ...options,
    args: [BIN, ...args],
    env: { DATABASE_URL: url, ...(options.env ?? {}) },
  });
}

/** Calls a tool and returns the raw result. */
export function call(session: StdioSession, name: string, args: Record<string, unknown> = {}) {
  return session.client.callTool({ name, arguments: args });
}

/**
 * Runs SQL directly against the database (test setup and checks), outside the server under test.
 *
 * @returns the rows
 */
export async function sql<Row = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

/**
 * A fingerprint of everything an attack could change: the canary rows, the relations, functions
 * and roles in the catalog, and the database-level settings.
 */
export async function databaseFingerprint(url: string): Promise<string> {
  const [row] = await sql<{ fingerprint: string }>(
    url,
    `SELECT md5(
       coalesce((SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM canary), '') || '|' ||
       (SELECT string_agg(c.relname::text || c.relkind::text, ',' ORDER BY c.relname) FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) || '|' ||
       (SELECT count(*) FROM pg_proc)::text || '|' ||
       (SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles) || '|' ||
       coalesce((SELECT string_agg(array_to_string(setconfig, ';'), ',') FROM pg_db_role_setting), '')
     ) AS fingerprint`,
  );
  return row?.fingerprint ?? '';
}
