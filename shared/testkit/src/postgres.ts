import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL database for one test file or demo run. */
export interface TestPostgres {
  /** Connection string for the database (trust auth, no password). */
  url: string;
  /** `postgres` when TEST_DATABASE_URL named a real server, `pglite` for the embedded engine. */
  kind: 'postgres' | 'pglite';
  /**
   * Largest connection pool that keeps transactions apart: the PGlite socket server runs every
   * connection's statements on one session, so only one connection may be used at a time.
   */
  maxPoolSize: number;
  /**
   * Drops every client connection, as a server restart would: terminates the backends of
   * `applicationName` (real server) or restarts the socket server on the same port (PGlite).
   */
  restart(applicationName: string): Promise<void>;
  /** Drops the database (real server) or stops the engine (PGlite). */
  close(): Promise<void>;
}

/**
 * Provides a fresh, empty PostgreSQL database. With `TEST_DATABASE_URL` set (CI sets it to the
 * machine's server at 127.0.0.1:5432) a new database `bulwark_test_<random>` is created there and
 * dropped on close; without it an embedded PGlite (PostgreSQL compiled to WASM) is started and
 * served on a loopback port through its socket server, so the real `pg` driver talks to it.
 *
 * @param env - where TEST_DATABASE_URL is read from
 * @returns the database
 */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  const admin = env.TEST_DATABASE_URL;
  if (admin) {
    const name = `bulwark_test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgres',
      maxPoolSize: 8,
      async restart(applicationName) {
        const killer = new pg.Client({ connectionString: url.toString() });
        await killer.connect();
        try {
          await killer.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
            [applicationName, name],
          );
        } finally {
          await killer.end();
        }
      },
      async close() {
        const dropper = new pg.Client({ connectionString: admin });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  let server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(':').at(-1));
  return {
    url: `postgres://postgres@${address}/postgres`,
    kind: 'pglite',
    maxPoolSize: 1,
    async restart() {
      await server.stop();
      server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 8 });
      await server.start();
    },
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
