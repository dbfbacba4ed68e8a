// The database drivers the protocol suites read with, outside the servers under test.
import Database from 'better-sqlite3';
import pg from 'pg';

/** One `pg` (node-postgres) connection. */
export type PgClient = pg.Client;

/**
 * Opens a `pg` connection to a database.
 *
 * @param url - connection string
 * @param applicationName - shown in `pg_stat_activity`
 * @returns the connected client; `end()` it when done
 * @throws the driver's error when the connection fails
 */
export async function connectPostgres(url: string, applicationName = 'bulwark-protocol'): Promise<PgClient> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  return client;
}

/**
 * Opens an existing SQLite file read-only with `better-sqlite3`.
 *
 * @param file - the database file
 * @returns the connection; `close()` it when done
 * @throws SqliteError when the file does not exist or is not a database
 */
export function openSqliteReadOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}
