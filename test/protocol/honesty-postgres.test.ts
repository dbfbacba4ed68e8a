// Annotation honesty of the PostgreSQL server. Every read-only tool is called with valid
// arguments against the sample shop database, read-only and with --allow-write (where explain may
// also run EXPLAIN ANALYZE), and a fingerprint taken from outside the server (the catalog:
// schemas, relations, columns, constraints, indexes, views, functions, triggers, policies,
// sequences, roles, settings, grants; and every table's rows hashed) must not move. The server
// has no non-destructive write tool: execute is declared destructive, and the coverage test keeps
// it that way until one has a test here.
import {
  type StdioSession,
  seedSamplePostgres,
  startTestPostgres,
  type TestPostgres,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type PgClient } from './drivers.js';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import { callTool, type Mode, resultText, startServer } from './servers.js';
import { postgresState } from './state.js';

/**
 * Valid arguments for every read-only tool of the PostgreSQL server, against the sample
 * database. A tool listed with readOnlyHint: true but missing here fails the coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  list_schemas: [{ args: {} }],
  list_tables: [{ args: {} }, { args: { schema: 'public' } }],
  describe_table: [
    { args: { table: 'orders' } },
    { args: { table: 'order_totals', schema: 'public' } },
    { args: { table: 'customers' } },
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
        sql: 'WITH t AS (SELECT * FROM order_totals) SELECT count(*) AS orders, sum(total) AS revenue FROM t',
        format: 'markdown',
      },
    },
    {
      args: { sql: 'SELECT id, name FROM products WHERE price > $1 ORDER BY id', params: [100], max_rows: 3 },
    },
    { args: { sql: 'VALUES (1, $1::text), (2, $2::text)', params: ['a', null] } },
    // Refused by the read-only guard, with nothing run.
    { args: { sql: 'DELETE FROM orders' }, refused: true },
    {
      args: { sql: 'WITH gone AS (DELETE FROM order_items RETURNING id) SELECT count(*) FROM gone' },
      refused: true,
    },
    { args: { sql: 'CREATE TABLE intruder (id int)' }, refused: true },
    { args: { sql: "SELECT set_config('default_transaction_read_only', 'off', false)" }, refused: true },
  ],
  explain: [
    { args: { sql: 'SELECT * FROM orders WHERE customer_id = $1', params: [7] } },
    {
      args: {
        sql: 'SELECT c.city, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city',
      },
    },
    // EXPLAIN ANALYZE runs the statement; the server offers it only with --allow-write.
    {
      args: { sql: 'SELECT count(*) FROM order_items WHERE quantity > $1', params: [2], analyze: true },
      modes: ['write'],
    },
    // Refused: EXPLAIN ANALYZE on the read-only server, and a write in either mode.
    { args: { sql: 'SELECT 1', analyze: true }, modes: ['read'], refused: true },
    { args: { sql: 'DELETE FROM orders', analyze: true }, refused: true },
  ],
};

let database: TestPostgres;
/** The witness's own connection, outside the servers under test. */
let observer: PgClient;
const sessions = new Map<Mode, StdioSession>();
const session = (mode: Mode): StdioSession => {
  const found = sessions.get(mode);
  if (!found) throw new Error(`no ${mode} session`);
  return found;
};

beforeAll(async () => {
  database = await startTestPostgres();
  await seedSamplePostgres(database.url);
  observer = await connectPostgres(database.url, 'bulwark-protocol-witness');
  const env = { DATABASE_URL: database.url };
  const pool = ['--pool-size', String(database.maxPoolSize)];
  sessions.set('read', await startServer('postgres', pool, env));
  sessions.set('write', await startServer('postgres', [...pool, '--allow-write'], env));
});

afterAll(async () => {
  for (const running of sessions.values()) await running.close();
  await observer?.end();
  await database?.close();
});

/** A checkpoint of the database, and the check that nothing changed since. */
async function databaseWitness() {
  const before = await postgresState(observer);
  expect(Object.keys(before.tables)).toEqual([
    'public.customers',
    'public.order_items',
    'public.orders',
    'public.products',
  ]);
  return async (label: string) => {
    expect(await postgresState(observer), `${label} changed the database`).toEqual(before);
  };
}

describe('honesty:postgres — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'postgres',
    modes: ['read', 'write'],
    session,
    calls: READ_ONLY_CALLS,
    witness: databaseWitness,
  });
});

describe('honesty:postgres — destructiveHint: false', () => {
  describeAdditiveCoverage('postgres', 'write', () => session('write'), []);
});

describe('honesty:postgres — the witness', () => {
  it('honesty:postgres:witness — a row changed through execute, and a new object, are seen as changes', async () => {
    const rows = await databaseWitness();
    const result = await callTool(session('write'), 'execute', {
      sql: 'UPDATE products SET stock = stock + 1 WHERE id = $1',
      params: [1],
    });
    expect(result.isError, resultText(result)).toBeFalsy();
    await expect(rows('execute')).rejects.toThrow(/changed the database/);

    const catalog = await databaseWitness();
    const client = await connectPostgres(database.url);
    try {
      await client.query('CREATE SEQUENCE witness_seq');
    } finally {
      await client.end();
    }
    await expect(catalog('CREATE SEQUENCE')).rejects.toThrow(/changed the database/);
  });
});
