import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, type Frame, ID } from './frames.js';
import { RawServer } from './raw-server.js';

// The fuzz suites pass only if their checks can fail. Each case here drives a stand-in server
// that breaks one rule (fixtures/misbehaving-server.mjs) and shows the driver reports it.
const MISBEHAVING = fileURLToPath(new URL('./fixtures/misbehaving-server.mjs', import.meta.url));

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async () => {
  server = await RawServer.start({ args: [MISBEHAVING] }, 'legacy', { deadlineMs: 500 });
  return server;
};

const call = (method: string, expect: Frame['expect'], params: Record<string, unknown> = {}): Frame => ({
  label: method,
  body: { json: { jsonrpc: '2.0', id: ID, method, params } },
  id: 'number',
  expect,
});

describe('fuzz oracle', () => {
  it('passes a server that follows the rules for the frame', async () => {
    const raw = await start();
    expect(raw.initialTools).toEqual(['count']);
    await expect(exchange(raw, call('unknown/method', 'protocol-error'))).resolves.toMatchObject({
      kind: 'error',
    });
    await expect(exchange(raw, call('ping', 'answered'))).resolves.toMatchObject({ kind: 'result' });
    expect(raw.faults).toEqual([]);
  });

  it('catches a line on stdout that is not a JSON-RPC message', async () => {
    await expect(exchange(await start(), call('say/junk', 'protocol-error'))).rejects.toThrow(/not JSON/);
  });

  it('catches a crash', async () => {
    await expect(exchange(await start(), call('say/crash', 'protocol-error'))).rejects.toThrow(
      /exited with code 3/,
    );
  });

  it('catches a hang past the deadline', async () => {
    await expect(exchange(await start(), call('say/hang', 'protocol-error'))).rejects.toThrow(
      /no response to say\/hang within 500 ms/,
    );
  });

  it('catches a second answer to one request', async () => {
    await expect(exchange(await start(), call('say/twice', 'protocol-error'))).rejects.toThrow(
      /already answered/,
    );
  });

  it('catches an answer to a frame JSON-RPC never answers', async () => {
    const frame: Frame = {
      label: 'a result nobody asked for',
      body: { json: { jsonrpc: '2.0', id: ID, result: {} } },
      id: 'number',
      expect: 'ignored',
    };
    await expect(exchange(await start(), frame)).rejects.toThrow(
      /answered an id it should not \(a result nobody asked for\)/,
    );
  });

  it('catches a success result where -32600 Invalid Request is due', async () => {
    const frame: Frame = {
      label: 'jsonrpc 1.0',
      body: { json: { jsonrpc: '1.0', id: ID, method: 'ping' } },
      id: 'number',
      expect: 'invalid-request',
    };
    await expect(exchange(await start(), frame)).rejects.toThrow(/not answered -32600 Invalid Request/);
  });

  it('catches an id-null error that no unreadable line called for', async () => {
    await expect(exchange(await start(), call('say/null', 'protocol-error'))).rejects.toThrow(
      /"say\/null" drew an error with id null \(codes -32700\)/,
    );
  });

  it('catches a line dropped without an id-null error', async () => {
    const frame: Frame = { label: 'not JSON', body: { text: 'not json' }, expect: 'unreadable' };
    await expect(exchange(await start(), frame)).rejects.toThrow(
      /"not JSON" was dropped without a JSON-RPC error/,
    );
  });

  it('catches a success result where a JSON-RPC error is due', async () => {
    await expect(exchange(await start(), call('ping', 'protocol-error'))).rejects.toThrow(
      /success result instead/,
    );
  });

  it('catches a tool that accepts arguments its schema refuses', async () => {
    const frame = call('tools/call', 'tool-error', { name: 'count', arguments: { n: 'seven' } });
    await expect(exchange(await start(), frame)).rejects.toThrow(/not refused with an isError tool result/);
  });
});
