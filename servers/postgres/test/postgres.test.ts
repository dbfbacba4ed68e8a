import {
  SAMPLE_SIZES,
  type StdioSession,
  seedSamplePostgres,
  startTestPostgres,
  structuredOf,
  type TestPostgres,
  textOf,
  unwrapUntrusted,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, databaseFingerprint, sql, startPostgresServer } from './helpers.js';

interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  row_count: number;
  truncated: boolean;
  truncated_by?: 'rows' | 'bytes';
  next_cursor?: string;
}

let db: TestPostgres;
let session: StdioSession;

beforeAll(async () => {
  db = await startTestPostgres();
  await seedSamplePostgres(db.url);
  await sql(db.url, 'CREATE TABLE canary (id integer PRIMARY KEY, note text NOT NULL)');
  await sql(db.url, "INSERT INTO canary VALUES (1, 'alive'), (2, 'still alive')");
  await sql(db.url, 'CREATE SCHEMA reporting');
  await sql(db.url, 'CREATE TABLE reporting.daily (day date PRIMARY KEY, revenue numeric(12,2))');
  await sql(
    db.url,
    'CREATE TABLE wide (id bigint PRIMARY KEY, big bigint, amount numeric, raw bytea, doc jsonb, at timestamptz)',
  );
  await sql(
    db.url,
    `INSERT INTO wide VALUES (1, 9007199254740993, 12345678901234567890.123, '\\xdeadbeef', '{"a": [1, 2]}', '2026-01-02T03:04:05Z')`,
  );
  session = await startPostgresServer(db.url, ['--pool-size', String(db.maxPoolSize)]);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await db?.close();
});

describe('tools and catalog', () => {
  it('lists the read tools, and execute only with --allow-write', async () => {
    const names = (await session.client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['describe_table', 'explain', 'list_schemas', 'list_tables', 'query']);
    const writer = await startPostgresServer(db.url, [
      '--allow-write',
      '--pool-size',
      String(db.maxPoolSize),
    ]);
    try {
      const tools = (await writer.client.listTools()).tools;
      const execute = tools.find((tool) => tool.name === 'execute');
      expect(execute?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    } finally {
      await writer.close();
    }
  });

  it('lists schemas and the tables of one schema, including non-public ones', async () => {
    const schemas = structuredOf<{ schemas: { name: string }[] }>(await call(session, 'list_schemas'));
    expect(schemas.schemas.map((schema) => schema.name)).toEqual(
      expect.arrayContaining(['public', 'reporting']),
    );
    const tables = structuredOf<{ tables: { name: string; type: string }[] }>(
      await call(session, 'list_tables', { schema: 'public' }),
    );
    expect(tables.tables.map((table) => `${table.name}:${table.type}`)).toEqual(
      expect.arrayContaining([
        'customers:table',
        'orders:table',
        'order_items:table',
        'products:table',
        'order_totals:view',
      ]),
    );
    const reporting = structuredOf<{ tables: { name: string }[] }>(
      await call(session, 'list_tables', { schema: 'reporting' }),
    );
    expect(reporting.tables.map((table) => table.name)).toEqual(['daily']);
    const missing = await call(session, 'list_tables', { schema: 'nope' });
    expect(missing.isError).toBe(true);
  });

  it('describes a table: columns, keys, foreign keys, indexes, checks and comments', async () => {
    const orders = structuredOf<Record<string, unknown>>(
      await call(session, 'describe_table', { table: 'orders' }),
    );
    expect(orders.primary_key).toEqual(['id']);
    expect(orders.foreign_keys).toEqual([
      expect.objectContaining({
        columns: ['customer_id'],
        referenced_table: 'customers',
        referenced_columns: ['id'],
        on_delete: 'CASCADE',
      }),
    ]);
    expect(JSON.stringify(orders.indexes)).toContain('orders_customer_idx');
    const status = (
      orders.columns as { name: string; nullable: boolean; default?: string; comment?: string }[]
    ).find((column) => column.name === 'status');
    expect(status).toMatchObject({
      nullable: false,
      comment: 'pending, paid, shipped, delivered or cancelled',
    });
    expect(status?.default).toContain('pending');
    const products = structuredOf<{ constraints: { type: string; definition: string }[] }>(
      await call(session, 'describe_table', { table: 'products' }),
    );
    expect(products.constraints.some((c) => c.type === 'check' && c.definition.includes('price > '))).toBe(
      true,
    );
    const daily = structuredOf<{ schema: string }>(
      await call(session, 'describe_table', { table: 'daily', schema: 'reporting' }),
    );
    expect(daily.schema).toBe('reporting');
    const missing = await call(session, 'describe_table', { table: 'nope' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/no table or view named "nope"/);
  });

  it('sql:least-privilege — warns on stderr and in its instructions when its role can write', async () => {
    // Both test databases connect as a superuser, the setup the warning exists for.
    expect(session.client.getInstructions()).toMatch(/Warning: the database role "\w+" is a superuser/);
    expect(session.stderr()).toMatch(/warning: the database role "\w+" is a superuser/);
  });

  it('applies --search-path to every statement', async () => {
    const scoped = await startPostgresServer(db.url, [
      '--search-path',
      'reporting,public',
      '--pool-size',
      String(db.maxPoolSize),
    ]);
    try {
      const page = structuredOf<QueryResult>(
        await call(scoped, 'query', { sql: 'SELECT count(*)::int AS n FROM daily' }),
      );
      expect(page.rows).toEqual([[expect.any(Number)]]);
      const unscoped = await call(session, 'query', { sql: 'SELECT count(*) FROM daily' });
      expect(unscoped.isError).toBe(true);
      expect(textOf(unscoped)).toMatch(/42P01/);
    } finally {
      await scoped.close();
    }
  });

  it('binds identifiers: a table name with SQL in it is just a name that does not exist', async () => {
    const result = await call(session, 'describe_table', { table: "orders'; DROP TABLE canary; --" });
    expect(result.isError).toBe(true);
    expect(await sql(db.url, 'SELECT count(*)::int AS n FROM canary')).toEqual([{ n: 2 }]);
  });
});

describe('query', () => {
  it('returns typed columns and JSON-safe values (64-bit integers, numeric, bytea, jsonb, timestamptz)', async () => {
    const result = structuredOf<QueryResult>(
      await call(session, 'query', { sql: 'SELECT big, amount, raw, doc, at FROM wide' }),
    );
    expect(result.columns.map((column) => column.type)).toEqual([
      'bigint',
      'numeric',
      'bytea',
      'jsonb',
      'timestamp with time zone',
    ]);
    expect(result.rows[0]).toEqual([
      '9007199254740993',
      '12345678901234567890.123',
      { $base64: Buffer.from('deadbeef', 'hex').toString('base64') },
      { a: [1, 2] },
      '2026-01-02T03:04:05.000Z',
    ]);
  });

  it('binds parameters and renders CSV and Markdown on request', async () => {
    const args = { sql: 'SELECT id, name FROM customers WHERE id <= $1 ORDER BY id', params: [2] };
    const json = structuredOf<QueryResult>(await call(session, 'query', args));
    expect(json.row_count).toBe(2);
    const csv = await call(session, 'query', { ...args, format: 'csv' });
    expect(unwrapUntrusted(textOf(csv)).split('\n')[0]).toBe('id,name');
    const markdown = await call(session, 'query', { ...args, format: 'markdown' });
    expect(unwrapUntrusted(textOf(markdown))).toMatch(/^\| id \| name \|/);
    expect(structuredOf<QueryResult>(csv).rows).toEqual(json.rows);
  });

  it('pages through a result with the row cap and a cursor, with no row lost or repeated', async () => {
    const ids: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structuredOf<QueryResult>(
        await call(session, 'query', {
          sql: 'SELECT id FROM orders ORDER BY id',
          max_rows: 700,
          ...(cursor ? { cursor } : {}),
        }),
      );
      ids.push(...page.rows.map((row) => row[0] as number));
      if (page.next_cursor) expect(page).toMatchObject({ truncated: true, truncated_by: 'rows' });
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(ids).toEqual(Array.from({ length: SAMPLE_SIZES.orders }, (_, index) => index + 1));
  });

  it('refuses a cursor from another statement', async () => {
    const first = structuredOf<QueryResult>(
      await call(session, 'query', { sql: 'SELECT id FROM orders', max_rows: 10 }),
    );
    const result = await call(session, 'query', {
      sql: 'SELECT id FROM customers',
      cursor: first.next_cursor,
    });
    expect(result.isError).toBe(true);
  });

  it('stops at the byte cap and says so', async () => {
    const small = await startPostgresServer(db.url, [
      '--max-bytes',
      '2000',
      '--pool-size',
      String(db.maxPoolSize),
    ]);
    try {
      const page = structuredOf<QueryResult>(
        await call(small, 'query', { sql: 'SELECT * FROM customers ORDER BY id' }),
      );
      expect(page).toMatchObject({ truncated: true, truncated_by: 'bytes' });
      expect(page.rows.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(JSON.stringify(page.rows))).toBeLessThanOrEqual(2000 + 2);
    } finally {
      await small.close();
    }
  });

  it('ends a runaway statement at its time limit and keeps serving', async () => {
    const quick = await startPostgresServer(db.url, [
      '--timeout',
      '1',
      '--pool-size',
      String(db.maxPoolSize),
    ]);
    try {
      // About 2 s on PostgreSQL (statement_timeout cancels it at 1 s) and 6 s on PGlite, which
      // ignores statement_timeout (the driver's own deadline closes the connection at 2 s).
      const result = await call(quick, 'query', { sql: 'SELECT count(*) FROM generate_series(1, 20000000)' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/ran past its 1 s limit/);
      expect(structuredOf<QueryResult>(await call(quick, 'query', { sql: 'SELECT 1 AS one' })).rows).toEqual([
        [1],
      ]);
    } finally {
      await quick.close();
    }
  });

  it('returns the plan as JSON and refuses EXPLAIN ANALYZE without --allow-write', async () => {
    const plan = structuredOf<{ plan: unknown }>(
      await call(session, 'explain', { sql: 'SELECT * FROM orders WHERE customer_id = $1', params: [3] }),
    );
    expect(JSON.stringify(plan.plan)).toContain('"Node Type"');
    const analyze = await call(session, 'explain', { sql: 'SELECT 1', analyze: true });
    expect(analyze.isError).toBe(true);
  });
});

describe('execute (--allow-write)', () => {
  it('commits one statement, rolls back a failing one, and refuses two statements in one call', async () => {
    const writer = await startPostgresServer(db.url, [
      '--allow-write',
      '--pool-size',
      String(db.maxPoolSize),
    ]);
    try {
      const inserted = structuredOf<{ rows_affected: number; returning?: { rows: unknown[][] } }>(
        await call(writer, 'execute', {
          sql: 'INSERT INTO reporting.daily VALUES ($1, $2) RETURNING day',
          params: ['2026-01-01', 10],
        }),
      );
      expect(inserted.rows_affected).toBe(1);
      expect(inserted.returning?.rows).toHaveLength(1);
      const duplicate = await call(writer, 'execute', {
        sql: 'INSERT INTO reporting.daily VALUES ($1, $2)',
        params: ['2026-01-01', 11],
      });
      expect(duplicate.isError).toBe(true);
      expect(textOf(duplicate)).toMatch(/23505/);
      const twoStatements = await call(writer, 'execute', {
        sql: "INSERT INTO reporting.daily VALUES ('2026-01-02', 1); DELETE FROM canary",
      });
      expect(twoStatements.isError).toBe(true);
      expect(await sql(db.url, 'SELECT count(*)::int AS n FROM reporting.daily')).toEqual([{ n: 1 }]);
      expect(await sql(db.url, 'SELECT count(*)::int AS n FROM canary')).toEqual([{ n: 2 }]);
    } finally {
      await writer.close();
    }
  });
});

describe('read-only holds', () => {
  it('sql:engine-read-only — reads change nothing: the catalog and data fingerprint is the same after every read tool', async () => {
    const before = await databaseFingerprint(db.url);
    await call(session, 'list_schemas');
    await call(session, 'list_tables');
    await call(session, 'describe_table', { table: 'orders' });
    await call(session, 'query', { sql: 'SELECT * FROM order_totals ORDER BY total DESC LIMIT 5' });
    await call(session, 'explain', { sql: 'SELECT * FROM canary' });
    expect(await databaseFingerprint(db.url)).toBe(before);
  });
});
