// Both protocol eras over stdio, for every server: each built bin is started twice with every
// write opt-in switched on (so every tool is listed), once by a client that speaks the
// 2025-11-25 initialize handshake and once by one pinned to 2026-07-28 stateless discovery. Both
// must see the same server identity, instructions and capabilities, the same tools (names,
// titles, descriptions, inputSchema, outputSchema, annotations), the same prompts and resources,
// and get the same results for the same read calls: structuredContent, content and isError, after
// normalising only what legitimately differs (see `normalise`: envelope delimiters, `_meta`,
// opaque cursors, fetch times).
import {
  createSampleSqlite,
  createSlackWorkspace,
  createTempTree,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  type StdioSession,
  seedSamplePostgres,
  startGitHubApi,
  startLoopbackWeb,
  startSlackApi,
  startTestPostgres,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from './drivers.js';
import {
  callTool,
  GITHUB_TEST_TOKEN,
  listAllTools,
  normalise,
  resultText,
  type ServerName,
  startServer,
  type ToolResult,
  waitForSlackStartup,
} from './servers.js';

/** One representative call: a read with deterministic output, or a call expected to fail. */
interface EraCall {
  tool: string;
  args: Record<string, unknown>;
  /** The call is expected to be refused (an isError result on both eras). */
  refused?: boolean;
  /** After the call, each era continues with its own `next_cursor` and the pages are compared. */
  follow?: boolean;
}

/** What a case's setup returns: how to start the server, and what to call on it. */
interface EraSetup {
  args: string[];
  env?: Record<string, string>;
  calls: EraCall[];
  /** Prompts to get on both eras (the server must advertise prompts). */
  prompts?: { name: string; arguments: Record<string, string> }[];
  /** Resource URIs to read on both eras (the server must advertise resources). */
  resources?: string[];
  /** Result keys whose values differ by nature (times of day). */
  variableKeys?: string[];
  /** Text that differs by nature (the same times of day in a text rendering); global patterns. */
  variablePatterns?: RegExp[];
  /** Runs once both sessions are connected (e.g. waits for a startup check). */
  ready?(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A PNG of one pixel, for read_media_file. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const ARTICLE = `<!doctype html><html><head><title>Era article</title></head><body>
<article><h1>Era article</h1><p>The same page, fetched by a client of each protocol era.</p>
<p>It has <a href="/data.json">a link</a>, a list:</p><ul><li>one</li><li>two</li></ul></article></body></html>`;

const CASES: Record<ServerName, () => Promise<EraSetup>> = {
  async filesystem(): Promise<EraSetup> {
    const tree = await createTempTree(
      {
        'README.md': '# Era sample\n\nThe answer is 42.\n',
        src: { 'index.ts': 'export const answer = 42;\n', 'util.ts': 'export const half = 21;\n' },
        images: { 'pixel.png': PIXEL_PNG },
        docs: { 'a.md': 'alpha\n', 'b.md': 'beta\n', 'c.md': 'gamma\n' },
      },
      'bulwark-eras-',
    );
    return {
      args: [tree.dir],
      calls: [
        { tool: 'read_text_file', args: { path: 'README.md' } },
        { tool: 'read_multiple_files', args: { paths: ['README.md', 'src/index.ts'] } },
        { tool: 'read_media_file', args: { path: 'images/pixel.png' } },
        { tool: 'list_directory', args: { path: 'docs', max_entries: 2 }, follow: true },
        { tool: 'directory_tree', args: { path: '.' } },
        { tool: 'search_content', args: { path: '.', query: '4[0-9]', context_lines: 1 } },
        { tool: 'search_files', args: { path: '.', pattern: '**/*.md' } },
        { tool: 'list_allowed_directories', args: {} },
        { tool: 'read_text_file', args: { path: '/etc/passwd' }, refused: true },
      ],
      resources: [`file://${tree.path('README.md')}`, `file://${tree.path('images/pixel.png')}`],
      cleanup: () => tree.remove(),
    };
  },

  async sqlite(): Promise<EraSetup> {
    const dir = await createTempTree({}, 'bulwark-eras-sqlite-');
    await createSampleSqlite(dir.path('shop.db'));
    return {
      args: ['--allow-write', dir.path('shop.db')],
      calls: [
        { tool: 'list_tables', args: {} },
        { tool: 'describe_table', args: { table: 'orders' } },
        { tool: 'query', args: { sql: 'SELECT * FROM customers ORDER BY id', max_rows: 3 }, follow: true },
        {
          tool: 'query',
          args: {
            sql: 'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status',
            format: 'markdown',
          },
        },
        { tool: 'explain', args: { sql: 'SELECT * FROM orders WHERE customer_id = ?', params: [3] } },
        { tool: 'query', args: { sql: 'DELETE FROM orders' }, refused: true },
      ],
      prompts: [
        { name: 'analyze_table', arguments: { table: 'orders' } },
        { name: 'write_query', arguments: { question: 'Which city has the most customers?' } },
      ],
      resources: ['sqlite://schema', 'sqlite://table/order_items'],
      cleanup: async () => dir.remove(),
    };
  },

  async postgres(): Promise<EraSetup> {
    const database = await startTestPostgres();
    await seedSamplePostgres(database.url);
    // Fresh statistics now, so autovacuum has no reason to move the row estimates between eras.
    const client = await connectPostgres(database.url);
    await client.query('VACUUM ANALYZE').finally(() => client.end());
    return {
      args: ['--allow-write', '--pool-size', String(database.maxPoolSize)],
      env: { DATABASE_URL: database.url },
      calls: [
        { tool: 'list_schemas', args: {} },
        { tool: 'list_tables', args: { schema: 'public' } },
        { tool: 'describe_table', args: { table: 'orders' } },
        { tool: 'query', args: { sql: 'SELECT * FROM customers ORDER BY id', max_rows: 3 }, follow: true },
        {
          tool: 'query',
          args: {
            sql: 'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status',
            format: 'csv',
          },
        },
        { tool: 'explain', args: { sql: 'SELECT * FROM orders WHERE customer_id = $1', params: [3] } },
        { tool: 'query', args: { sql: 'DELETE FROM orders' }, refused: true },
      ],
      prompts: [
        { name: 'analyze_table', arguments: { table: 'customers', schema: 'public' } },
        { name: 'write_query', arguments: { question: 'What is the revenue per product category?' } },
      ],
      resources: ['postgres://schema', 'postgres://table/public/orders'],
      cleanup: () => database.close(),
    };
  },

  async fetch(): Promise<EraSetup> {
    const site = await startLoopbackWeb({
      'GET /robots.txt': (_req, res) => res.writeHead(404).end(),
      'GET /article': (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
      'GET /data.json': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"era":"both","items":[1,2]}'),
    });
    return {
      args: ['--allow-host', '127.0.0.1'],
      calls: [
        { tool: 'fetch', args: { url: `${site.origin}/article` } },
        { tool: 'fetch', args: { url: `${site.origin}/article`, format: 'text', max_length: 40 } },
        { tool: 'fetch', args: { url: `${site.origin}/data.json`, format: 'json' } },
        { tool: 'fetch', args: { url: 'http://10.0.0.1/' }, refused: true },
      ],
      prompts: [{ name: 'fetch', arguments: { url: `${site.origin}/article` } }],
      variableKeys: ['fetched_at'],
      variablePatterns: [/fetched_at="[^"]*"/g],
      cleanup: () => site.close(),
    };
  },

  async github(): Promise<EraSetup> {
    const api = await startGitHubApi(fakeGitHub());
    return {
      args: ['--toolsets', 'all', '--allow-write'],
      env: {
        GITHUB_API_URL: api.url,
        GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TEST_TOKEN,
        BULWARK_GITHUB_WAIT_SCALE: '0.001',
      },
      calls: [
        { tool: 'get_me', args: {} },
        { tool: 'get_issue', args: { repo: 'octo/hello', number: 1 } },
        { tool: 'list_pull_requests', args: { repo: 'octo/hello' } },
        { tool: 'get_file_contents', args: { repo: 'octo/hello', path: 'README.md' } },
        { tool: 'get_job_logs', args: { repo: 'octo/hello', job_id: 71, tail_lines: 5 } },
        { tool: 'search_issues', args: { query: 'crash repo:octo/hello' } },
        { tool: 'get_issue', args: { repo: 'not a repository', number: 1 }, refused: true },
      ],
      cleanup: () => api.close(),
    };
  },

  async slack(): Promise<EraSetup> {
    const api = await startSlackApi({ workspace: createSlackWorkspace({ messagesPerChannel: 12 }) });
    return {
      args: ['--allow-post', '*', '--allow-edit'],
      env: {
        SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN,
        SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN,
        SLACK_API_URL: api.url,
      },
      calls: [
        { tool: 'list_channels', args: {} },
        { tool: 'get_channel_history', args: { channel: 'C0000001', limit: 4 } },
        { tool: 'get_thread_replies', args: { channel: '#general', thread_ts: '1700000300.000100' } },
        { tool: 'get_users', args: { limit: 3 } },
        { tool: 'get_user_profile', args: { user: 'U0000001' } },
        { tool: 'search_messages', args: { query: 'Deploy' } },
        { tool: 'get_channel_history', args: { channel: '#secret' }, refused: true },
      ],
      // Two tokens per server, each checked once at startup; the tools are final after that.
      ready: () => waitForSlackStartup(api, 4),
      cleanup: () => api.close(),
    };
  },
};

/** Keys whose values are opaque per process (cursors may be sealed with a per-process key). */
const OPAQUE_KEYS = ['next_cursor', 'nextCursor'];

for (const [server, setup] of Object.entries(CASES) as [ServerName, () => Promise<EraSetup>][]) {
  describe(`eras:${server}`, () => {
    let context: EraSetup;
    let legacy: StdioSession;
    let modern: StdioSession;

    beforeAll(async () => {
      context = await setup();
      legacy = await startServer(server, context.args, context.env, 'legacy');
      modern = await startServer(server, context.args, context.env, 'modern');
      await context.ready?.();
    });

    afterAll(async () => {
      await legacy?.close();
      await modern?.close();
      await context?.cleanup();
    });

    /** A result with what legitimately differs replaced by markers. */
    const comparable = (result: unknown) =>
      normalise(result, [...OPAQUE_KEYS, ...(context.variableKeys ?? [])], context.variablePatterns);

    it(`eras:${server}:handshake — each client negotiated its era and sees the same server`, () => {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      expect(modern.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(legacy.client.getServerVersion()?.name).toBe(`bulwark-${server}`);
      expect(modern.client.getServerVersion()).toEqual(legacy.client.getServerVersion());
      expect(modern.client.getInstructions()).toEqual(legacy.client.getInstructions());
      expect(modern.client.getServerCapabilities()).toEqual(legacy.client.getServerCapabilities());
    });

    it(`eras:${server}:tools — the same tools with the same schemas and annotations`, async () => {
      const legacyTools = await listAllTools(legacy);
      const modernTools = await listAllTools(modern);
      expect(legacyTools.length).toBeGreaterThan(0);
      expect(modernTools.map((tool) => tool.name)).toEqual(legacyTools.map((tool) => tool.name));
      for (const tool of legacyTools) {
        const other = modernTools.find((candidate) => candidate.name === tool.name);
        expect(other?.inputSchema, `${tool.name} inputSchema`).toEqual(tool.inputSchema);
        expect(other?.outputSchema, `${tool.name} outputSchema`).toEqual(tool.outputSchema);
        expect(other?.annotations, `${tool.name} annotations`).toEqual(tool.annotations);
        expect(
          tool.annotations && Object.keys(tool.annotations).length,
          `${tool.name} has annotations`,
        ).toBeTruthy();
      }
      // Everything else a tool declares (title, description, execution, icons) is the same too.
      expect(normalise(modernTools)).toEqual(normalise(legacyTools));
    });

    it(`eras:${server}:calls — the same read calls give the same results`, async () => {
      for (const call of context.calls) {
        const label = `${call.tool}(${JSON.stringify(call.args)})`;
        const old = await callTool(legacy, call.tool, call.args);
        const current = await callTool(modern, call.tool, call.args);
        if (call.refused) {
          expect(old.isError, `${label} is refused on 2025-11-25`).toBe(true);
        } else {
          expect(old.isError, `${label} on 2025-11-25: ${resultText(old)}`).toBeFalsy();
          expect(old.structuredContent, `${label} has structuredContent`).toBeDefined();
        }
        expect(comparable(current), label).toEqual(comparable(old));
        expectServerInfoMeta(current, legacy);
        if (call.follow) {
          const cursorOf = (result: ToolResult) =>
            (result.structuredContent as { next_cursor?: string } | undefined)?.next_cursor;
          const oldCursor = cursorOf(old);
          const currentCursor = cursorOf(current);
          expect(oldCursor, `${label} has a next page`).toBeTruthy();
          expect(currentCursor, `${label} has a next page on 2026-07-28`).toBeTruthy();
          const oldNext = await callTool(legacy, call.tool, { ...call.args, cursor: oldCursor });
          const currentNext = await callTool(modern, call.tool, { ...call.args, cursor: currentCursor });
          expect(oldNext.isError, resultText(oldNext)).toBeFalsy();
          expect(comparable(currentNext), `${label}, next page`).toEqual(comparable(oldNext));
          expect(comparable(oldNext)).not.toEqual(comparable(old));
        }
      }
    });

    it(`eras:${server}:prompts-resources — the same prompts and resources, with the same content`, async () => {
      const capabilities = legacy.client.getServerCapabilities() ?? {};
      if (context.prompts) expect(capabilities.prompts, 'prompts are advertised').toBeDefined();
      if (context.resources) expect(capabilities.resources, 'resources are advertised').toBeDefined();
      if (capabilities.prompts) {
        const [old, current] = await Promise.all([legacy.client.listPrompts(), modern.client.listPrompts()]);
        expect(old.prompts.length).toBeGreaterThan(0);
        expect(normalise(current.prompts)).toEqual(normalise(old.prompts));
        for (const prompt of context.prompts ?? []) {
          const oldPrompt = await legacy.client.getPrompt(prompt);
          const currentPrompt = await modern.client.getPrompt(prompt);
          expect(oldPrompt.messages.length, prompt.name).toBeGreaterThan(0);
          expect(comparable(currentPrompt), `prompt ${prompt.name}`).toEqual(comparable(oldPrompt));
        }
      }
      if (capabilities.resources) {
        const [old, current] = await Promise.all([
          legacy.client.listResources(),
          modern.client.listResources(),
        ]);
        expect(normalise(current.resources)).toEqual(normalise(old.resources));
        const [oldTemplates, currentTemplates] = await Promise.all([
          legacy.client.listResourceTemplates(),
          modern.client.listResourceTemplates(),
        ]);
        expect(old.resources.length + oldTemplates.resourceTemplates.length).toBeGreaterThan(0);
        expect(normalise(currentTemplates.resourceTemplates)).toEqual(
          normalise(oldTemplates.resourceTemplates),
        );
        for (const uri of context.resources ?? []) {
          const oldRead = await legacy.client.readResource({ uri });
          const currentRead = await modern.client.readResource({ uri });
          expect(oldRead.contents.length, uri).toBeGreaterThan(0);
          // (The 2026-07-28 era adds cache hints, ttlMs and cacheScope, beside the contents.)
          expect(comparable(currentRead.contents), `resource ${uri}`).toEqual(comparable(oldRead.contents));
        }
      }
      if (!capabilities.prompts && !capabilities.resources) {
        expect(modern.client.getServerCapabilities()?.prompts).toBeUndefined();
        expect(modern.client.getServerCapabilities()?.resources).toBeUndefined();
      }
    });
  });
}

/**
 * On the 2026-07-28 era the server names itself in every result's `_meta`; when it does, the
 * identity must be the one the 2025-11-25 handshake reported.
 */
function expectServerInfoMeta(result: ToolResult, legacy: StdioSession): void {
  const meta = result._meta as Record<string, unknown> | undefined;
  const info = meta?.['io.modelcontextprotocol/serverInfo'];
  if (info !== undefined) expect(info).toEqual(legacy.client.getServerVersion());
}
