/**
 * SQLite read-only guard on a real better-sqlite3 database file, opened read-write so that the guard,
 * not the engine, is what refuses. Every attack of the shared corpus is refused with exactly its
 * rule; every allowed query passes and then runs; afterwards the data, the schema and the file
 * system are unchanged. A few tests pin the engine facts the guard's layers are built on.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_ALLOWED, SQLITE_ATTACK_FILES, SQLITE_ATTACKS } from '../../../test/corpus/sqlite-guard.js';
import { SqlGuardError, type SqlGuardRule } from '../src/sql/errors.js';
import { assertReadOnlySqlite, SQLITE_SAFE_PRAGMAS } from '../src/sql/sqlite.js';

let dir: string;
let db: Database.Database;
let before: string;
const prepare = (sql: string) => db.prepare(sql);

/** Rows of every table plus the whole schema, hashed: any write shows up as a different digest. */
function fingerprint(): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify(db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all()),
  );
  hash.update(JSON.stringify(db.prepare('SELECT * FROM canary ORDER BY id').all()));
  hash.update(JSON.stringify(db.prepare('SELECT * FROM owner ORDER BY id').all()));
  // temp appears once any statement touches the temp schema (PRAGMA quick_check does): not a write.
  hash.update(
    JSON.stringify(db.prepare("SELECT name, file FROM pragma_database_list WHERE name <> 'temp'").all()),
  );
  hash.update(readFileSync(path.join(dir, 'canary.db')));
  return hash.digest('hex');
}

/** Runs the guard and returns its refusal (failing the test if it did not refuse). */
function refusal(sql: string, guardPrepare: (sql: string) => { readonly: boolean } = prepare): SqlGuardError {
  try {
    assertReadOnlySqlite(sql, guardPrepare);
  } catch (error) {
    if (error instanceof SqlGuardError) return error;
    throw error;
  }
  throw new Error(`the guard let through: ${JSON.stringify(sql)}`);
}

function expectRefused(sql: string, rule: SqlGuardRule): void {
  const error = refusal(sql);
  expect(error.rule).toBe(rule);
  expect(error.message).toMatch(new RegExp(`^Refused by the read-only guard \\(sql:${rule}\\): \\S`));
  expect(error.message).not.toContain('\n');
}

beforeAll(async () => {
  for (const file of SQLITE_ATTACK_FILES) rmSync(file, { force: true });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-sqlite-guard-'));
  db = new Database(path.join(dir, 'canary.db'));
  db.exec(`
    CREATE TABLE canary (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, meta TEXT);
    CREATE TABLE owner (id INTEGER PRIMARY KEY, canary_id INTEGER REFERENCES canary(id), label TEXT);
    CREATE INDEX owner_canary ON owner (canary_id);
    INSERT INTO canary (name, score, meta) VALUES
      ('alpha', 1.0, '{"color":"red"}'), ('bravo', 2.5, '{"color":"blue","size":3}'), ('charlie', 4.0, NULL);
    INSERT INTO owner (canary_id, label) VALUES (1, 'first'), (2, 'second'), (2, 'third');
  `);
  before = fingerprint();
});

afterAll(async () => {
  db?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('corpus', () => {
  it('sql:statement-kind — the corpus has at least 20 attacks with unique ids and 15 allowed queries', () => {
    expect(SQLITE_ATTACKS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(SQLITE_ATTACKS.map((attack) => attack.id)).size).toBe(SQLITE_ATTACKS.length);
    expect(SQLITE_ALLOWED.length).toBeGreaterThanOrEqual(15);
    expect(new Set(SQLITE_ALLOWED).size).toBe(SQLITE_ALLOWED.length);
  });
});

describe('attacks', () => {
  it.each(SQLITE_ATTACKS)('sql:$rule — refuses $id', ({ sql, rule }) => {
    expectRefused(sql, rule);
  });
});

describe('allowed', () => {
  it.each(
    SQLITE_ALLOWED.map((sql) => ({ sql, id: /^\s*pragma\b/i.test(sql) ? 'pragma' : 'statement-kind' })),
  )('sql:$id — passes and runs: $sql', ({ sql }) => {
    const info = assertReadOnlySqlite(sql, prepare);
    expect(['select', 'explain', 'pragma']).toContain(info.kind);
    expect(Array.isArray(db.prepare(sql).all())).toBe(true);
  });

  it('sql:pragma — every safe pragma passes in its read form, SQLite agrees it is read-only, and it runs', () => {
    for (const name of SQLITE_SAFE_PRAGMAS) {
      expect(assertReadOnlySqlite(`PRAGMA ${name}`, prepare)).toEqual({ kind: 'pragma', pragma: name });
      expect(db.prepare(`PRAGMA ${name}`).readonly).toBe(true);
      expect(Array.isArray(db.prepare(`PRAGMA ${name}`).all())).toBe(true);
    }
  });

  it('sql:pragma — reports the pragma name in lower case without its schema', () => {
    expect(assertReadOnlySqlite('PRAGMA main.TABLE_INFO(canary);', prepare)).toEqual({
      kind: 'pragma',
      pragma: 'table_info',
    });
    expect(assertReadOnlySqlite('PRAGMA integrity_check(-1)', prepare)).toEqual({
      kind: 'pragma',
      pragma: 'integrity_check',
    });
  });

  it('sql:statement-kind — reports SELECT, WITH and VALUES as select, EXPLAIN as explain', () => {
    expect(assertReadOnlySqlite('SELECT 1', prepare)).toEqual({ kind: 'select' });
    expect(assertReadOnlySqlite('WITH a AS (SELECT 1) SELECT * FROM a', prepare)).toEqual({ kind: 'select' });
    expect(assertReadOnlySqlite('VALUES (1)', prepare)).toEqual({ kind: 'select' });
    expect(assertReadOnlySqlite('EXPLAIN QUERY PLAN SELECT 1', prepare)).toEqual({ kind: 'explain' });
  });
});

describe('engine facts the layers rely on', () => {
  it('sql:multiple-statements — better-sqlite3 refuses a second statement with a RangeError, which the guard maps', () => {
    let thrown: unknown;
    try {
      db.prepare('SELECT 1; DROP TABLE canary');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as RangeError).message).toBe('The supplied SQL string contains more than one statement');
    // The lexical check answers first; this pins the mapping for a text it would not catch.
    expect(refusal('SELECT 1', () => db.prepare('SELECT 1; SELECT 2')).rule).toBe('multiple-statements');
  });

  it('sql:multiple-statements — is refused even when the engine binding ignores the second statement', () => {
    expect(refusal('SELECT 1; DROP TABLE canary', () => ({ readonly: true })).rule).toBe(
      'multiple-statements',
    );
  });

  it('sql:parse-error — better-sqlite3 silently ignores text after a NUL, so the guard refuses NUL', () => {
    expect(() => db.prepare('SELECT 1\u0000; DROP TABLE canary')).not.toThrow();
    expect(refusal('SELECT 1 \u0000').rule).toBe('parse-error');
  });

  it('sql:not-read-only — refuses a statement that passes every lexical rule when the engine says it writes', () => {
    expect(refusal('SELECT 1', () => ({ readonly: false })).rule).toBe('not-read-only');
  });

  it('sql:not-read-only — SQLite reports PRAGMA journal_mode (even its read form) as not read-only', () => {
    expect(db.prepare('PRAGMA journal_mode').readonly).toBe(false);
    expect(SQLITE_SAFE_PRAGMAS.has('journal_mode')).toBe(false);
  });

  it('sql:statement-kind — SQLite calls these refused statements read-only, so the engine flag is not enough', () => {
    const readOnlyToSqlite = [
      "ATTACH ':memory:' AS m",
      'DETACH main',
      'BEGIN',
      'COMMIT',
      'SAVEPOINT s',
      'RELEASE s',
      "EXPLAIN ATTACH ':memory:' AS m",
      'PRAGMA query_only = 0',
      'PRAGMA query_only(0)',
      'PRAGMA foreign_keys(0)',
      'PRAGMA writable_schema = 1',
      'PRAGMA optimize',
      'SELECT * FROM pragma_optimize',
      "SELECT load_extension('/tmp/x.so')",
      "SELECT fts3_tokenizer('simple')",
    ];
    for (const sql of readOnlyToSqlite) {
      expect(db.prepare(sql).readonly, sql).toBe(true);
      expect(() => assertReadOnlySqlite(sql, prepare), sql).toThrow(SqlGuardError);
    }
  });

  it('sql:pragma — SELECT * FROM pragma_optimize writes (runs ANALYZE) although SQLite calls it read-only', () => {
    const scratch = new Database(path.join(dir, 'optimize.db'));
    try {
      scratch.exec('CREATE TABLE t (a, b); CREATE INDEX ta ON t (a); CREATE INDEX tb ON t (b);');
      const insert = scratch.prepare('INSERT INTO t VALUES (?, ?)');
      scratch.transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run(i % 7, i % 3);
      })();
      scratch.prepare('SELECT * FROM t WHERE a = 1 AND b = 1').all();
      const tables = () =>
        scratch.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'").all();
      expect(tables()).toEqual([]);
      const statement = scratch.prepare('SELECT * FROM pragma_optimize');
      expect(statement.readonly).toBe(true);
      statement.all();
      expect(tables()).not.toEqual([]);
      expect(refusal('SELECT * FROM pragma_optimize', (s) => scratch.prepare(s)).rule).toBe('pragma');
    } finally {
      scratch.close();
    }
  });

  it('sql:function — SQLite reads 0xE-f(x) as a hexadecimal number minus a call of f', () => {
    expect(db.prepare('SELECT 0xE-abs(-1) AS v').get()).toEqual({ v: 13 });
    expectRefused("SELECT 0xE-load_extension('/tmp/x.so')", 'function');
    expectRefused('SELECT 1e-3-load_extension(1)', 'function');
  });

  it('sql:function — a refused name inside a string, a comment or a blob, or not called, is not a call', () => {
    for (const sql of [
      "SELECT 'readfile(1)'",
      'SELECT 1 -- load_extension(1)',
      'SELECT 1 /* writefile( */',
      "SELECT x'00' AS edit",
      'SELECT 1 AS "readfile"',
    ]) {
      expect(assertReadOnlySqlite(sql, prepare), sql).toEqual({ kind: 'select' });
    }
  });

  it('sql:statement-kind — engine errors that are not guard decisions propagate unchanged', () => {
    expect(() => assertReadOnlySqlite('SELEC 1', prepare)).toThrow(/syntax error/);
    expect(() => assertReadOnlySqlite('(SELECT 1)', prepare)).toThrow(/syntax error/);
    expect(() => assertReadOnlySqlite('SELEC 1; DROP TABLE canary', prepare)).toThrow(
      /near "SELEC": syntax error/,
    );
    expect(() => assertReadOnlySqlite('SELECT * FROM nosuch', prepare)).toThrow(/no such table: nosuch/);
    expect(() => assertReadOnlySqlite('WITH a AS SELECT 1', prepare)).toThrow(/syntax error/);
    expect(() => assertReadOnlySqlite('EXPLAIN', prepare)).toThrow(/incomplete input/);
    let thrown: unknown;
    try {
      assertReadOnlySqlite('SELECT nope FROM canary', prepare);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Database.SqliteError);
    expect(thrown).not.toBeInstanceOf(SqlGuardError);
  });

  it('sql:statement-kind — a refusal message names the keyword but never echoes the SQL', () => {
    const error = refusal(`DELETE FROM canary WHERE name = '${'x'.repeat(500)}'`);
    expect(error.message).toContain('DELETE');
    expect(error.message).not.toContain('xxxxxxxx');
  });
});

describe('after every attack', () => {
  it('sql:not-read-only — the canary rows, the schema and the file system are unchanged', () => {
    for (const { sql } of SQLITE_ATTACKS) {
      try {
        assertReadOnlySqlite(sql, prepare);
      } catch {
        // refused, as the attacks tests assert
      }
    }
    expect(fingerprint()).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM canary').get()).toEqual({ n: 3 });
    expect(db.inTransaction).toBe(false);
    for (const file of SQLITE_ATTACK_FILES) expect(existsSync(file), file).toBe(false);
  });
});
