import { InvalidCursorError } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SQL_LIMITS } from '../src/deps.js';
import { LIST_PAGE_SIZE } from '../src/internal/list-page.js';
import { DECLINED } from '../src/tools/execute.js';
import { ANALYZE_NEEDS_WRITE, SQLITE_HAS_NO_ANALYZE } from '../src/tools/explain.js';
import { sqlTools } from '../src/tools/index.js';
import { ArrayDriver, simpleTable } from './array-driver.js';
import { itemsTable, ORDERS } from './fixtures.js';
import { callTool, makeContext } from './helpers.js';

const names = (driver: ArrayDriver) => sqlTools(driver).map((tool) => tool.name);

describe('sqlTools', () => {
  it('offers the read tools of a read-only SQLite driver, without list_schemas and execute', () => {
    expect(names(new ArrayDriver([]))).toEqual(['list_tables', 'describe_table', 'query', 'explain']);
  });

  it('adds list_schemas for a driver with schemas and execute for a writable one', () => {
    expect(names(new ArrayDriver([], 'postgres', true))).toEqual([
      'list_schemas',
      'list_tables',
      'describe_table',
      'query',
      'explain',
      'execute',
    ]);
  });

  it('declares every tool completely: snake_case name, title, description, four hints', () => {
    for (const tool of sqlTools(new ArrayDriver([], 'postgres', true))) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(tool.title.length).toBeGreaterThan(0);
      expect(tool.description.length).toBeGreaterThan(40);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations[hint]).toBe('boolean');
      }
      expect(tool.annotations.openWorldHint).toBe(false);
    }
  });

  it('marks query read-only and execute destructive', () => {
    const tools = sqlTools(new ArrayDriver([], 'sqlite', true));
    expect(tools.find((tool) => tool.name === 'query')?.annotations.readOnlyHint).toBe(true);
    expect(tools.find((tool) => tool.name === 'execute')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it('states the limits it was given in the query description and bounds max_rows by them', () => {
    const limits = { maxRows: 50, maxBytes: 64 * 1024, timeoutMs: 5000 };
    const query = sqlTools(new ArrayDriver([]), limits).find((tool) => tool.name === 'query');
    expect(query?.description).toContain('at most 50');
    expect(query?.description).toContain('64 KiB');
    expect(query?.description).toContain('5 s');
    expect(query?.input.safeParse({ sql: 'SELECT 1', max_rows: 51 }).success).toBe(false);
    expect(query?.input.safeParse({ sql: 'SELECT 1', max_rows: 50 }).success).toBe(true);
  });
});

describe('query', () => {
  it('returns columns and rows, untruncated when everything fits', async () => {
    const driver = new ArrayDriver([itemsTable(3)]);
    const { structured } = await callTool(driver, 'query', { sql: 'SELECT * FROM items' });
    expect(structured).toEqual({
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
      ],
      rows: [
        [1, 'item 1'],
        [2, 'item 2'],
        [3, 'item 3'],
      ],
      row_count: 3,
      offset: 0,
      truncated: false,
    });
  });

  it('passes the limits, the bound parameters and the signal to the driver', async () => {
    const driver = new ArrayDriver([]);
    const context = makeContext(driver);
    const { structured } = await callTool(
      driver,
      'query',
      { sql: 'SELECT $params', params: ['a', 1.5, true, null] },
      context,
    );
    expect(structured.rows).toEqual([['a', 1.5, true, null]]);
    expect(driver.calls[0]?.options).toMatchObject({
      offset: 0,
      maxRows: DEFAULT_SQL_LIMITS.maxRows,
      maxBytes: DEFAULT_SQL_LIMITS.maxBytes,
      timeoutMs: DEFAULT_SQL_LIMITS.timeoutMs,
      signal: context.signal,
    });
  });

  it('pages with the cursor: each page continues exactly after the last row of the previous one', async () => {
    const driver = new ArrayDriver([itemsTable(25)]);
    const seen: unknown[] = [];
    let cursor: string | undefined;
    const pages: { truncated: boolean; truncated_by?: string; offset: number }[] = [];
    do {
      const { structured } = await callTool(driver, 'query', {
        sql: 'SELECT * FROM items',
        max_rows: 10,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...structured.rows);
      pages.push(structured);
      cursor = structured.next_cursor;
    } while (cursor);
    expect(seen).toEqual(itemsTable(25).rows);
    expect(pages.map((page) => [page.offset, page.truncated, page.truncated_by])).toEqual([
      [0, true, 'rows'],
      [10, true, 'rows'],
      [20, false, undefined],
    ]);
  });

  it('keeps the cursor short however long the statement is', async () => {
    const driver = new ArrayDriver([itemsTable(5)]);
    const sql = `SELECT * FROM items -- ${'x'.repeat(90_000)}`;
    const { structured } = await callTool(driver, 'query', { sql, max_rows: 1 });
    expect(structured.next_cursor?.length).toBeLessThan(200);
  });

  it('refuses a cursor made for another statement or other parameters', async () => {
    const driver = new ArrayDriver([
      itemsTable(5),
      { ...itemsTable(5), description: simpleTable('other', []) },
    ]);
    const first = await callTool(driver, 'query', { sql: 'SELECT * FROM items', max_rows: 2 });
    const cursor = first.structured.next_cursor;
    await expect(callTool(driver, 'query', { sql: 'SELECT * FROM other', cursor })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(
      callTool(driver, 'query', { sql: 'SELECT * FROM items', params: [1], cursor }),
    ).rejects.toThrow(/another query call/);
    expect(driver.calls).toHaveLength(1);
  });

  it('refuses a cursor from another tool and a malformed one', async () => {
    const driver = new ArrayDriver(
      Array.from({ length: LIST_PAGE_SIZE + 1 }, (_, index) => itemsTableNamed(index)),
    );
    const listing = await callTool(driver, 'list_tables', {});
    await expect(
      callTool(driver, 'query', { sql: 'SELECT * FROM t0', cursor: listing.structured.next_cursor }),
    ).rejects.toThrow(/does not belong to query/);
    await expect(callTool(driver, 'query', { sql: 'SELECT * FROM t0', cursor: '%%%' })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('cuts a page at the byte cap, keeps at least one row and continues after it', async () => {
    const big = 'x'.repeat(400);
    const driver = new ArrayDriver([
      {
        description: simpleTable('wide', [['v', 'text']]),
        rows: [[big], [big], [big]],
      },
    ]);
    const context = makeContext(driver, { limits: { maxBytes: 1000 } });
    const first = await callTool(driver, 'query', { sql: 'SELECT * FROM wide' }, context);
    expect(first.structured).toMatchObject({ row_count: 2, truncated: true, truncated_by: 'bytes' });
    const second = await callTool(
      driver,
      'query',
      { sql: 'SELECT * FROM wide', cursor: first.structured.next_cursor },
      context,
    );
    expect(second.structured).toMatchObject({ offset: 2, row_count: 1, truncated: false });

    const tiny = makeContext(driver, { limits: { maxBytes: 10 } });
    const single = await callTool(driver, 'query', { sql: 'SELECT * FROM wide' }, tiny);
    expect(single.structured).toMatchObject({ row_count: 1, truncated: true, truncated_by: 'bytes' });
  });

  it('clamps max_rows to the connection limit', async () => {
    const driver = new ArrayDriver([itemsTable(10)]);
    const context = makeContext(driver, { limits: { maxRows: 3 } });
    const { structured } = await callTool(driver, 'query', { sql: 'SELECT * FROM items' }, context);
    expect(structured).toMatchObject({ row_count: 3, truncated_by: 'rows' });
  });

  it('renders the text in the requested format and keeps the rows in structured content', async () => {
    const driver = new ArrayDriver([itemsTable(2)]);
    const sql = 'SELECT * FROM items';
    const json = await callTool(driver, 'query', { sql });
    // The rendering sits inside the untrusted-content envelope that names its source.
    expect(json.text).toMatch(/^<untrusted-content-[0-9a-f]{8} source="[^"]*query result">\n/);
    expect(json.text).toMatch(/\n<\/untrusted-content-[0-9a-f]{8}>$/);
    expect(JSON.parse(innerText(json.text))).toEqual({
      columns: json.structured.columns,
      rows: json.structured.rows,
    });
    const csv = await callTool(driver, 'query', { sql, format: 'csv' });
    expect(innerText(csv.text)).toBe('id,name\n1,item 1\n2,item 2');
    expect(csv.structured.rows).toEqual(json.structured.rows);
    const markdown = await callTool(driver, 'query', { sql, format: 'markdown' });
    expect(innerText(markdown.text)).toBe('| id | name |\n| --- | --- |\n| 1 | item 1 |\n| 2 | item 2 |');
    expect(markdown.structured.rows).toEqual(json.structured.rows);
    await expect(callTool(driver, 'query', { sql, format: 'xml' })).rejects.toThrow();
  });

  it('says in a separate text block that a page was cut, leaving the rendering intact', async () => {
    const driver = new ArrayDriver([itemsTable(5)]);
    const output = await callTool(driver, 'query', {
      sql: 'SELECT * FROM items',
      format: 'csv',
      max_rows: 2,
    });
    expect(innerText(output.text)).toBe('id,name\n1,item 1\n2,item 2');
    expect(output.content).toHaveLength(1);
    expect(output.content?.[0]).toMatchObject({
      type: 'text',
      text: expect.stringContaining('rows 1-2 shown'),
    });
    const last = await callTool(driver, 'query', { sql: 'SELECT * FROM items' });
    expect(last.content).toBeUndefined();
  });

  it('passes driver errors through', async () => {
    const driver = new ArrayDriver([]);
    await expect(callTool(driver, 'query', { sql: 'SELECT * FROM missing' })).rejects.toThrow(ToolError);
  });

  it('bounds sql and params', () => {
    const query = sqlTools(new ArrayDriver([])).find((tool) => tool.name === 'query');
    expect(query?.input.safeParse({ sql: 'x'.repeat(100_001) }).success).toBe(false);
    expect(query?.input.safeParse({ sql: '' }).success).toBe(false);
    expect(query?.input.safeParse({ sql: 'SELECT 1', params: Array(101).fill(1) }).success).toBe(false);
    expect(query?.input.safeParse({ sql: 'SELECT 1', params: [{}] }).success).toBe(false);
  });
});

describe('explain', () => {
  it('returns the plan as JSON', async () => {
    const driver = new ArrayDriver([itemsTable(1)]);
    const { structured, text } = await callTool(driver, 'explain', { sql: 'SELECT * FROM items' });
    expect(structured.plan).toEqual([{ id: 2, parent: 0, detail: 'SCAN items', analyze: false }]);
    expect(JSON.parse(text)).toEqual(structured.plan);
  });

  it('refuses analyze on a read-only server without calling the driver', async () => {
    const driver = new ArrayDriver([itemsTable(1)], 'postgres');
    const attempt = callTool(driver, 'explain', { sql: 'SELECT * FROM items', analyze: true });
    await expect(attempt).rejects.toThrow(ToolError);
    await expect(attempt).rejects.toThrow(ANALYZE_NEEDS_WRITE);
    expect(driver.calls).toHaveLength(0);
  });

  it('says SQLite has no EXPLAIN ANALYZE, writable or not', async () => {
    for (const writable of [false, true]) {
      const driver = new ArrayDriver([itemsTable(1)], 'sqlite', writable);
      await expect(
        callTool(driver, 'explain', { sql: 'SELECT * FROM items', analyze: true }),
      ).rejects.toThrow(SQLITE_HAS_NO_ANALYZE);
      expect(driver.calls).toHaveLength(0);
    }
  });

  it('passes analyze to a writable driver', async () => {
    const driver = new ArrayDriver([itemsTable(1)], 'postgres', true);
    const { structured } = await callTool(driver, 'explain', { sql: 'SELECT * FROM items', analyze: true });
    expect(structured.plan).toEqual([expect.objectContaining({ analyze: true })]);
  });
});

describe('execute', () => {
  it('is not offered by a read-only driver', () => {
    expect(names(new ArrayDriver([]))).not.toContain('execute');
  });

  it('asks for confirmation, showing the statement, and does nothing when declined', async () => {
    const driver = new ArrayDriver([itemsTable(3)], 'sqlite', true);
    const context = makeContext(driver, { confirm: false });
    const attempt = callTool(driver, 'execute', { sql: 'DELETE FROM items' }, context);
    await expect(attempt).rejects.toThrow(ToolError);
    await expect(attempt).rejects.toThrow(DECLINED);
    expect(context.confirmations[0]).toContain('DELETE FROM items');
    expect(context.confirmations[0]).toContain('test.db');
    expect(driver.calls).toHaveLength(0);
    expect(driver.tables[0]?.rows).toHaveLength(3);
  });

  it('runs the statement once confirmed and reports rows affected', async () => {
    const driver = new ArrayDriver([itemsTable(3)], 'sqlite', true);
    const context = makeContext(driver, { confirm: true });
    const output = await callTool(driver, 'execute', { sql: 'DELETE FROM items', params: [] }, context);
    expect(output.structured).toEqual({ rows_affected: 3 });
    expect(output.text).toBe('3 rows affected.');
    expect(context.confirmations).toHaveLength(1);
    expect(driver.tables[0]?.rows).toHaveLength(0);
  });

  it('returns RETURNING rows cut by the limits, saying so', async () => {
    const driver = new ArrayDriver([itemsTable(5)], 'sqlite', true);
    const context = makeContext(driver, { limits: { maxRows: 2 } });
    const output = await callTool(driver, 'execute', { sql: 'DELETE FROM items RETURNING *' }, context);
    expect(output.structured).toMatchObject({
      rows_affected: 5,
      returning: {
        rows: [
          [1, 'item 1'],
          [2, 'item 2'],
        ],
        truncated: true,
        truncated_by: 'rows',
      },
    });
    expect(output.text).toContain('RETURNING rows cut after 2');
  });

  it('quotes at most 2000 bytes of a long statement in the confirmation', async () => {
    const driver = new ArrayDriver([itemsTable(1)], 'sqlite', true);
    const context = makeContext(driver, { confirm: false });
    await expect(
      callTool(driver, 'execute', { sql: `DELETE FROM items ${'x'.repeat(5000)}` }, context),
    ).rejects.toThrow(DECLINED);
    expect(context.confirmations[0]?.length).toBeLessThan(2200);
    expect(context.confirmations[0]).toContain('[...]');
  });
});

describe('list_tables, describe_table, list_schemas', () => {
  it('lists tables with snake_case fields and a text line per table', async () => {
    const driver = new ArrayDriver([itemsTable(4), { description: ORDERS, rows: [] }]);
    const { structured, text } = await callTool(driver, 'list_tables', {});
    expect(structured).toEqual({
      tables: [
        { name: 'items', type: 'table', row_estimate: 4 },
        { schema: 'shop', name: 'orders', type: 'table', row_estimate: 0 },
      ],
      truncated: false,
    });
    expect(text).toBe('items (table, ~4 rows)\nshop.orders (table, ~0 rows)');
  });

  it('pages a long table listing', async () => {
    const driver = new ArrayDriver(
      Array.from({ length: LIST_PAGE_SIZE + 20 }, (_, index) => itemsTableNamed(index)),
    );
    const first = await callTool(driver, 'list_tables', {});
    expect(first.structured.tables).toHaveLength(LIST_PAGE_SIZE);
    expect(first.structured.truncated).toBe(true);
    expect(first.text).toContain('[20 more: pass cursor to continue]');
    const second = await callTool(driver, 'list_tables', { cursor: first.structured.next_cursor });
    expect(second.structured.tables.map((table: { name: string }) => table.name)).toEqual(
      Array.from({ length: 20 }, (_, index) => `t${LIST_PAGE_SIZE + index}`),
    );
    expect(second.structured.truncated).toBe(false);
    await expect(
      callTool(driver, 'list_tables', { schema: 'shop', cursor: first.structured.next_cursor }),
    ).rejects.toThrow(InvalidCursorError);
  });

  it('describes a table as snake_case JSON and psql-like text', async () => {
    const driver = new ArrayDriver([{ description: ORDERS, rows: [] }], 'postgres');
    const { structured, text } = await callTool(driver, 'describe_table', {
      table: 'orders',
      schema: 'shop',
    });
    expect(structured).toMatchObject({
      schema: 'shop',
      name: 'orders',
      comment: 'One row per order (bidi override removed)',
      primary_key: ['id'],
      foreign_keys: [
        {
          name: 'orders_item_fk',
          columns: ['item_id'],
          referenced_schema: 'shop',
          referenced_table: 'items',
          referenced_columns: ['id'],
          on_delete: 'CASCADE',
        },
      ],
      indexes: [{ name: 'orders_item_idx', columns: ['item_id'], unique: false }],
      constraints: [{ name: 'orders_quantity_check', type: 'CHECK', definition: 'CHECK (quantity > 0)' }],
    });
    expect(structured.columns[0]).toEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      default: "nextval('orders_id_seq'::regclass)",
    });
    expect(text.split('\n')).toEqual([
      'Table "shop.orders"',
      '  -- One row per order (bidi override removed)',
      "  id        integer  not null  default nextval('orders_id_seq'::regclass)",
      '  item_id   integer  not null',
      '  quantity  integer  -- How many',
      'Primary key: (id)',
      'Indexes:',
      '  "orders_item_idx" (item_id)',
      'Foreign keys:',
      '  "orders_item_fk" (item_id) REFERENCES shop.items(id) ON DELETE CASCADE',
      'Constraints:',
      '  "orders_quantity_check" CHECK CHECK (quantity > 0)',
    ]);
  });

  it('reports an unknown table with the driver message', async () => {
    const driver = new ArrayDriver([]);
    await expect(callTool(driver, 'describe_table', { table: 'nope' })).rejects.toThrow(/no table "nope"/);
  });

  it('lists schemas for a driver that has them', async () => {
    const driver = new ArrayDriver([{ description: ORDERS, rows: [] }, itemsTable(1)], 'postgres');
    const { structured, text } = await callTool(driver, 'list_schemas', {});
    expect(structured).toEqual({
      schemas: [
        { name: 'public', owner: 'postgres' },
        { name: 'shop', owner: 'postgres' },
      ],
      truncated: false,
    });
    expect(text).toBe('public (owner postgres)\nshop (owner postgres)');
  });
});

function itemsTableNamed(index: number) {
  return { description: simpleTable(`t${index}`, [['id', 'integer']]), rows: [] };
}

/** The text inside the untrusted-content envelope (its first and last lines are the delimiters). */
function innerText(text: string): string {
  return text.split('\n').slice(1, -1).join('\n');
}
