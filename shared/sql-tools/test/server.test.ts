import { createLogger, createServerFactory } from '@bulwark/runtime';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SQL_LIMITS, type SqlDeps } from '../src/deps.js';
import { registerSqlPrompts } from '../src/prompts.js';
import { registerSqlResources } from '../src/resources.js';
import { sqlTools } from '../src/tools/index.js';
import { ArrayDriver, simpleTable } from './array-driver.js';
import { itemsTable, ORDERS } from './fixtures.js';
import { texts } from './helpers.js';

// The tools, resources and prompts behind a real McpServer built by the runtime, talked to by a
// real client in process: input and output schemas are checked by the SDK on both ends.

const open: Client[] = [];

afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
});

async function connect(driver: ArrayDriver, scheme: 'sqlite' | 'postgres' = driver.dialect): Promise<Client> {
  const logger = createLogger('test', 'error', () => {});
  const factory = createServerFactory<SqlDeps>({
    name: 'bulwark-sql-test',
    version: '0.0.0',
    tools: sqlTools(driver),
    createDeps: () => ({ driver, limits: DEFAULT_SQL_LIMITS }),
    register: (server, deps) => {
      registerSqlResources(server, deps, scheme, logger);
      registerSqlPrompts(server, deps, logger);
    },
    capabilities: { resources: {}, prompts: {} },
    logger,
  });
  const server = await factory();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0.0.0' });
  await client.connect(clientSide);
  open.push(client);
  return client;
}

describe('tools over MCP', () => {
  it('lists the tools with their annotations and no top-level anyOf in input schemas', async () => {
    const client = await connect(new ArrayDriver([], 'postgres', true));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'list_schemas',
      'list_tables',
      'describe_table',
      'query',
      'explain',
      'execute',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema).not.toHaveProperty('anyOf');
      expect(tool.outputSchema?.type).toBe('object');
      expect(Object.keys(tool.annotations ?? {})).toEqual(
        expect.arrayContaining(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']),
      );
    }
  });

  it('returns rows in structured content that matches the output schema, whatever the format', async () => {
    const driver = new ArrayDriver([
      {
        description: simpleTable('odd', [
          ['b', 'blob'],
          ['n', 'integer'],
        ]),
        rows: [[Buffer.from('hi'), 2n ** 60n]],
      },
    ]);
    const client = await connect(driver);
    const result = await client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT * FROM odd', format: 'markdown' },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ rows: [[{ $base64: 'aGk=' }, '1152921504606846976']] });
    expect(texts(result)[0]?.split('\n').slice(1, -1).join('\n')).toBe(
      '| b | n |\n| --- | --- |\n| {"$base64":"aGk="} | 1152921504606846976 |',
    );
  });

  it('turns a refused cursor and a declined confirmation into isError results', async () => {
    const client = await connect(new ArrayDriver([itemsTable(5)], 'sqlite', true));
    const page = await client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT * FROM items', max_rows: 1 },
    });
    const cursor = (page.structuredContent as { next_cursor: string }).next_cursor;
    const refused = await client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT * FROM other', cursor },
    });
    expect(refused.isError).toBe(true);
    expect(texts(refused)[0]).toMatch(/another query call/);
    // The client declares no elicitation, so confirm() cannot ask: execute proceeds (host approval stands).
    const executed = await client.callTool({ name: 'execute', arguments: { sql: 'DELETE FROM items' } });
    expect(executed.structuredContent).toEqual({ rows_affected: 5 });
  });
});

describe('resources', () => {
  it('serves the schema of every table as JSON', async () => {
    const driver = new ArrayDriver([itemsTable(2), { description: ORDERS, rows: [] }]);
    const client = await connect(driver);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(['sqlite://schema']);
    const read = await client.readResource({ uri: 'sqlite://schema' });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text)).toEqual({
      database: 'test.db',
      dialect: 'sqlite',
      tables: [
        {
          name: 'items',
          type: 'table',
          columns: [
            { name: 'id', type: 'integer', nullable: true },
            { name: 'name', type: 'text', nullable: true },
          ],
        },
        {
          schema: 'shop',
          name: 'orders',
          type: 'table',
          columns: [
            { name: 'id', type: 'integer', nullable: false },
            { name: 'item_id', type: 'integer', nullable: false },
            { name: 'quantity', type: 'integer', nullable: true },
          ],
        },
      ],
      total_tables: 2,
      truncated: false,
    });
  });

  it('caps the schema resource at 200 tables and says so', async () => {
    const tables = Array.from({ length: 205 }, (_, index) => ({
      description: simpleTable(`t${index}`, [['id', 'integer']]),
      rows: [],
    }));
    const client = await connect(new ArrayDriver(tables));
    const read = await client.readResource({ uri: 'sqlite://schema' });
    const body = JSON.parse((read.contents[0] as { text: string }).text);
    expect(body).toMatchObject({
      total_tables: 205,
      truncated: true,
      note: expect.stringContaining('first 200'),
    });
    expect(body.tables).toHaveLength(200);
  });

  it('describes one table through the SQLite template, decoding percent-encoded names', async () => {
    const driver = new ArrayDriver([
      itemsTable(1),
      { description: simpleTable('order lines', [['id', 'integer']]), rows: [] },
    ]);
    const client = await connect(driver);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['sqlite://table/{name}']);
    const read = await client.readResource({ uri: 'sqlite://table/order%20lines' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({
      name: 'order lines',
      columns: [{ name: 'id' }],
      primary_key: [],
    });
  });

  it('reports an unknown table as resource not found', async () => {
    const client = await connect(new ArrayDriver([]));
    // The SDK's ResourceNotFoundError: -32602 on the current revisions (formerly -32002).
    await expect(client.readResource({ uri: 'sqlite://table/nope' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('no table "nope"'),
    });
  });

  it('reports an unexpected failure without its details', async () => {
    const driver = new ArrayDriver([]);
    driver.listTables = async () => {
      throw new Error('connect postgres://admin:hunter2@db failed');
    };
    const client = await connect(driver);
    const failure = client.readResource({ uri: 'sqlite://schema' });
    await expect(failure).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('Internal error'),
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('hunter2') });
  });

  it('uses {schema}/{name} for PostgreSQL and completes both variables', async () => {
    const driver = new ArrayDriver(
      [
        { description: ORDERS, rows: [] },
        { description: simpleTable('order_lines', [['id', 'integer']], 'shop'), rows: [] },
        { description: simpleTable('orders', [['id', 'integer']], 'public'), rows: [] },
      ],
      'postgres',
    );
    const client = await connect(driver);
    const uriTemplate = 'postgres://table/{schema}/{name}';
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([uriTemplate]);
    const read = await client.readResource({ uri: 'postgres://table/shop/orders' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({
      schema: 'shop',
      name: 'orders',
    });

    const ref = { type: 'ref/resource' as const, uri: uriTemplate };
    const names = await client.complete({ ref, argument: { name: 'name', value: 'order' } });
    expect(names.completion.values).toEqual(['orders', 'order_lines']);
    const inPublic = await client.complete({
      ref,
      argument: { name: 'name', value: 'ord' },
      context: { arguments: { schema: 'public' } },
    });
    expect(inPublic.completion.values).toEqual(['orders']);
    const schemas = await client.complete({ ref, argument: { name: 'schema', value: 's' } });
    expect(schemas.completion.values).toEqual(['shop']);
  });
});

describe('prompts', () => {
  it('lists analyze_table and write_query', async () => {
    const client = await connect(new ArrayDriver([]));
    const { prompts } = await client.listPrompts();
    expect(
      prompts.map((prompt) => [prompt.name, prompt.arguments?.map((argument) => argument.name)]),
    ).toEqual([
      ['analyze_table', ['table', 'schema']],
      ['write_query', ['question']],
    ]);
  });

  it('analyze_table embeds the table description and asks for read-only queries', async () => {
    const client = await connect(new ArrayDriver([{ description: ORDERS, rows: [] }], 'postgres'));
    const prompt = await client.getPrompt({
      name: 'analyze_table',
      arguments: { table: 'orders', schema: 'shop' },
    });
    const message = prompt.messages[0];
    expect(message?.role).toBe('user');
    const text = message?.content.type === 'text' ? message.content.text : '';
    expect(text).toContain('Analyze the table "shop.orders" in the PostgreSQL database test.db.');
    expect(text).toContain('"orders_item_fk" (item_id) REFERENCES shop.items(id) ON DELETE CASCADE');
    expect(text).toContain('query tool (read-only statements only)');
  });

  it('analyze_table reports an unknown table as invalid params', async () => {
    const client = await connect(new ArrayDriver([]));
    await expect(
      client.getPrompt({ name: 'analyze_table', arguments: { table: 'nope' } }),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('no table "nope"'),
    });
  });

  it('analyze_table completes table names', async () => {
    const client = await connect(new ArrayDriver([itemsTable(1)]));
    const result = await client.complete({
      ref: { type: 'ref/prompt', name: 'analyze_table' },
      argument: { name: 'table', value: 'it' },
    });
    expect(result.completion.values).toEqual(['items']);
  });

  it('write_query gives the schema summary, the question and the dialect', async () => {
    const client = await connect(new ArrayDriver([itemsTable(1), { description: ORDERS, rows: [] }]));
    const prompt = await client.getPrompt({
      name: 'write_query',
      arguments: { question: 'Which items sell most?' },
    });
    const content = prompt.messages[0]?.content;
    const text = content?.type === 'text' ? content.text : '';
    expect(text).toContain('Write one read-only SQLite query');
    expect(text).toContain('items(id integer, name text)');
    expect(text).toContain('shop.orders(id integer, item_id integer, quantity integer)');
    expect(text).toContain('Question: Which items sell most?');
  });
});
