import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { RAW_HANDSHAKE, rawStdioExchange, structuredOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, call, createDatabase, createTempDir, startSqlite, type TempDir } from './helpers.js';

let temp: TempDir;
let file: string;

beforeAll(() => {
  temp = createTempDir();
  file = temp.path('app.sqlite');
  createDatabase(file, (db) => {
    db.exec(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50)
        INSERT INTO items SELECT i, 'item ' || i FROM c;
    `);
  });
});

afterAll(() => {
  temp?.remove();
});

/** Runs the bin to completion (no MCP client) and collects its output. */
function runBin(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('protocol', () => {
  it('answers a 2025-11-25 client and a 2026-07-28 client with the same tools and results', async () => {
    const legacy = await startSqlite([file]);
    const modern = await startSqlite([file], { era: 'modern' });
    try {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      expect(modern.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const names = async (session: typeof legacy) =>
        (await session.client.listTools()).tools.map((tool) => tool.name);
      expect(await names(modern)).toEqual(await names(legacy));
      const args = { sql: 'SELECT * FROM items ORDER BY id', max_rows: 5 };
      const a = await call(legacy, 'query', args);
      const b = await call(modern, 'query', args);
      expect(b.structuredContent).toEqual(a.structuredContent);
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('declares every tool with a title, a description, all four annotations and an output schema', async () => {
    const session = await startSqlite(['--allow-write', file]);
    try {
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual([
        'list_tables',
        'describe_table',
        'query',
        'explain',
        'execute',
      ]);
      for (const tool of tools) {
        expect(tool.title).toBeTruthy();
        expect(tool.description?.length ?? 0).toBeGreaterThan(40);
        for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
          expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
        }
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.inputSchema).not.toHaveProperty('anyOf');
      }
    } finally {
      await session.close();
    }
  });

  it('names itself, states the mode and the caps, and serves the schema resource and prompts', async () => {
    const session = await startSqlite(['--max-rows', '20', '--max-bytes', '4096', '--timeout', '7', file]);
    try {
      expect(session.client.getServerVersion()?.name).toBe('bulwark-sqlite');
      const instructions = session.client.getInstructions() ?? '';
      expect(instructions).toMatch(/read-only/);
      expect(instructions).toMatch(/20 rows or 4096 bytes/);
      expect(instructions).toMatch(/7 s/);
      expect(instructions).toMatch(/SQLite SQL/);
      const page = structuredOf<{ rows: unknown[]; truncated: boolean }>(
        await call(session, 'query', { sql: 'SELECT * FROM items' }),
      );
      expect(page.rows).toHaveLength(20);
      expect(page.truncated).toBe(true);
      const schema = await session.client.readResource({ uri: 'sqlite://schema' });
      const body = JSON.parse((schema.contents[0] as { text: string }).text);
      expect(body.dialect).toBe('sqlite');
      expect(body.tables.map((table: { name: string }) => table.name)).toEqual(['items']);
      const { prompts } = await session.client.listPrompts();
      expect(prompts.length).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });

  it('takes its settings from the environment, with flags winning', async () => {
    const session = await startSqlite(['--max-rows', '3'], {
      env: { BULWARK_SQLITE_DB: file, BULWARK_SQLITE_MAX_ROWS: '10', BULWARK_SQLITE_ALLOW_WRITE: 'true' },
    });
    try {
      const page = structuredOf<{ rows: unknown[] }>(
        await call(session, 'query', { sql: 'SELECT * FROM items' }),
      );
      expect(page.rows).toHaveLength(3);
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('execute');
    } finally {
      await session.close();
    }
  });

  it('writes nothing but JSON-RPC messages to stdout, even for bad input', async () => {
    const { messages, byId } = await rawStdioExchange(
      [BIN, file],
      [
        ...RAW_HANDSHAKE,
        'this is not json',
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'query', arguments: { sql: 'DROP TABLE items' } },
        },
        {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'query', arguments: { sql: 'SELECT 1' } },
        },
        { jsonrpc: '2.0', id: 4, method: 'tools/list' },
      ],
      [3, 4],
    );
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const message of messages) expect(message.jsonrpc).toBe('2.0');
    const result = (id: number) => byId.get(id)?.result as { isError?: boolean } | undefined;
    expect(result(2)?.isError).toBe(true);
    expect(result(3)?.isError).toBeFalsy();
  });
});

describe('command line', () => {
  it('exits with a usage error and no stdout when given no database', async () => {
    const { code, stdout, stderr } = await runBin([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Give the SQLite database file/);
  });

  it('refuses a file that does not exist, without creating it', async () => {
    const missing = temp.path('missing.sqlite');
    const { code, stdout, stderr } = await runBin([missing]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/does not exist/);
    expect(existsSync(missing)).toBe(false);
    const writable = await runBin(['--allow-write', missing]);
    expect(writable.code).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });

  it('creates an empty database only with --allow-write --create', async () => {
    const fresh = temp.path('fresh.sqlite');
    const refused = await runBin(['--create', fresh]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--create needs --allow-write/);
    expect(existsSync(fresh)).toBe(false);
    const session = await startSqlite(['--allow-write', '--create', fresh]);
    try {
      expect(existsSync(fresh)).toBe(true);
      const created = await call(session, 'execute', { sql: 'CREATE TABLE t (x)' });
      expect(created.isError).toBeFalsy();
      const { tables } = structuredOf<{ tables: { name: string }[] }>(await call(session, 'list_tables'));
      expect(tables.map((table) => table.name)).toEqual(['t']);
    } finally {
      await session.close();
    }
  });

  it('refuses a file that is not a SQLite database, and bad numbers', async () => {
    const text = temp.path('notes.txt');
    writeFileSync(
      text,
      'this is not a database, just some text that is long enough to have a header\n'.repeat(10),
    );
    const notDatabase = await runBin([text]);
    expect(notDatabase.code).toBe(1);
    expect(notDatabase.stderr).toMatch(/not a database/);
    const badRows = await runBin(['--max-rows', 'many', file]);
    expect(badRows.code).toBe(2);
    expect(badRows.stderr).toMatch(/--max-rows must be a whole number/);
    const badTimeout = await runBin(['--timeout', '0', file]);
    expect(badTimeout.code).toBe(2);
  });

  it('prints help and the version to stderr', async () => {
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe('');
    expect(help.stderr).toMatch(/Usage: bulwark-server-sqlite/);
    expect(help.stderr).toMatch(/--allow-write/);
    const version = await runBin(['--version']);
    expect(version.stderr).toMatch(/^\d+\.\d+\.\d+/);
  });
});
