import { existsSync } from 'node:fs';
import { type StdioSession, structuredOf, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createDatabase,
  createTempDir,
  readDatabase,
  schemaChecksum,
  startSqlite,
  type TempDir,
} from './helpers.js';

let temp: TempDir;
let file: string;
let session: StdioSession;

function notes(): unknown[][] {
  return readDatabase(
    file,
    (db) => db.prepare('SELECT id, body FROM notes ORDER BY id').raw(true).all() as unknown[][],
  );
}

beforeAll(async () => {
  temp = createTempDir();
  file = temp.path('notes.sqlite');
  createDatabase(file, (db) => {
    db.exec(`
      CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
      INSERT INTO notes (body) VALUES ('first');
    `);
  });
  session = await startSqlite(['--allow-write', '--timeout', '2', file]);
});

afterAll(async () => {
  await session?.close();
  temp?.remove();
});

describe('write mode', () => {
  it('lists execute after the read tools', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'list_tables',
      'describe_table',
      'query',
      'explain',
      'execute',
    ]);
    const execute = tools.find((tool) => tool.name === 'execute');
    expect(execute?.annotations?.readOnlyHint).toBe(false);
    expect(execute?.annotations?.destructiveHint).toBe(true);
  });

  it('inserts and commits: the file has the rows once the call returns', async () => {
    const result = structuredOf<{ rows_affected: number }>(
      await call(session, 'execute', {
        sql: 'INSERT INTO notes (body) VALUES (?), (?)',
        params: ['second', 'third'],
      }),
    );
    expect(result.rows_affected).toBe(2);
    expect(notes()).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 'third'],
    ]);
  });

  it('returns RETURNING rows and counts the changed rows', async () => {
    const result = structuredOf<{ rows_affected: number; returning?: { rows: unknown[][] } }>(
      await call(session, 'execute', {
        sql: "UPDATE notes SET body = body || '!' WHERE id >= ?1 RETURNING id, body",
        params: [2],
      }),
    );
    expect(result.rows_affected).toBe(2);
    expect(result.returning?.rows).toEqual([
      [2, 'second!'],
      [3, 'third!'],
    ]);
  });

  it('commits nothing when the statement fails part-way (the second row breaks UNIQUE)', async () => {
    const before = notes();
    const result = await call(session, 'execute', {
      sql: "INSERT INTO notes (body) VALUES ('fourth'), ('first')",
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('SQLite: UNIQUE constraint failed: notes.body');
    expect(notes()).toEqual(before);
  });

  it('commits nothing when a write runs past the time limit and is stopped', async () => {
    const before = notes();
    const result = await call(session, 'execute', {
      sql: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) INSERT INTO notes (body) SELECT 'n' || i FROM r",
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'The statement ran past its 2 s limit and was stopped; narrow it or raise --timeout.',
    );
    // The next call heals the journal the killed process left behind and sees the old rows.
    const count = structuredOf<{ rows: unknown[][] }>(
      await call(session, 'query', { sql: 'SELECT count(*) FROM notes' }),
    );
    expect(count.rows).toEqual([[before.length]]);
    expect(notes()).toEqual(before);
  });

  it('runs DDL, and refuses transaction control, ATTACH and PRAGMA', async () => {
    const ddl = structuredOf<{ rows_affected: number }>(
      await call(session, 'execute', { sql: 'CREATE TABLE tags (name TEXT PRIMARY KEY)' }),
    );
    expect(ddl.rows_affected).toBe(0);
    const schema = schemaChecksum(file);
    const attached = temp.path('attached.sqlite');
    for (const sql of [
      'COMMIT',
      'BEGIN',
      'SAVEPOINT s',
      `ATTACH '${attached}' AS a`,
      'PRAGMA journal_mode = OFF',
      ';/* c */ -- c\n pragma journal_mode = OFF',
      'PRAGMA foreign_keys = OFF',
    ]) {
      const result = await call(session, 'execute', { sql });
      expect(result.isError, sql).toBe(true);
      expect(textOf(result), sql).toMatch(/sql:statement-kind/);
    }
    expect(existsSync(attached)).toBe(false);
    expect(schemaChecksum(file)).toBe(schema);
    const two = await call(session, 'execute', {
      sql: "DELETE FROM notes; INSERT INTO notes (body) VALUES ('x')",
    });
    expect(textOf(two)).toMatch(/more than one statement/);
  });

  it('keeps query read-only in write mode', async () => {
    const result = await call(session, 'query', { sql: 'DELETE FROM notes' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/sql:statement-kind/);
    expect(notes().length).toBeGreaterThan(0);
  });

  it('refuses EXPLAIN ANALYZE, which SQLite does not have', async () => {
    const result = await call(session, 'explain', { sql: 'SELECT * FROM notes', analyze: true });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/SQLite has no EXPLAIN ANALYZE/);
  });
});
