// The built filesystem and SQLite bins served over Streamable HTTP with `--http`: configuration
// alone turns each into a remote server that answers both protocol eras, keeps its sandbox
// (client roots narrow it on the 2026-07-28 era), and shuts down gracefully on SIGTERM.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSampleSqlite,
  createTempTree,
  type HttpServerProcess,
  rawHttpRequest,
  startHttpServer,
  type TempTree,
  textOf,
} from '@bulwark/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILESYSTEM_BIN = path.resolve(here, '../../servers/filesystem/dist/main.js');
const SQLITE_BIN = path.resolve(here, '../../servers/sqlite/dist/main.js');
const TOKEN = 'remote-test-token-0123456789abcdef0123';

let tree: TempTree;
const servers: HttpServerProcess[] = [];
beforeAll(async () => {
  tree = await createTempTree({ 'shared/a.txt': 'alpha\n', 'private/b.txt': 'bravo\n' });
  await createSampleSqlite(tree.path('shop.db'));
});
afterAll(async () => {
  await tree.remove();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop('SIGKILL');
});
async function serve(args: string[], env: Record<string, string> = {}) {
  const server = await startHttpServer({
    args,
    env: { BULWARK_HTTP_TOKEN: TOKEN, BULWARK_HTTP_AUDIT_LOG: 'off', ...env },
  });
  servers.push(server);
  return server;
}

describe('servers over Streamable HTTP (--http)', () => {
  it.each(['legacy', 'modern'] as const)(
    'remote:filesystem — a %s client reads through the sandbox',
    async (era) => {
      const server = await serve([FILESYSTEM_BIN, tree.dir]);
      const client = await server.connect({ era, token: TOKEN });
      expect(
        textOf(await client.callTool({ name: 'read_text_file', arguments: { path: 'shared/a.txt' } })),
      ).toBe('alpha\n');
      const outside = await client.callTool({ name: 'read_text_file', arguments: { path: '/etc/passwd' } });
      expect(outside.isError).toBe(true);
      const unauthenticated = await rawHttpRequest(server.url, {
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}',
      });
      expect(unauthenticated.status).toBe(401);
    },
  );

  it('remote:roots — on the 2026-07-28 era client roots narrow the operator roots per request', async () => {
    const server = await serve([FILESYSTEM_BIN, tree.dir]);
    const client = await server.connect({
      era: 'modern',
      token: TOKEN,
      roots: [`file://${tree.path('shared')}`],
    });
    expect(
      textOf(
        await client.callTool({ name: 'read_text_file', arguments: { path: tree.path('shared/a.txt') } }),
      ),
    ).toBe('alpha\n');
    const outside = await client.callTool({
      name: 'read_text_file',
      arguments: { path: tree.path('private/b.txt') },
    });
    expect(outside.isError).toBe(true);
  });

  it.each(['legacy', 'modern'] as const)('remote:sqlite — a %s client queries the database', async (era) => {
    const server = await serve([SQLITE_BIN, tree.path('shop.db')]);
    const client = await server.connect({ era, token: TOKEN });
    const result = await client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT count(*) AS n FROM customers' },
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { rows: unknown[][] }).rows[0]?.[0]).toBeGreaterThan(0);
    const write = await client.callTool({ name: 'query', arguments: { sql: 'DELETE FROM customers' } });
    expect(write.isError).toBe(true);
  });

  it('remote:sigterm — SIGTERM drains and exits 0; /healthz and /metrics answer while up', async () => {
    const server = await serve([SQLITE_BIN, tree.path('shop.db')]);
    expect(await (await fetch(`${server.origin}/healthz`)).json()).toEqual({ status: 'ok' });
    const client = await server.connect({ token: TOKEN });
    await client.callTool({ name: 'list_tables', arguments: {} });
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    expect(metrics).toMatch(
      /bulwark_tool_calls_total\{tool="list_tables",outcome="ok",server="bulwark-sqlite"\} 1/,
    );
    servers.splice(servers.indexOf(server), 1);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.stderr()).toMatch(/shutting down.*\n.*stopped/);
  });

  it('remote:help — every server lists the HTTP options', async () => {
    const { spawnSync } = await import('node:child_process');
    const help = spawnSync(process.execPath, [FILESYSTEM_BIN, '--help'], { encoding: 'utf8' });
    expect(help.stderr).toMatch(/--http VALUE/);
    expect(help.stderr).toMatch(/BULWARK_HTTP_TOKEN/);
    const bad = spawnSync(process.execPath, [SQLITE_BIN, tree.path('shop.db'), '--http', '0.0.0.0:0'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/needs authentication/);
  });
});
