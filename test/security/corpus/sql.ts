/**
 * SQL guard bypasses: every attack of the shared guard corpora (`test/corpus/sqlite-guard.ts`,
 * `test/corpus/postgres-guard.ts`) sent through the read-only server's `query` tool, and again
 * through `explain`, which must pass the same guard. Each must be
 * refused by its rule (the refusal names `sql:<rule>`), and the targets' post-checks prove that
 * nothing changed: for SQLite the canary rows, the schema and cookies, the file's bytes and the
 * files an attack names; for PostgreSQL the canary rows, the catalog, the settings and the
 * sequence.
 */
import { POSTGRES_ATTACKS } from '../../corpus/postgres-guard.js';
import { SQLITE_ATTACKS } from '../../corpus/sqlite-guard.js';
import type { AttackCase } from '../lib/types.js';
import type { PostgresFixture } from '../targets/postgres.js';
import type { SqliteFixture } from '../targets/sqlite.js';

/** `explain` with `analyze` on a read-only server: refused before anything runs. */
const ANALYZE_REFUSED =
  /only available when the server is started with --allow-write|SQLite has no EXPLAIN ANALYZE/;

/**
 * Every attack through `query` and through `explain` (which wraps the statement in EXPLAIN and
 * must pass the same guard), plus `explain` with `analyze`, which would run the statement.
 */
function throughTools<F>(
  dialect: 'sqlite' | 'postgres',
  attacks: readonly { id: string; sql: string; rule: string }[],
): AttackCase<F>[] {
  const expectFor = (sql: string, rule: string) =>
    // The tools' schema takes one character at least: the empty string is refused by input
    // validation before the guard sees it.
    sql === ''
      ? { kind: 'refused' as const, message: /sql/i }
      : { kind: 'rule' as const, rule: `sql:${rule}` };
  return [
    ...attacks.map(
      (attack): AttackCase<F> => ({
        id: `sql:${dialect}/${attack.id}`,
        class: 'sql',
        tool: 'query',
        arguments: { sql: attack.sql },
        expect: expectFor(attack.sql, attack.rule),
      }),
    ),
    ...attacks.map(
      (attack): AttackCase<F> => ({
        id: `sql:${dialect}/explain/${attack.id}`,
        class: 'sql',
        tool: 'explain',
        arguments: { sql: attack.sql },
        expect: expectFor(attack.sql, attack.rule),
      }),
    ),
    ...['DELETE FROM canary', 'SELECT 1'].map(
      (sql): AttackCase<F> => ({
        id: `sql:${dialect}/explain-analyze/${sql.split(' ')[0]?.toLowerCase()}`,
        class: 'sql',
        tool: 'explain',
        arguments: { sql, analyze: true },
        expect: { kind: 'refused', message: ANALYZE_REFUSED },
      }),
    ),
  ];
}

/** SQLite: two controls, then every corpus attack through `query` and `explain`. */
export const SQLITE_SQL_CASES: readonly AttackCase<SqliteFixture>[] = [
  {
    id: 'sql:sqlite/control-select',
    class: 'sql',
    tool: 'query',
    arguments: { sql: 'SELECT name FROM canary WHERE id = 1' },
    expect: { kind: 'allowed', contains: 'alpha' },
  },
  {
    id: 'sql:sqlite/control-pragma',
    class: 'sql',
    tool: 'query',
    arguments: { sql: 'PRAGMA table_info(canary)' },
    expect: { kind: 'allowed', contains: 'score' },
  },
  ...throughTools<SqliteFixture>('sqlite', SQLITE_ATTACKS),
];

/** PostgreSQL: two controls, then every corpus attack through `query` and `explain`. */
export const POSTGRES_SQL_CASES: readonly AttackCase<PostgresFixture>[] = [
  {
    id: 'sql:postgres/control-select',
    class: 'sql',
    tool: 'query',
    arguments: { sql: 'SELECT note FROM canary WHERE id = 2' },
    expect: { kind: 'allowed', contains: 'still alive' },
  },
  {
    id: 'sql:postgres/control-show',
    class: 'sql',
    tool: 'query',
    arguments: { sql: 'SHOW search_path' },
    expect: { kind: 'allowed', contains: 'public' },
  },
  ...throughTools<PostgresFixture>('postgres', POSTGRES_ATTACKS),
];
