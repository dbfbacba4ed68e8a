/**
 * Attack corpus for the SQLite read-only guard (`assertReadOnlySqlite` in `@bulwark/hardening/sql`).
 *
 * Every statement runs against a database that has a table `canary (id INTEGER PRIMARY KEY, name
 * TEXT, score REAL, meta TEXT)` and a table `owner (id INTEGER PRIMARY KEY, canary_id INTEGER
 * REFERENCES canary(id), label TEXT)`. Each attack names the rule (`sql:<rule>`) that must refuse it;
 * the hardening unit tests and the SQLite server's integration tests both use this list. Paths under
 * /tmp are targets that must never come to exist: a test deletes them first and checks afterwards.
 */
import type { SqlGuardRule } from '../../shared/hardening/src/sql/errors.js';

/** One statement the guard must refuse, and the rule that must refuse it. */
export interface SqliteAttack {
  /** Stable, unique, kebab-case. */
  id: string;
  sql: string;
  rule: SqlGuardRule;
}

/** Files an attack would create if it ran. */
export const SQLITE_ATTACK_FILES: readonly string[] = ['/tmp/evil.db', '/tmp/copy.db', '/tmp/x'];

export const SQLITE_ATTACKS: readonly SqliteAttack[] = [
  // Nothing to run.
  { id: 'empty-string', sql: '', rule: 'empty' },
  { id: 'empty-whitespace', sql: ' \n\t ', rule: 'empty' },
  { id: 'empty-comments', sql: '-- nothing\n/* at all */', rule: 'empty' },
  { id: 'empty-semicolons', sql: ' ; ;', rule: 'empty' },

  // A second statement behind the first.
  { id: 'stacked-drop', sql: 'SELECT 1; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'stacked-delete', sql: 'SELECT 1; DELETE FROM canary', rule: 'multiple-statements' },
  {
    id: 'stacked-after-comments',
    sql: 'SELECT * FROM canary /* ; */ ;\n-- innocent\n\tDELETE FROM canary',
    rule: 'multiple-statements',
  },
  {
    id: 'stacked-double-semicolon',
    sql: 'SELECT 1;;UPDATE canary SET name = NULL',
    rule: 'multiple-statements',
  },
  { id: 'stacked-two-selects', sql: 'SELECT 1; SELECT 2', rule: 'multiple-statements' },
  // SQLite stops reading at NUL: whatever follows would be checked here but never seen by the engine.
  { id: 'nul-hidden-tail', sql: 'SELECT 1\u0000; DROP TABLE canary', rule: 'parse-error' },

  // Writes and schema changes.
  { id: 'insert', sql: "INSERT INTO canary (name) VALUES ('pwned')", rule: 'statement-kind' },
  { id: 'update', sql: "UPDATE canary SET name = 'pwned'", rule: 'statement-kind' },
  { id: 'delete', sql: 'DELETE FROM canary', rule: 'statement-kind' },
  { id: 'replace', sql: "REPLACE INTO canary (id, name) VALUES (1, 'pwned')", rule: 'statement-kind' },
  { id: 'insert-or-replace', sql: 'INSERT OR REPLACE INTO canary (id) VALUES (1)', rule: 'statement-kind' },
  { id: 'create-table', sql: 'CREATE TABLE evil (x)', rule: 'statement-kind' },
  { id: 'create-temp-table', sql: 'CREATE TEMP TABLE evil AS SELECT * FROM canary', rule: 'statement-kind' },
  {
    id: 'create-trigger',
    sql: 'CREATE TRIGGER t AFTER INSERT ON owner BEGIN DELETE FROM canary; END',
    rule: 'statement-kind',
  },
  { id: 'drop-table', sql: 'DROP TABLE canary', rule: 'statement-kind' },
  { id: 'alter-table', sql: 'ALTER TABLE canary RENAME TO gone', rule: 'statement-kind' },
  { id: 'cte-delete', sql: 'WITH x AS (SELECT 1) DELETE FROM canary', rule: 'statement-kind' },
  {
    id: 'cte-insert',
    sql: 'WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 5) INSERT INTO canary (name) SELECT n FROM x',
    rule: 'statement-kind',
  },
  {
    id: 'cte-materialized-update',
    sql: "WITH x AS MATERIALIZED (SELECT 1) UPDATE canary SET name = 'x'",
    rule: 'statement-kind',
  },

  // Statements SQLite itself reports as read-only.
  { id: 'attach-file', sql: "ATTACH DATABASE '/tmp/evil.db' AS evil", rule: 'statement-kind' },
  { id: 'attach-memory', sql: "ATTACH ':memory:' AS m", rule: 'statement-kind' },
  { id: 'detach', sql: 'DETACH main', rule: 'statement-kind' },
  { id: 'begin', sql: 'BEGIN', rule: 'statement-kind' },
  { id: 'begin-immediate', sql: 'BEGIN IMMEDIATE TRANSACTION', rule: 'statement-kind' },
  { id: 'commit', sql: 'COMMIT', rule: 'statement-kind' },
  { id: 'end', sql: 'END', rule: 'statement-kind' },
  { id: 'rollback', sql: 'ROLLBACK', rule: 'statement-kind' },
  { id: 'savepoint', sql: 'SAVEPOINT s', rule: 'statement-kind' },
  { id: 'release', sql: 'RELEASE s', rule: 'statement-kind' },
  { id: 'vacuum', sql: 'VACUUM', rule: 'statement-kind' },
  { id: 'vacuum-into', sql: "VACUUM INTO '/tmp/copy.db'", rule: 'statement-kind' },
  { id: 'analyze', sql: 'ANALYZE', rule: 'statement-kind' },
  { id: 'reindex', sql: 'REINDEX', rule: 'statement-kind' },

  // Comment and case tricks in front of a write.
  { id: 'block-comment-delete', sql: '/* x */ DELETE FROM canary', rule: 'statement-kind' },
  { id: 'line-comment-delete', sql: '-- c\nDELETE FROM canary', rule: 'statement-kind' },
  { id: 'leading-semicolon-delete', sql: ';DELETE FROM canary', rule: 'statement-kind' },
  { id: 'mixed-case-delete', sql: 'dElEtE\tfrom canary', rule: 'statement-kind' },

  // EXPLAIN is checked as the statement it explains.
  { id: 'explain-delete', sql: 'EXPLAIN DELETE FROM canary', rule: 'statement-kind' },
  {
    id: 'explain-query-plan-insert',
    sql: "EXPLAIN QUERY PLAN INSERT INTO canary (name) VALUES ('x')",
    rule: 'statement-kind',
  },
  { id: 'explain-attach', sql: "EXPLAIN ATTACH ':memory:' AS m", rule: 'statement-kind' },
  { id: 'explain-pragma-query-only', sql: 'EXPLAIN PRAGMA query_only = 0', rule: 'pragma' },

  // Pragmas: assignments, settings, actions.
  { id: 'pragma-query-only-0', sql: 'PRAGMA query_only = 0', rule: 'pragma' },
  { id: 'pragma-query-only-off', sql: 'PRAGMA query_only=OFF', rule: 'pragma' },
  { id: 'pragma-query-only-case', sql: 'pRaGmA QUERY_ONLY = false', rule: 'pragma' },
  { id: 'pragma-query-only-call', sql: 'PRAGMA query_only(0)', rule: 'pragma' },
  { id: 'pragma-query-only-quoted', sql: 'PRAGMA "query_only" = 0', rule: 'pragma' },
  { id: 'pragma-query-only-read', sql: 'PRAGMA query_only', rule: 'pragma' },
  { id: 'pragma-writable-schema', sql: 'PRAGMA writable_schema = 1', rule: 'pragma' },
  { id: 'pragma-trusted-schema', sql: 'PRAGMA trusted_schema = ON', rule: 'pragma' },
  { id: 'pragma-journal-mode-set', sql: 'PRAGMA journal_mode = DELETE', rule: 'pragma' },
  { id: 'pragma-wal-checkpoint', sql: 'PRAGMA wal_checkpoint', rule: 'pragma' },
  { id: 'pragma-optimize', sql: 'PRAGMA optimize', rule: 'pragma' },
  { id: 'pragma-incremental-vacuum', sql: 'PRAGMA incremental_vacuum', rule: 'pragma' },
  { id: 'pragma-cache-size-set', sql: 'PRAGMA cache_size = 0', rule: 'pragma' },
  { id: 'pragma-temp-store-directory', sql: "PRAGMA temp_store_directory = '/tmp'", rule: 'pragma' },
  { id: 'pragma-optimize-string-name', sql: "PRAGMA 'optimize'", rule: 'pragma' },
  { id: 'pragma-safe-name-assignment', sql: 'PRAGMA user_version = 42', rule: 'pragma' },
  { id: 'pragma-safe-name-schema-assignment', sql: 'PRAGMA main.schema_version = 1', rule: 'pragma' },
  { id: 'pragma-safe-name-call-assignment', sql: 'PRAGMA foreign_keys(0)', rule: 'pragma' },
  { id: 'pragma-safe-name-extra-tokens', sql: 'PRAGMA table_info(canary) canary', rule: 'pragma' },
  // Table-valued pragma functions: SQLite calls these read-only, yet pragma_optimize runs ANALYZE.
  { id: 'pragma-function-optimize', sql: 'SELECT * FROM pragma_optimize', rule: 'pragma' },
  { id: 'pragma-function-optimize-quoted', sql: 'SELECT * FROM main."PRAGMA_OPTIMIZE"', rule: 'pragma' },
  { id: 'pragma-function-optimize-string', sql: "SELECT * FROM 'pragma_optimize'", rule: 'pragma' },
  { id: 'pragma-function-query-only', sql: 'SELECT query_only FROM pragma_query_only()', rule: 'pragma' },

  // Functions that load code or touch host files.
  { id: 'load-extension', sql: "SELECT load_extension('/tmp/x.so')", rule: 'function' },
  { id: 'load-extension-quoted', sql: `SELECT "load_extension"('/tmp/x.so')`, rule: 'function' },
  {
    id: 'load-extension-bracketed',
    sql: "SELECT [LOAD_EXTENSION] /* gap */ ('/tmp/x.so')",
    rule: 'function',
  },
  {
    id: 'load-extension-in-where',
    sql: "SELECT * FROM canary WHERE load_extension('/tmp/x.so') IS NULL",
    rule: 'function',
  },
  { id: 'load-extension-after-hex', sql: "SELECT 0xE-load_extension('/tmp/x.so')", rule: 'function' },
  { id: 'writefile', sql: "SELECT writefile('/tmp/x', 'y')", rule: 'function' },
  { id: 'readfile', sql: "SELECT readfile('/etc/passwd')", rule: 'function' },
  { id: 'edit', sql: "SELECT edit('text', 'vi')", rule: 'function' },
  { id: 'fsdir', sql: "SELECT name FROM fsdir('/')", rule: 'function' },
  { id: 'fts3-tokenizer', sql: "SELECT fts3_tokenizer('simple')", rule: 'function' },
];

/** Read statements the guard must let through, each of which then runs on the canary database. */
export const SQLITE_ALLOWED: readonly string[] = [
  'SELECT * FROM canary',
  'select id, name from canary where score > 1.5 order by id limit 2',
  'SELECT c.name, o.label FROM canary c JOIN owner o ON o.canary_id = c.id',
  'SELECT c.name, count(o.id) AS n FROM canary c LEFT JOIN owner o ON o.canary_id = c.id GROUP BY c.id HAVING n >= 0',
  'WITH top AS (SELECT * FROM canary ORDER BY score DESC LIMIT 2) SELECT name FROM top',
  'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10) SELECT sum(x) FROM n',
  'WITH a AS NOT MATERIALIZED (SELECT 1 AS v), b(w) AS MATERIALIZED (SELECT 2) SELECT v, w FROM a, b',
  'WITH replace AS (SELECT 1 AS v) SELECT v FROM replace',
  'SELECT name, rank() OVER (ORDER BY score DESC) AS r, sum(score) OVER w FROM canary WINDOW w AS (ORDER BY id)',
  "SELECT json_extract(meta, '$.color') AS color FROM canary WHERE meta ->> '$.color' IS NOT NULL",
  'SELECT key, value FROM canary, json_each(canary.meta)',
  'VALUES (1), (2)',
  'VALUES (1, 2) UNION ALL SELECT id, score FROM canary',
  'SELECT 1 /* ; DROP TABLE canary */',
  "SELECT ';DROP TABLE canary'",
  "SELECT 'load_extension(''/tmp/x.so'')' AS text",
  'SELECT "load_extension" FROM (SELECT 1 AS "load_extension")',
  "SELECT * FROM canary WHERE name LIKE '%a%' ESCAPE '\\'",
  'SELECT 1;',
  'SELECT 1; -- trailing comment',
  '/* leading */ -- comment\nSELECT id FROM canary;;',
  'PRAGMA table_info(canary)',
  "PRAGMA foreign_key_list('canary')",
  'PRAGMA main.table_xinfo("canary")',
  'PRAGMA table_list',
  'PRAGMA index_list(canary)',
  'PRAGMA user_version',
  'PRAGMA quick_check',
  'PRAGMA integrity_check(1)',
  'PRAGMA foreign_key_check',
  'pragma Compile_Options;',
  "SELECT name, type FROM pragma_table_info('canary')",
  'SELECT * FROM canary, pragma_foreign_key_list(canary.name) LIMIT 0',
  'EXPLAIN QUERY PLAN SELECT * FROM canary WHERE id = 1',
  'EXPLAIN SELECT count(*) FROM canary',
  'EXPLAIN PRAGMA table_info(canary)',
  'SELECT 0x10 - abs(-1), 1e-3, .5, 1_000',
  "SELECT x'41' || 'b'",
];
