/**
 * The PostgreSQL read-only guard's attack corpus, shared by the guard's unit tests
 * (`shared/hardening/test/sql-postgres.test.ts`) and the PostgreSQL server's integration tests,
 * which send every entry through the real server to a real engine and prove that the `canary`
 * table, the catalog and the settings survive.
 *
 * The database those tests prepare holds `canary (id integer PRIMARY KEY, note text NOT NULL)`
 * with two rows, a sequence `s`, and two user-defined functions: `evil_fn()` (deletes from
 * canary) and `my_func()`. Every query in {@link POSTGRES_ALLOWED} runs there without parameters
 * on PostgreSQL 15 and newer.
 */
import type { SqlGuardRule } from '../../shared/hardening/src/sql/errors.js';

/** One statement the guard must refuse, and the rule (`sql:<rule>`) that must refuse it. */
export interface PostgresAttack {
  /** Stable, unique, kebab-case: cited in failure messages. */
  id: string;
  /** The statement exactly as an attacker would send it. */
  sql: string;
  /** The rule that must refuse it; the refusal message contains `sql:<rule>`. */
  rule: SqlGuardRule;
}

/**
 * Statements the read-only guard must refuse with the default options (no `allowAnalyze`),
 * grouped by the class of escape they try.
 */
export const POSTGRES_ATTACKS: readonly PostgresAttack[] = [
  // A second statement after the first (the classic escape from a read-only transaction).
  { id: 'commit-drop', sql: 'COMMIT; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'rollback-delete', sql: 'ROLLBACK; DELETE FROM canary', rule: 'multiple-statements' },
  { id: 'select-then-delete', sql: 'SELECT 1; DELETE FROM canary', rule: 'multiple-statements' },
  { id: 'end-drop', sql: 'END; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'line-comment-newline', sql: 'SELECT 1 -- \n; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'dollar-quote-semicolon', sql: 'SELECT $$;$$; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'tagged-dollar-quote', sql: 'SELECT $a$ $$ ; $a$; DROP TABLE canary', rule: 'multiple-statements' },
  { id: 'e-string-hex-semicolon', sql: "SELECT E'\\x3b'; DROP TABLE canary", rule: 'multiple-statements' },
  // With standard_conforming_strings on, a backslash does not escape the quote in '...'.
  {
    id: 'standard-string-backslash',
    sql: "SELECT '\\'; DROP TABLE canary; --'",
    rule: 'multiple-statements',
  },
  { id: 'block-comment-closed', sql: 'SELECT 1 /* */; DROP TABLE canary', rule: 'multiple-statements' },

  // Text the parser cannot take at face value.
  { id: 'nul-byte-truncation', sql: 'SELECT 1\0; DROP TABLE canary', rule: 'parse-error' },
  { id: 'syntax-error', sql: 'SELECT 1; DROP TABLE canary; garbage(', rule: 'parse-error' },
  { id: 'whitespace-only', sql: ' \n\t ', rule: 'empty' },
  { id: 'comment-only', sql: '-- SELECT 1\n/* DROP TABLE canary */', rule: 'empty' },

  // Statements that are not reads.
  { id: 'delete', sql: 'DELETE FROM canary', rule: 'statement-kind' },
  { id: 'insert', sql: "INSERT INTO canary VALUES (3, 'intruder')", rule: 'statement-kind' },
  { id: 'update', sql: "UPDATE canary SET note = 'dead'", rule: 'statement-kind' },
  {
    id: 'merge',
    sql: 'MERGE INTO canary c USING (SELECT 1 AS id) s ON c.id = s.id WHEN MATCHED THEN DELETE',
    rule: 'statement-kind',
  },
  { id: 'drop-table', sql: 'DROP TABLE canary', rule: 'statement-kind' },
  { id: 'truncate', sql: 'TRUNCATE canary', rule: 'statement-kind' },
  { id: 'with-then-delete', sql: 'WITH x AS (SELECT 1) DELETE FROM canary', rule: 'statement-kind' },
  { id: 'create-table-as', sql: 'CREATE TABLE t2 AS SELECT * FROM canary', rule: 'statement-kind' },
  { id: 'copy-to-file', sql: "COPY canary TO '/tmp/x'", rule: 'statement-kind' },
  { id: 'copy-to-program', sql: "COPY (SELECT 1) TO PROGRAM 'id'", rule: 'statement-kind' },
  { id: 'copy-from-program', sql: "COPY canary FROM PROGRAM 'id'", rule: 'statement-kind' },
  { id: 'set-role', sql: 'SET ROLE postgres', rule: 'statement-kind' },
  { id: 'set-read-write', sql: 'SET default_transaction_read_only = off', rule: 'statement-kind' },
  { id: 'set-transaction-read-write', sql: 'SET TRANSACTION READ WRITE', rule: 'statement-kind' },
  { id: 'reset-all', sql: 'RESET ALL', rule: 'statement-kind' },
  { id: 'begin', sql: 'BEGIN', rule: 'statement-kind' },
  { id: 'commit', sql: 'COMMIT', rule: 'statement-kind' },
  { id: 'savepoint', sql: 'SAVEPOINT s1', rule: 'statement-kind' },
  { id: 'do-block', sql: 'DO $$ BEGIN DELETE FROM canary; END $$', rule: 'statement-kind' },
  { id: 'call-procedure', sql: 'CALL p()', rule: 'statement-kind' },
  { id: 'lock-table', sql: 'LOCK TABLE canary', rule: 'statement-kind' },
  { id: 'vacuum', sql: 'VACUUM', rule: 'statement-kind' },
  { id: 'analyze-table', sql: 'ANALYZE canary', rule: 'statement-kind' },
  { id: 'prepare-delete', sql: 'PREPARE p AS DELETE FROM canary', rule: 'statement-kind' },
  { id: 'execute-prepared', sql: 'EXECUTE p', rule: 'statement-kind' },
  { id: 'deallocate', sql: 'DEALLOCATE ALL', rule: 'statement-kind' },
  { id: 'declare-cursor', sql: 'DECLARE c CURSOR FOR SELECT 1', rule: 'statement-kind' },
  { id: 'listen', sql: 'LISTEN x', rule: 'statement-kind' },
  { id: 'notify', sql: 'NOTIFY x', rule: 'statement-kind' },
  { id: 'refresh-matview', sql: 'REFRESH MATERIALIZED VIEW mv', rule: 'statement-kind' },
  { id: 'grant', sql: 'GRANT ALL ON canary TO PUBLIC', rule: 'statement-kind' },
  {
    id: 'create-function',
    sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    rule: 'statement-kind',
  },
  {
    id: 'alter-system',
    sql: "ALTER SYSTEM SET default_transaction_read_only = 'off'",
    rule: 'statement-kind',
  },
  { id: 'discard-all', sql: 'DISCARD ALL', rule: 'statement-kind' },
  { id: 'checkpoint', sql: 'CHECKPOINT', rule: 'statement-kind' },
  { id: 'explain-analyze-delete', sql: 'EXPLAIN ANALYZE DELETE FROM canary', rule: 'statement-kind' },
  { id: 'explain-delete', sql: 'EXPLAIN DELETE FROM canary', rule: 'statement-kind' },
  {
    id: 'explain-create-table-as',
    sql: 'EXPLAIN ANALYZE CREATE TABLE t2 AS SELECT 1',
    rule: 'statement-kind',
  },
  { id: 'explain-execute', sql: 'EXPLAIN ANALYZE EXECUTE p', rule: 'statement-kind' },

  // Data-modifying statements nested inside a query.
  {
    id: 'cte-delete',
    sql: 'WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d',
    rule: 'writable-cte',
  },
  {
    id: 'cte-insert',
    sql: "WITH i AS (INSERT INTO canary VALUES (3, 'intruder') RETURNING *) SELECT * FROM i",
    rule: 'writable-cte',
  },
  {
    id: 'cte-update',
    sql: "WITH u AS (UPDATE canary SET note = 'dead' RETURNING *) SELECT * FROM u",
    rule: 'writable-cte',
  },
  {
    id: 'cte-merge',
    sql: 'WITH m AS (MERGE INTO canary c USING (SELECT 1 AS id) s ON c.id = s.id WHEN MATCHED THEN DELETE RETURNING c.*) SELECT * FROM m',
    rule: 'writable-cte',
  },
  {
    id: 'cte-delete-in-subquery',
    sql: 'SELECT * FROM (WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d) AS s',
    rule: 'writable-cte',
  },
  {
    id: 'cte-delete-in-scalar-subquery',
    sql: 'SELECT 1 WHERE 0 < (WITH d AS (DELETE FROM canary RETURNING 1) SELECT count(*) FROM d)',
    rule: 'writable-cte',
  },
  {
    id: 'cte-delete-in-union-branch',
    sql: 'SELECT 1 UNION ALL (WITH d AS (DELETE FROM canary RETURNING id) SELECT id FROM d)',
    rule: 'writable-cte',
  },
  {
    id: 'cte-delete-under-explain',
    sql: 'EXPLAIN WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d',
    rule: 'writable-cte',
  },

  // SELECT ... INTO creates a table.
  { id: 'select-into', sql: 'SELECT * INTO t2 FROM canary', rule: 'select-into' },
  { id: 'select-into-temp', sql: 'SELECT * INTO TEMP t2 FROM canary', rule: 'select-into' },
  { id: 'select-into-in-cte', sql: 'WITH x AS (SELECT 1 INTO t2) SELECT * FROM x', rule: 'select-into' },

  // Row locks.
  { id: 'for-update', sql: 'SELECT * FROM canary FOR UPDATE', rule: 'locking-clause' },
  { id: 'for-share-nowait', sql: 'SELECT * FROM canary FOR SHARE NOWAIT', rule: 'locking-clause' },
  {
    id: 'for-no-key-update',
    sql: 'SELECT * FROM canary FOR NO KEY UPDATE SKIP LOCKED',
    rule: 'locking-clause',
  },
  { id: 'for-key-share', sql: 'SELECT * FROM canary FOR KEY SHARE', rule: 'locking-clause' },
  {
    id: 'for-update-in-subquery',
    sql: 'SELECT * FROM (SELECT * FROM canary FOR UPDATE) AS s',
    rule: 'locking-clause',
  },

  // EXPLAIN ANALYZE executes its statement.
  { id: 'explain-analyze-select', sql: 'EXPLAIN ANALYZE SELECT 1', rule: 'explain-analyze' },
  { id: 'explain-analyze-option', sql: 'EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1', rule: 'explain-analyze' },
  { id: 'explain-analyze-true', sql: 'EXPLAIN (ANALYZE true) SELECT 1', rule: 'explain-analyze' },
  { id: 'explain-analyze-one', sql: 'EXPLAIN (ANALYZE 1) SELECT 1', rule: 'explain-analyze' },
  {
    id: 'explain-analyze-off-then-on',
    sql: 'EXPLAIN (ANALYZE off, ANALYZE on) SELECT 1',
    rule: 'explain-analyze',
  },

  // SHOW outside the allowlist.
  { id: 'show-all', sql: 'SHOW ALL', rule: 'show-setting' },
  { id: 'show-data-directory', sql: 'SHOW data_directory', rule: 'show-setting' },
  { id: 'show-hba-file', sql: 'SHOW "HBA_FILE"', rule: 'show-setting' },
  { id: 'show-custom-setting', sql: 'SHOW app.secret', rule: 'show-setting' },

  // Functions with side effects, or outside the allowlist.
  {
    id: 'set-config',
    sql: "SELECT set_config('default_transaction_read_only','off',false)",
    rule: 'function',
  },
  { id: 'pg-sleep', sql: 'SELECT pg_sleep(10)', rule: 'function' },
  { id: 'pg-sleep-for', sql: "SELECT pg_sleep_for('10 seconds')", rule: 'function' },
  { id: 'pg-sleep-until', sql: "SELECT pg_sleep_until(now() + interval '10 seconds')", rule: 'function' },
  { id: 'pg-read-file', sql: "SELECT pg_read_file('/etc/passwd')", rule: 'function' },
  { id: 'pg-read-binary-file', sql: "SELECT pg_read_binary_file('/etc/passwd')", rule: 'function' },
  { id: 'pg-ls-dir', sql: "SELECT * FROM pg_ls_dir('.')", rule: 'function' },
  { id: 'pg-stat-file', sql: "SELECT pg_stat_file('postgresql.conf')", rule: 'function' },
  { id: 'lo-import', sql: "SELECT lo_import('/etc/passwd')", rule: 'function' },
  { id: 'lo-export', sql: "SELECT lo_export(1, '/tmp/x')", rule: 'function' },
  { id: 'lo-get', sql: 'SELECT lo_get(1)', rule: 'function' },
  { id: 'lo-put', sql: "SELECT lo_put(1, 0, '\\x00')", rule: 'function' },
  { id: 'lo-create', sql: 'SELECT lo_create(0)', rule: 'function' },
  { id: 'lo-unlink', sql: 'SELECT lo_unlink(1)', rule: 'function' },
  { id: 'loread', sql: 'SELECT loread(0, 10)', rule: 'function' },
  { id: 'lowrite', sql: "SELECT lowrite(0, '\\x00')", rule: 'function' },
  {
    id: 'dblink-exec',
    sql: "SELECT dblink_exec('dbname=postgres', 'DELETE FROM canary')",
    rule: 'function',
  },
  {
    id: 'dblink-in-from',
    sql: "SELECT * FROM dblink('dbname=postgres', 'DELETE FROM canary RETURNING id') AS t(id int)",
    rule: 'function',
  },
  { id: 'pg-terminate-backend', sql: 'SELECT pg_terminate_backend(1)', rule: 'function' },
  { id: 'pg-cancel-backend', sql: 'SELECT pg_cancel_backend(1)', rule: 'function' },
  { id: 'pg-reload-conf', sql: 'SELECT pg_reload_conf()', rule: 'function' },
  { id: 'pg-rotate-logfile', sql: 'SELECT pg_rotate_logfile()', rule: 'function' },
  { id: 'pg-advisory-lock', sql: 'SELECT pg_advisory_lock(1)', rule: 'function' },
  { id: 'pg-advisory-xact-lock-shared', sql: 'SELECT pg_advisory_xact_lock_shared(1)', rule: 'function' },
  { id: 'pg-try-advisory-lock', sql: 'SELECT pg_try_advisory_lock(1)', rule: 'function' },
  { id: 'pg-advisory-unlock-all', sql: 'SELECT pg_advisory_unlock_all()', rule: 'function' },
  { id: 'nextval', sql: "SELECT nextval('s')", rule: 'function' },
  { id: 'setval', sql: "SELECT setval('s', 100)", rule: 'function' },
  { id: 'currval', sql: "SELECT currval('s')", rule: 'function' },
  { id: 'lastval', sql: 'SELECT lastval()', rule: 'function' },
  { id: 'txid-current', sql: 'SELECT txid_current()', rule: 'function' },
  { id: 'pg-current-xact-id', sql: 'SELECT pg_current_xact_id()', rule: 'function' },
  { id: 'pg-notify', sql: "SELECT pg_notify('x', 'y')", rule: 'function' },
  { id: 'pg-switch-wal', sql: 'SELECT pg_switch_wal()', rule: 'function' },
  { id: 'pg-create-restore-point', sql: "SELECT pg_create_restore_point('x')", rule: 'function' },
  { id: 'pg-logical-emit-message', sql: "SELECT pg_logical_emit_message(true, 'x', 'y')", rule: 'function' },
  {
    id: 'query-to-xml',
    sql: "SELECT query_to_xml('DELETE FROM canary RETURNING 1', true, true, '')",
    rule: 'function',
  },
  {
    id: 'query-to-xmlschema',
    sql: "SELECT query_to_xmlschema('DELETE FROM canary RETURNING 1', true, true, '')",
    rule: 'function',
  },
  { id: 'table-to-xml', sql: "SELECT table_to_xml('canary', true, true, '')", rule: 'function' },
  { id: 'cursor-to-xml', sql: "SELECT cursor_to_xml('c', 1, true, true, '')", rule: 'function' },
  {
    id: 'ts-stat-runs-sql',
    sql: "SELECT * FROM ts_stat('DELETE FROM canary RETURNING to_tsvector(note)')",
    rule: 'function',
  },
  { id: 'pg-file-write', sql: "SELECT pg_file_write('/tmp/x', 'y', false)", rule: 'function' },
  {
    id: 'pg-import-system-collations',
    sql: "SELECT pg_import_system_collations('pg_catalog')",
    rule: 'function',
  },
  { id: 'setseed', sql: 'SELECT setseed(0.5)', rule: 'function' },
  { id: 'schema-qualified-user-function', sql: 'SELECT * FROM public.evil_fn()', rule: 'function' },
  { id: 'unqualified-user-function', sql: 'SELECT my_func()', rule: 'function' },
  { id: 'user-function-in-where', sql: 'SELECT * FROM canary WHERE evil_fn() > 0', rule: 'function' },
  { id: 'pg-catalog-qualified-sleep', sql: 'SELECT pg_catalog.pg_sleep(1)', rule: 'function' },
  { id: 'quoted-pg-catalog-sleep', sql: 'SELECT "pg_catalog"."pg_sleep"(1)', rule: 'function' },
  { id: 'unicode-escape-identifier', sql: 'SELECT U&"\\0070g_sleep"(1)', rule: 'function' },
  { id: 'quoted-upper-case', sql: 'SELECT "PG_SLEEP"(1)', rule: 'function' },
  { id: 'quoted-upper-case-allowlisted-name', sql: 'SELECT "LOWER"(\'a\')', rule: 'function' },
  { id: 'quoted-upper-case-schema', sql: 'SELECT "PG_CATALOG".lower(\'a\')', rule: 'function' },
  { id: 'three-part-name', sql: "SELECT postgres.pg_catalog.lower('a')", rule: 'function' },
  { id: 'sleep-in-order-by', sql: 'SELECT * FROM canary ORDER BY pg_sleep(1)', rule: 'function' },
  {
    id: 'sleep-in-having',
    sql: 'SELECT 1 FROM canary GROUP BY id HAVING pg_sleep(1) IS NULL',
    rule: 'function',
  },
  {
    id: 'nextval-in-window',
    sql: "SELECT sum(id) OVER (ORDER BY nextval('s')) FROM canary",
    rule: 'function',
  },
  {
    id: 'sleep-in-filter',
    sql: 'SELECT count(*) FILTER (WHERE pg_sleep(1) IS NULL) FROM canary',
    rule: 'function',
  },
  {
    id: 'sleep-in-lateral',
    sql: 'SELECT * FROM canary c, LATERAL (SELECT pg_sleep(1)) AS s',
    rule: 'function',
  },
  { id: 'sleep-in-values', sql: 'VALUES (1), (pg_sleep(1))', rule: 'function' },
  { id: 'sleep-in-case', sql: 'SELECT CASE WHEN id > 0 THEN pg_sleep(1) END FROM canary', rule: 'function' },
  { id: 'sleep-in-cast', sql: 'SELECT pg_sleep(1)::text', rule: 'function' },
  { id: 'sleep-in-coalesce', sql: 'SELECT coalesce(NULL, pg_sleep(1)::text)', rule: 'function' },
  {
    id: 'sleep-in-extract-syntax',
    sql: 'SELECT extract(epoch FROM now() + pg_sleep(1)::text::interval)',
    rule: 'function',
  },
  {
    id: 'sleep-in-rows-from',
    sql: 'SELECT * FROM ROWS FROM (generate_series(1, 2), pg_sleep(1)) AS t(a, b)',
    rule: 'function',
  },
  { id: 'sleep-in-limit', sql: 'SELECT * FROM canary LIMIT pg_sleep(1)::text::int', rule: 'function' },
  { id: 'sleep-in-exists', sql: 'SELECT EXISTS (SELECT pg_sleep(1))', rule: 'function' },
  {
    id: 'sleep-in-cte-of-explain',
    sql: 'EXPLAIN WITH x AS (SELECT pg_sleep(1)) SELECT * FROM x',
    rule: 'function',
  },
  {
    id: 'sleep-in-tablesample-args',
    sql: 'SELECT * FROM canary TABLESAMPLE system(pg_sleep(1)::text::real)',
    rule: 'function',
  },
  {
    id: 'tablesample-user-method',
    sql: 'SELECT * FROM canary TABLESAMPLE evil_method(10)',
    rule: 'function',
  },
  { id: 'nested-call-arg', sql: "SELECT lower(pg_read_file('/etc/passwd'))", rule: 'function' },
];

/**
 * Legitimate read-only queries the guard must accept. Each one also runs, without parameters, on
 * the integration tests' database (see the module comment) on PostgreSQL 15 and newer.
 */
export const POSTGRES_ALLOWED: readonly string[] = [
  'SELECT 1',
  'SELECT c.id, c.note, d.note AS other FROM canary c JOIN canary d ON d.id <> c.id WHERE c.id > 0 ORDER BY c.id DESC LIMIT 10',
  "WITH alive AS (SELECT id, note FROM canary WHERE note LIKE '%alive%') SELECT count(*) FROM alive",
  'WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t',
  'SELECT id, row_number() OVER (ORDER BY id), lag(note) OVER w, sum(id) OVER w FROM canary WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)',
  "SELECT count(*) FILTER (WHERE id > 1) AS big, avg(id), string_agg(note, ', ' ORDER BY id), bool_and(id > 0) FROM canary",
  'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY id), mode() WITHIN GROUP (ORDER BY note) FROM canary',
  'SELECT g, g * g AS square FROM generate_series(1, 10) AS g WHERE g % 2 = 0',
  'SELECT c.id, s.doubled FROM canary c CROSS JOIN LATERAL (SELECT c.id * 2 AS doubled) AS s',
  `SELECT '{"a":[1,2]}'::jsonb -> 'a' ->> 0 AS first, jsonb_build_object('k', 1) AS obj, e.key, e.value FROM jsonb_each('{"x":1}'::jsonb) AS e`,
  "SELECT value FROM json_array_elements('[1,2,3]') WHERE value::text <> '2'",
  "SELECT id, ts_rank(to_tsvector('simple', note), to_tsquery('simple', 'alive')) FROM canary WHERE to_tsvector('simple', note) @@ plainto_tsquery('simple', 'still alive')",
  'EXPLAIN (FORMAT JSON) SELECT * FROM canary WHERE id = 1',
  'EXPLAIN (ANALYZE false, COSTS off) SELECT count(*) FROM canary',
  'SHOW search_path',
  'SHOW TRANSACTION ISOLATION LEVEL',
  'SELECT id FROM canary UNION SELECT 3 INTERSECT SELECT 3 EXCEPT SELECT 4 ORDER BY 1',
  "VALUES (1, 'one'), (2, 'two')",
  "SELECT CASE WHEN id > 1 THEN 'big' ELSE 'small' END AS size, coalesce(note, '?'), nullif(id, 0), greatest(id, 2), least(id, 5) FROM canary",
  "SELECT '42'::int + 1, CAST('2024-01-01' AS date), 'canary'::regclass::oid > 0, now()::date <= current_date + 1, interval '1 day' * 2",
  "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
  "SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid)), obj_description(c.oid, 'pg_class'), pg_get_indexdef(i.indexrelid), pg_get_constraintdef(k.oid) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_index i ON i.indrelid = c.oid LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid WHERE c.relname = 'canary'",
  "SELECT a.attname, format_type(a.atttypid, a.atttypmod), col_description(a.attrelid, a.attnum) FROM pg_attribute a WHERE a.attrelid = 'canary'::regclass AND a.attnum > 0 AND NOT a.attisdropped",
  "SELECT pg_typeof(1), current_schema(), current_schemas(false), pg_relation_size('canary'), pg_table_size('canary'), pg_get_viewdef('pg_tables'::regclass)",
  'SELECT 1 /* ; DROP TABLE canary */',
  'SELECT 1 /* nested /* */ ; DROP TABLE canary */',
  "SELECT E'\\x3b DROP TABLE canary' AS text",
  "SELECT E'\\'; DROP TABLE canary --' AS text",
  'SELECT $$; DROP TABLE canary$$ AS text',
  "SELECT '\\' AS backslash",
  "SELECT extract(year FROM now()), trim(both 'x' FROM 'xax'), substring('abcdef' FROM 2 FOR 3), position('c' IN 'abc'), now() AT TIME ZONE 'UTC', 'a_b' LIKE 'a!_b' ESCAPE '!', overlay('abc' PLACING 'X' FROM 2)",
  'TABLE canary',
  "SELECT * FROM ROWS FROM (generate_series(1, 3), unnest(ARRAY['a', 'b'])) AS t(n, s)",
  'SELECT count(*) FROM canary TABLESAMPLE bernoulli(100) REPEATABLE (1)',
  "SELECT current_setting('search_path'), pg_backend_pid() > 0, current_user, current_database(), version()",
  `SELECT pg_catalog.lower('A'), U&"\\0075pper"('a')`,
  'SELECT * FROM canary c WHERE EXISTS (SELECT 1 FROM canary d WHERE d.id = c.id) AND c.id IN (SELECT 1 UNION SELECT 2) AND c.id = ANY (ARRAY[1, 2])',
  "SELECT gen_random_uuid() IS NOT NULL, random() < 1, (xpath('/a/text()', '<a>x</a>'::xml))[1]::text",
  "SELECT date_trunc('day', now()) - interval '1 day', age(timestamp '2024-01-01', timestamp '2023-01-01'), to_char(now(), 'YYYY-MM-DD')",
  "SELECT has_table_privilege('canary', 'SELECT'), pg_has_role(current_user, 'USAGE'), quote_ident('Canary'), quote_literal('it''s'), format('%I = %L', 'id', 1)",
  'SELECT DISTINCT ON (note) note, id FROM canary ORDER BY note, id',
  'SELECT note, count(*) FROM canary GROUP BY ROLLUP (note) HAVING count(*) >= 1',
  'SELECT * FROM (VALUES (1), (2)) AS v(x) WHERE x > (SELECT min(id) FROM canary)',
];

/**
 * Legitimate read-only queries with bind parameters (`$1`, `$2`): the guard must accept them, and
 * they run on the integration tests' database with `params`. Kept apart from
 * {@link POSTGRES_ALLOWED}, whose entries run without parameters.
 */
export const POSTGRES_ALLOWED_WITH_PARAMS: readonly { sql: string; params: readonly (string | number)[] }[] =
  [
    { sql: 'SELECT id, note FROM canary WHERE id = $1', params: [1] },
    { sql: 'SELECT id FROM canary WHERE note = $1 OR id = $2::int', params: ['alive', 2] },
    { sql: 'EXPLAIN SELECT * FROM canary WHERE id = $1', params: [1] },
  ];
