import { spawn } from 'node:child_process';
import { createTempTree, type TempTree, textOf } from '@bulwark/testkit';
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
    const child = spawn(process.execPath, [BIN, tree.dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.stdin.write('this is not json\n');
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'read_text_file', arguments: { path: '/etc/passwd' } },
    });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/list' });
    for (let waited = 0; waited < 5000 && !stdout.includes('"id":4'); waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe('2.0');
    const byId = new Map(lines.map((line) => JSON.parse(line)).map((message) => [message.id, message]));
    expect(byId.get(2)?.result?.isError).toBe(true);
    expect(byId.get(3)?.error ?? byId.get(3)?.result?.isError).toBeTruthy();
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
