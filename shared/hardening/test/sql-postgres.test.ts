/**
 * PostgreSQL read-only guard: the shared attack corpus (each attack refused by exactly its rule),
 * the legitimate queries it must let through, EXPLAIN ANALYZE on writable servers, the whole-tree
 * walk at depth, the function allowlist and the shape of refusal messages.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  POSTGRES_ALLOWED,
  POSTGRES_ALLOWED_WITH_PARAMS,
  POSTGRES_ATTACKS,
} from '../../../test/corpus/postgres-guard.js';
import {
  assertReadOnlyPostgres,
  POSTGRES_SAFE_FUNCTIONS,
  SqlGuardError,
  type SqlGuardRule,
} from '../src/index.js';

/** Runs the guard and returns its refusal; fails the test when the statement is accepted. */
async function refusal(sql: string, options?: { allowAnalyze?: boolean }): Promise<SqlGuardError> {
  try {
    const info = await assertReadOnlyPostgres(sql, options);
    throw new Error(`accepted: ${JSON.stringify(info)}`);
  } catch (error) {
    if (!(error instanceof SqlGuardError)) throw error;
    return error;
  }
}

async function expectRule(
  sql: string,
  rule: SqlGuardRule,
  options?: { allowAnalyze?: boolean },
): Promise<void> {
  const error = await refusal(sql, options);
  expect(error.rule, `${sql} -> ${error.message}`).toBe(rule);
  expect(error.message).toContain(`sql:${rule}`);
}

/** Rules the PostgreSQL guard applies (`pragma` and `not-read-only` belong to the SQLite guard). */
const POSTGRES_RULES: readonly SqlGuardRule[] = [
  'parse-error',
  'empty',
  'multiple-statements',
  'statement-kind',
  'writable-cte',
  'select-into',
  'locking-clause',
  'explain-analyze',
  'show-setting',
  'function',
];

describe('the shared corpus', () => {
  it('sql:corpus — has at least 35 attacks with unique ids, covering every PostgreSQL rule, and 20 allowed queries', () => {
    expect(POSTGRES_ATTACKS.length).toBeGreaterThanOrEqual(35);
    expect(POSTGRES_ALLOWED.length).toBeGreaterThanOrEqual(20);
    const ids = POSTGRES_ATTACKS.map((attack) => attack.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(POSTGRES_ATTACKS.map((attack) => attack.rule))).toEqual(new Set(POSTGRES_RULES));
  });

  it.each(POSTGRES_ATTACKS)('sql:$rule — refuses $id', async ({ sql, rule }) => {
    await expectRule(sql, rule);
  });

  it.each(POSTGRES_ALLOWED)('sql:no-false-positive — accepts %s', async (sql) => {
    await expect(assertReadOnlyPostgres(sql)).resolves.toHaveProperty('kind');
  });

  it.each(POSTGRES_ALLOWED_WITH_PARAMS)(
    'sql:no-false-positive — accepts $sql (bind parameters)',
    async ({ sql }) => {
      await expect(assertReadOnlyPostgres(sql)).resolves.toHaveProperty('kind');
    },
  );
});

describe('what an accepted statement is', () => {
  it('sql:statement-kind — SELECT, set operations, VALUES and TABLE are selects', async () => {
    for (const sql of ['SELECT 1', 'SELECT 1 UNION SELECT 2', 'VALUES (1)', 'TABLE canary']) {
      expect(await assertReadOnlyPostgres(sql)).toEqual({ kind: 'select' });
    }
  });

  it('sql:statement-kind — EXPLAIN reports whether it analyzes', async () => {
    expect(await assertReadOnlyPostgres('EXPLAIN SELECT 1')).toEqual({
      kind: 'explain',
      explainAnalyze: false,
    });
    expect(await assertReadOnlyPostgres('EXPLAIN ANALYZE SELECT 1', { allowAnalyze: true })).toEqual({
      kind: 'explain',
      explainAnalyze: true,
    });
  });

  it('sql:show-setting — SHOW of allowlisted settings, whatever their spelling', async () => {
    for (const sql of [
      'SHOW server_version',
      'SHOW server_version_num',
      'SHOW TIME ZONE',
      'SHOW "TimeZone"',
      'SHOW DateStyle',
      'SHOW standard_conforming_strings',
      'SHOW transaction_read_only',
      'SHOW statement_timeout',
    ]) {
      expect(await assertReadOnlyPostgres(sql)).toEqual({ kind: 'show' });
    }
  });
});

describe('EXPLAIN ANALYZE', () => {
  it('sql:explain-analyze — ANALYZE false, off, 0 and OFF are not analyze', async () => {
    for (const sql of [
      'EXPLAIN (ANALYZE false) SELECT 1',
      'EXPLAIN (ANALYZE off, FORMAT JSON) SELECT 1',
      'EXPLAIN (ANALYZE 0) SELECT 1',
      "EXPLAIN (ANALYZE 'OFF') SELECT 1",
    ]) {
      expect(await assertReadOnlyPostgres(sql)).toEqual({ kind: 'explain', explainAnalyze: false });
    }
  });

  it('sql:explain-analyze — accepted with allowAnalyze, in every spelling', async () => {
    for (const sql of [
      'EXPLAIN ANALYZE SELECT 1',
      'EXPLAIN (ANALYZE, BUFFERS) SELECT 1',
      'EXPLAIN (ANALYZE on) SELECT 1',
    ]) {
      expect(await assertReadOnlyPostgres(sql, { allowAnalyze: true })).toEqual({
        kind: 'explain',
        explainAnalyze: true,
      });
    }
  });

  // Design: the statement inside EXPLAIN is checked like a top-level statement, before the ANALYZE
  // option, so an explained write is refused as `statement-kind` whether or not ANALYZE is
  // allowed (ANALYZE would execute it).
  it('sql:statement-kind — EXPLAIN ANALYZE of a write is refused even with allowAnalyze', async () => {
    await expectRule('EXPLAIN ANALYZE DELETE FROM canary', 'statement-kind', { allowAnalyze: true });
    await expectRule("EXPLAIN (ANALYZE) UPDATE canary SET note = 'x'", 'statement-kind', {
      allowAnalyze: true,
    });
    await expectRule('EXPLAIN ANALYZE CREATE TABLE t2 AS SELECT 1', 'statement-kind', { allowAnalyze: true });
    await expectRule('EXPLAIN ANALYZE DELETE FROM canary', 'statement-kind');
  });

  it('sql:writable-cte — EXPLAIN ANALYZE still walks the whole inner query with allowAnalyze', async () => {
    await expectRule(
      'EXPLAIN ANALYZE WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d',
      'writable-cte',
      {
        allowAnalyze: true,
      },
    );
    await expectRule('EXPLAIN ANALYZE SELECT pg_sleep(10)', 'function', { allowAnalyze: true });
    await expectRule('EXPLAIN ANALYZE SELECT * FROM canary FOR UPDATE', 'locking-clause', {
      allowAnalyze: true,
    });
    await expectRule('EXPLAIN ANALYZE SELECT * INTO t2 FROM canary', 'select-into', { allowAnalyze: true });
  });
});

describe('the whole-tree walk', () => {
  /** A scalar subquery in the WHERE of a CTE of the second branch of a UNION, with `inner` at the bottom. */
  const deep = (inner: string) =>
    `SELECT 1 UNION ALL (WITH c AS (SELECT id FROM canary WHERE id = (SELECT id FROM (${inner}) AS s LIMIT 1)) SELECT id FROM c)`;

  it('sql:writable-cte — a write inside a scalar subquery in the WHERE of a CTE of a UNION branch', async () => {
    await expectRule(deep('WITH d AS (DELETE FROM canary RETURNING id) SELECT id FROM d'), 'writable-cte');
  });

  it('sql:function — a forbidden call at the same depth', async () => {
    await expectRule(deep('SELECT pg_sleep(1)::text::int AS id'), 'function');
  });

  it('sql:locking-clause — a row lock at the same depth', async () => {
    await expectRule(deep('SELECT id FROM canary FOR UPDATE'), 'locking-clause');
  });

  it('sql:select-into — SELECT INTO at the same depth', async () => {
    await expectRule(deep('WITH x AS (SELECT 1 AS id INTO t2) SELECT id FROM x'), 'select-into');
  });

  it('sql:no-false-positive — the same structure with a plain read passes', async () => {
    await expect(assertReadOnlyPostgres(deep('SELECT id FROM canary'))).resolves.toEqual({ kind: 'select' });
  });

  it('sql:writable-cte — a write under 100 nested subqueries is found', async () => {
    let sql = 'WITH d AS (DELETE FROM canary RETURNING id) SELECT id FROM d';
    for (let i = 0; i < 100; i++) sql = `SELECT id FROM (${sql}) AS s${i}`;
    await expectRule(sql, 'writable-cte');
  });

  it('sql:function — calls in every clause and expression kind are checked', async () => {
    for (const sql of [
      'SELECT * FROM canary WHERE id IN (SELECT pg_sleep(1)::text::int)',
      'SELECT ARRAY[pg_sleep(1)]',
      'SELECT (SELECT 1) + length(pg_sleep(1)::text)',
      'SELECT id FROM canary GROUP BY GROUPING SETS ((id), (pg_sleep(1)::text))',
      'SELECT DISTINCT ON (pg_sleep(1)::text) id FROM canary',
      'SELECT lower(x => pg_sleep(1)::text)',
      'SELECT row(pg_sleep(1))',
      'SELECT 1 OFFSET length(pg_sleep(1)::text)',
      "SELECT xmlelement(name a, pg_read_file('/etc/passwd'))",
      "SELECT JSON_OBJECT('k': pg_read_file('/etc/passwd'))",
      "SELECT * FROM XMLTABLE('/a' PASSING (pg_read_file('/x')::xml) COLUMNS b text)",
      'SELECT id FROM canary ORDER BY id COLLATE "C", pg_sleep(1)',
      'SELECT string_agg(note, pg_sleep(1)::text) FROM canary',
      'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY pg_sleep(1)::text::float8)',
      'SELECT CASE pg_sleep(1)::text WHEN 1 THEN 2 END',
      'SELECT * FROM canary WHERE id = ANY (SELECT pg_sleep(1)::text::int)',
    ]) {
      await expectRule(sql, 'function');
    }
  });
});

describe('text the parser sees differently from a naive splitter', () => {
  it('sql:empty — empty, whitespace-only and comment-only text', async () => {
    await expectRule('', 'empty');
    await expectRule('   \n ', 'empty');
    await expectRule('/* nothing */ -- here', 'empty');
    await expectRule(';', 'empty');
  });

  it('sql:parse-error — includes the parser message', async () => {
    const error = await refusal('SELEC 1');
    expect(error.rule).toBe('parse-error');
    expect(error.message).toMatch(/syntax error at or near "SELEC"/);
  });

  it('sql:parse-error — a NUL byte is refused before the parser would stop at it', async () => {
    await expectRule('SELECT 1\0; DROP TABLE canary', 'parse-error');
  });

  it('sql:multiple-statements — says how many statements it found', async () => {
    const error = await refusal('SELECT 1; SELECT 2; SELECT 3');
    expect(error.message).toContain('3 statements');
  });

  it('sql:no-false-positive — a trailing semicolon is still one statement', async () => {
    await expect(assertReadOnlyPostgres('SELECT 1;')).resolves.toEqual({ kind: 'select' });
  });
});

describe('refusal messages', () => {
  it('sql:message — one line, names the rule, and echoes at most 60 characters of the SQL', async () => {
    const long = 'x'.repeat(500);
    for (const sql of [
      `DROP TABLE ${long}`,
      `SELECT '${long}`,
      `SELECT ${long}(1)`,
      `SHOW ${long}`,
      `SELECT 1; SELECT '${long}'`,
      `SELECT * FROM canary WHERE note = '${long}' FOR UPDATE`,
    ]) {
      const error = await refusal(sql);
      expect(error.message).toContain(`sql:${error.rule}`);
      expect(error.message).not.toMatch(/\n/);
      expect(error.message).not.toContain('x'.repeat(61));
    }
  });

  it('sql:message — control and bidi characters from the SQL never reach the message', async () => {
    const error = await refusal('DROP TABLE "a\u202Eb\u0007c"');
    expect(error.message).not.toContain('\u202E');
    expect(error.message).not.toContain('\u0007');
  });
});

describe('POSTGRES_SAFE_FUNCTIONS', () => {
  /** Functions that must never be on the allowlist (each changes state, sleeps, reads files or runs SQL). */
  const FORBIDDEN = [
    'pg_sleep',
    'pg_sleep_for',
    'pg_sleep_until',
    'pg_read_file',
    'pg_read_binary_file',
    'pg_ls_dir',
    'pg_ls_logdir',
    'pg_ls_waldir',
    'pg_stat_file',
    'lo_import',
    'lo_export',
    'lo_get',
    'lo_put',
    'lo_create',
    'lo_creat',
    'lo_unlink',
    'lo_from_bytea',
    'loread',
    'lowrite',
    'lo_open',
    'dblink',
    'dblink_exec',
    'dblink_connect',
    'set_config',
    'setseed',
    'pg_terminate_backend',
    'pg_cancel_backend',
    'pg_reload_conf',
    'pg_rotate_logfile',
    'pg_advisory_lock',
    'pg_advisory_lock_shared',
    'pg_advisory_xact_lock',
    'pg_advisory_xact_lock_shared',
    'pg_advisory_unlock',
    'pg_advisory_unlock_all',
    'pg_try_advisory_lock',
    'pg_try_advisory_xact_lock',
    'nextval',
    'setval',
    'currval',
    'lastval',
    'txid_current',
    'pg_current_xact_id',
    'pg_notify',
    'pg_switch_wal',
    'pg_create_restore_point',
    'pg_logical_emit_message',
    'query_to_xml',
    'query_to_xmlschema',
    'query_to_xml_and_xmlschema',
    'table_to_xml',
    'cursor_to_xml',
    'schema_to_xml',
    'database_to_xml',
    'ts_rewrite',
    'ts_stat',
    'pg_file_write',
    'pg_import_system_collations',
    'pg_stat_reset',
    'pg_promote',
    'pg_export_snapshot',
  ];

  it.each(FORBIDDEN)('sql:function — %s is not allowlisted and a call to it is refused', async (name) => {
    expect(POSTGRES_SAFE_FUNCTIONS.has(name)).toBe(false);
    await expectRule(`SELECT ${name}()`, 'function');
    await expectRule(`SELECT pg_catalog.${name}()`, 'function');
  });

  it('sql:function — entries are bare lower-case names, as the parser folds unquoted identifiers', () => {
    for (const name of POSTGRES_SAFE_FUNCTIONS) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('sql:function — allowlisted names pass bare and pg_catalog-qualified, not under another schema', async () => {
    await expect(
      assertReadOnlyPostgres('SELECT lower(note), pg_catalog.upper(note) FROM canary'),
    ).resolves.toEqual({
      kind: 'select',
    });
    await expectRule("SELECT public.lower('a')", 'function');
    await expectRule("SELECT information_schema.lower('a')", 'function');
  });

  it('sql:function — SQL-syntax calls (EXTRACT, TRIM, AT TIME ZONE, ...) are checked under their parser names', async () => {
    await expect(
      assertReadOnlyPostgres(
        "SELECT extract(epoch FROM now()), trim(leading 'x' FROM 'xa'), 'a' IS NFC NORMALIZED, normalize('a', NFKC), collation for ('a'), system_user, now() AT LOCAL, (now(), now()) OVERLAPS (now(), now()), 'a' SIMILAR TO 'a', xmlexists('//a' PASSING '<a/>')",
      ),
    ).resolves.toEqual({ kind: 'select' });
    await expectRule('SELECT extract(epoch FROM pg_sleep(1)::text::timestamp)', 'function');
  });

  it('sql:function — ROWS FROM and TABLESAMPLE are checked', async () => {
    await expectRule("SELECT * FROM ROWS FROM (unnest(ARRAY[1]), pg_ls_dir('.')) AS t(a, b)", 'function');
    await expectRule('SELECT * FROM canary TABLESAMPLE system_time(1000)', 'function');
    await expectRule('SELECT * FROM canary TABLESAMPLE public.system(10)', 'function');
    await expect(assertReadOnlyPostgres('SELECT * FROM canary TABLESAMPLE SYSTEM (10)')).resolves.toEqual({
      kind: 'select',
    });
  });
});

describe('loading', () => {
  it('sql:lazy-parser — libpg-query (WASM) is imported dynamically, never at module load', async () => {
    const source = await readFile(new URL('../src/sql/postgres.ts', import.meta.url), 'utf8');
    expect(source).toContain("import('libpg-query')");
    expect(source).not.toMatch(/^import\s+(?!type\b)[^;]*['"]libpg-query['"]/m);
    expect(source).not.toMatch(/^export\s[^;]*from\s+['"]libpg-query['"]/m);
  });
});

describe('verdict cache', () => {
  it('sql:verdict-cache — a repeated statement gets the same verdict, refusals included, and options are part of the key', async () => {
    const write = 'WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d';
    for (let round = 0; round < 3; round++) {
      await expect(assertReadOnlyPostgres(write)).rejects.toMatchObject({ rule: 'writable-cte' });
      await expect(assertReadOnlyPostgres('SELECT 1')).resolves.toEqual({ kind: 'select' });
    }
    await expect(assertReadOnlyPostgres('EXPLAIN ANALYZE SELECT 1')).rejects.toMatchObject({
      rule: 'explain-analyze',
    });
    await expect(
      assertReadOnlyPostgres('EXPLAIN ANALYZE SELECT 1', { allowAnalyze: true }),
    ).resolves.toMatchObject({
      kind: 'explain',
    });
    await expect(assertReadOnlyPostgres('EXPLAIN ANALYZE SELECT 1')).rejects.toMatchObject({
      rule: 'explain-analyze',
    });
  });
});
