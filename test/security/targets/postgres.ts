/**
 * The PostgreSQL server, read-only (its default), over the database the guard corpus describes
 * (see `test/corpus/postgres-guard.ts`: `canary`, sequence `s`, `evil_fn()`, `my_func()`), plus
 * tables whose rows, names, column names, defaults and comments carry hidden characters. The database is
 * `TEST_DATABASE_URL`'s server when set, else an embedded PGlite (see `startTestPostgres`).
 */
import { startTestPostgres } from '@bulwark/testkit';
import { databaseFingerprint, sql } from '../../../servers/postgres/test/helpers.js';
import { startServer } from '../lib/servers.js';
import { type Planted, plant, SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** What the PostgreSQL cases compute their arguments from. */
export interface PostgresFixture {
  /**
   * Per payload kind: the row value in `notes`, a table name, a column name of `wide` and that
   * column's default, the comment on table `commented.notes_<kind>`.
   */
  smuggle: Record<
    SmuggleKind,
    { id: number; row: Planted; table: Planted; column: Planted; defaultValue: Planted; comment: Planted }
  >;
}

/** What an attack could change: the guard corpus test's fingerprint, plus the sequence's state. */
async function stateOf(url: string): Promise<string> {
  const [fingerprint, sequence] = await Promise.all([
    databaseFingerprint(url),
    sql<{ last_value: string; is_called: boolean }>(url, 'SELECT last_value, is_called FROM s'),
  ]);
  return JSON.stringify({ fingerprint, sequence });
}

/** The PostgreSQL server in read-only mode (see the module comment). */
export const postgresTarget: Target<PostgresFixture> = {
  name: 'postgres',
  server: 'postgres',
  description:
    'postgres --timeout 5 (read-only default; DATABASE_URL: canary database, hidden-character rows and names)',
  async start(): Promise<StartedTarget<PostgresFixture>> {
    const db = await startTestPostgres();
    const smuggle = Object.fromEntries(
      SMUGGLE_KINDS.map((kind, index) => [
        kind,
        {
          id: index + 1,
          row: plant('row-', kind),
          table: plant('tbl-', kind, { short: true }),
          column: plant('col-', kind, { short: true }),
          defaultValue: plant('default-', kind),
          comment: plant('comment-', kind),
        },
      ]),
    ) as PostgresFixture['smuggle'];
    const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
    await sql(
      db.url,
      `
      CREATE TABLE canary (id integer PRIMARY KEY, note text NOT NULL);
      INSERT INTO canary VALUES (1, 'alive'), (2, 'still alive');
      CREATE SEQUENCE s;
      CREATE FUNCTION evil_fn() RETURNS int LANGUAGE sql AS $$ DELETE FROM canary RETURNING id $$;
      CREATE FUNCTION my_func() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
      CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);
      CREATE SCHEMA commented;
      ${SMUGGLE_KINDS.map((kind) => {
        const planted = smuggle[kind];
        return `INSERT INTO notes VALUES (${planted.id}, ${literal(planted.row.raw)});
          CREATE TABLE ${ident(planted.table.raw)} (x integer);
          CREATE TABLE commented.notes_${kind.replace('-', '_')} (x integer);
          COMMENT ON TABLE commented.notes_${kind.replace('-', '_')} IS ${literal(planted.comment.raw)};`;
      }).join('\n')}
      CREATE TABLE wide (id integer PRIMARY KEY, ${SMUGGLE_KINDS.map((kind) => `${ident(smuggle[kind].column.raw)} text DEFAULT ${literal(smuggle[kind].defaultValue.raw)}`).join(', ')});
    `,
    );
    const session = await startServer('postgres', ['--pool-size', String(db.maxPoolSize), '--timeout', '5'], {
      DATABASE_URL: db.url,
    });
    let last: string | undefined;
    return {
      session,
      fixture: { smuggle },
      forbidden: [],
      async watch() {
        // Nothing but the cases touches the database, so the state after one case is the state
        // before the next: one read per case instead of two.
        const before = last ?? (await stateOf(db.url));
        return async () => {
          const after = await stateOf(db.url);
          last = after;
          return after === before ? [] : [`database changed: ${before} -> ${after}`];
        };
      },
      async close() {
        await session.close();
        await db.close();
      },
    };
  },
};
