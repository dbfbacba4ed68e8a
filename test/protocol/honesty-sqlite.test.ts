// Annotation honesty of the SQLite server. Every read-only tool is called with valid arguments
// against the sample shop database, read-only and with --allow-write, and a fingerprint of the
// database taken from outside the server (file bytes, sqlite_schema, schema cookies, every
// table's rows hashed) must not move. The server has no non-destructive write tool: execute is
// declared destructive, and the coverage test keeps it that way until one has a test here.
import { createSampleSqlite, createTempTree, type StdioSession, type TempTree } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import { callTool, type Mode, resultText, startServer } from './servers.js';
import { sqliteState } from './state.js';

/**
 * Valid arguments for every read-only tool of the SQLite server, against the sample database.
 * A tool listed with readOnlyHint: true but missing here fails the coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  list_tables: [{ args: {} }, { args: { schema: 'main' } }],
  describe_table: [
    { args: { table: 'orders' } },
    { args: { table: 'order_totals' } },
    { args: { table: 'customers', schema: 'main' } },
  ],
  query: [
    { args: { sql: 'SELECT * FROM customers ORDER BY id LIMIT 5' } },
    {
      args: {
        sql: 'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status',
        format: 'csv',
      },
    },
    {
      args: {
        sql: 'WITH t AS (SELECT * FROM order_totals) SELECT count(*) AS orders, round(sum(total), 2) AS revenue FROM t',
        format: 'markdown',
      },
    },
    {
      args: { sql: 'SELECT id, name FROM products WHERE price > ? ORDER BY id', params: [100], max_rows: 3 },
    },
    { args: { sql: 'VALUES (1, ?), (2, ?)', params: ['a', null] } },
  ],
  explain: [
    { args: { sql: 'SELECT * FROM orders WHERE customer_id = ?', params: [7] } },
    {
      args: {
        sql: 'SELECT c.city, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city',
      },
    },
    // Refused: SQLite has no EXPLAIN ANALYZE, and a write is not explained.
    { args: { sql: 'SELECT 1', analyze: true }, refused: true },
    { args: { sql: 'DROP TABLE orders' }, refused: true },
  ],
};

let dir: TempTree;
let file: string;
const sessions = new Map<Mode, StdioSession>();
const session = (mode: Mode): StdioSession => {
  const found = sessions.get(mode);
  if (!found) throw new Error(`no ${mode} session`);
  return found;
};

beforeAll(async () => {
  dir = await createTempTree({}, 'bulwark-honesty-sqlite-');
  file = dir.path('shop.db');
  await createSampleSqlite(file);
  sessions.set('read', await startServer('sqlite', [file]));
  sessions.set('write', await startServer('sqlite', ['--allow-write', file]));
});

afterAll(async () => {
  for (const running of sessions.values()) await running.close();
  await dir?.remove();
});

/** A checkpoint of the database, and the check that nothing changed since. */
async function databaseWitness() {
  const before = sqliteState(file);
  expect(Object.keys(before.tables)).toEqual(['customers', 'order_items', 'orders', 'products']);
  return async (label: string) => {
    expect(sqliteState(file), `${label} changed the database`).toEqual(before);
  };
}

describe('honesty:sqlite — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'sqlite',
    modes: ['read', 'write'],
    session,
    calls: READ_ONLY_CALLS,
    witness: databaseWitness,
  });
});

describe('honesty:sqlite — destructiveHint: false', () => {
  describeAdditiveCoverage('sqlite', 'write', () => session('write'), []);
});

describe('honesty:sqlite — the witness', () => {
  it('honesty:sqlite:witness — a row changed through execute is seen as a change', async () => {
    const check = await databaseWitness();
    const result = await callTool(session('write'), 'execute', {
      sql: 'UPDATE products SET stock = stock + 1 WHERE id = ?',
      params: [1],
    });
    expect(result.isError, resultText(result)).toBeFalsy();
    await expect(check('execute')).rejects.toThrow(/changed the database/);
  });
});
