import { spawn } from 'node:child_process';
import { createTempTree, RAW_HANDSHAKE, rawStdioExchange, type TempTree, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, call, startFilesystem } from './helpers.js';

let tree: TempTree;

beforeAll(async () => {
  tree = await createTempTree({ 'a.txt': 'alpha\n' });
});

afterAll(async () => {
  await tree.remove();
});

describe('protocol', () => {
  it('answers a 2025-11-25 client and a 2026-07-28 client with the same tools and results', async () => {
    const legacy = await startFilesystem([tree.dir]);
    const modern = await startFilesystem([tree.dir], { era: 'modern' });
    try {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      expect(modern.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const names = async (session: typeof legacy) =>
        (await session.client.listTools()).tools.map((tool) => tool.name).sort();
      expect(await names(modern)).toEqual(await names(legacy));
      const legacyRead = await call(legacy, 'read_text_file', { path: 'a.txt' });
      const modernRead = await call(modern, 'read_text_file', { path: 'a.txt' });
      expect(modernRead.structuredContent).toEqual(legacyRead.structuredContent);
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('declares every tool with a title, a description, all four annotations and an output schema', async () => {
    const session = await startFilesystem([tree.dir]);
    try {
      const { tools } = await session.client.listTools();
      expect(tools.length).toBe(16);
      for (const tool of tools) {
        expect(tool.name).toMatch(/^[a-z][a-z_]*$/);
        expect(tool.title).toBeTruthy();
        expect(tool.description?.length ?? 0).toBeGreaterThan(40);
        for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
          expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
        }
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.inputSchema).not.toHaveProperty('anyOf');
        expect(tool.inputSchema).not.toHaveProperty('oneOf');
      }
    } finally {
      await session.close();
    }
  });

  it('answers invalid arguments with an isError result and keeps serving', async () => {
    const session = await startFilesystem([tree.dir]);
    try {
      const bad = await call(session, 'read_text_file', { path: 42 });
      expect(bad.isError).toBe(true);
      const nul = await call(session, 'read_text_file', { path: 'a.txt\u0000.png' });
      expect(nul.isError).toBe(true);
      expect(textOf(nul)).toMatch(/NUL byte/);
      const ok = await call(session, 'read_text_file', { path: 'a.txt' });
      expect(ok.isError).toBeFalsy();
    } finally {
      await session.close();
    }
  });

  it('writes nothing but JSON-RPC messages to stdout, even for bad input', async () => {
    const { messages, byId } = await rawStdioExchange(
      [BIN, tree.dir],
      [
        ...RAW_HANDSHAKE,
        'this is not json',
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'read_text_file', arguments: { path: '/etc/passwd' } },
        },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
        { jsonrpc: '2.0', id: 4, method: 'tools/list' },
      ],
      [3, 4],
    );
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const message of messages) expect(message.jsonrpc).toBe('2.0');
    const result = (id: number) => byId.get(id)?.result as { isError?: boolean } | undefined;
    expect(result(2)?.isError).toBe(true);
    expect(byId.get(3)?.error ?? result(3)?.isError).toBeTruthy();
  });

  it('exits with a usage error and no stdout when given no directory', async () => {
    const child = spawn(process.execPath, [BIN], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/at least one directory/);
  });
});
