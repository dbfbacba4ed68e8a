import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlGuardError } from '../src/sql/errors.js';
import { assertWriteStatementSqlite, sqliteParameters } from '../src/sql/sqlite.js';

// The write guard of a write-mode execute, against a real in-memory SQLite.
let db: Database.Database;
const prepare = (sql: string) => db.prepare(sql);

beforeAll(() => {
  db = new Database(':memory:');
  db.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)').run();
});

afterAll(() => db.close());

describe('assertWriteStatementSqlite', () => {
  it('sql:write-kind — accepts one statement that changes the database', () => {
    for (const sql of [
      'INSERT INTO t VALUES (1, 2)',
      'UPDATE t SET v = 3',
      'DELETE FROM t WHERE id = 1;',
      'REPLACE INTO t VALUES (1, 1)',
      'CREATE TABLE u (x)',
      'CREATE INDEX t_v ON t (v)',
      'ALTER TABLE t ADD COLUMN w TEXT',
      'DROP TABLE IF EXISTS old_data',
      'WITH x AS (SELECT 1 AS n) INSERT INTO t (v) SELECT n FROM x',
    ]) {
      expect(() => assertWriteStatementSqlite(sql, prepare), sql).not.toThrow();
    }
  });

  it('sql:statement-kind — refuses transaction control, ATTACH, DETACH, VACUUM, PRAGMA and reads', () => {
    for (const sql of [
      'BEGIN',
      'COMMIT',
      'END',
      'ROLLBACK',
      'SAVEPOINT s',
      'RELEASE s',
      "ATTACH DATABASE '/tmp/bulwark-write-guard.db' AS evil",
      'DETACH main',
      "VACUUM INTO '/tmp/bulwark-write-guard-copy.db'",
      'VACUUM',
      'PRAGMA journal_mode = DELETE',
      'PRAGMA query_only = 0',
      'SELECT * FROM t',
      '/* comment */ attach database ":memory:" as m',
    ]) {
      let caught: unknown;
      try {
        assertWriteStatementSqlite(sql, prepare);
      } catch (error) {
        caught = error;
      }
      expect(caught, sql).toBeInstanceOf(SqlGuardError);
      expect((caught as SqlGuardError).rule, sql).toBe('statement-kind');
      expect((caught as SqlGuardError).guard).toBe('write');
      expect((caught as SqlGuardError).message).toMatch(/^Refused by the write guard \(sql:statement-kind\)/);
    }
  });

  it('sql:multiple-statements — refuses a second statement and refused functions', () => {
    expect(() => assertWriteStatementSqlite('INSERT INTO t VALUES (5, 5); DROP TABLE t', prepare)).toThrow(
      /sql:multiple-statements/,
    );
    expect(() =>
      assertWriteStatementSqlite("INSERT INTO t (v) SELECT load_extension('/tmp/x.so')", prepare),
    ).toThrow(/sql:function/);
    expect(() => assertWriteStatementSqlite('   ', prepare)).toThrow(/sql:empty/);
  });

  it('lets engine errors through unchanged (syntax, no such table)', () => {
    expect(() => assertWriteStatementSqlite('INSERT INTO missing_table VALUES (1)', prepare)).toThrow(
      /no such table/,
    );
  });
});

describe('sqliteParameters', () => {
  it('sql:params — finds placeholders as SQLite tokenizes them, not inside strings, identifiers or comments', () => {
    expect(
      sqliteParameters("SELECT ?, ?2, :id, @x, $y, #z, '?3', \"?4\", [?5], x'3f' -- ?6\n /* :c */ FROM t"),
    ).toEqual(['?', '?2', ':id', '@x', '$y', '#z']);
  });
});

describe('write guard refusals name the write guard', () => {
  it('sql:guard-name — every refusal of the write guard says it came from the write guard', () => {
    for (const sql of [
      '',
      'INSERT INTO t VALUES (9, 9); DROP TABLE t',
      'INSERT INTO t VALUES (1)\0; DROP TABLE t',
      'BEGIN',
    ]) {
      let caught: unknown;
      try {
        assertWriteStatementSqlite(sql, prepare);
      } catch (error) {
        caught = error;
      }
      expect((caught as SqlGuardError).guard, JSON.stringify(sql)).toBe('write');
    }
  });
});
