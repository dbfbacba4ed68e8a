// Rate limits per subject and per tool over real HTTP: in memory, shared between two instances
// through the machine's Redis (127.0.0.1:6379), and the in-memory fallback when Redis is absent.
import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type StartedServer, startTestServer, textOf } from './helpers/server.js';

const TOKEN = 'a-static-token-for-tests-0123456789abcdef';
const running: StartedServer[] = [];
async function start(argv: string[]) {
  const server = await startTestServer(argv, { BULWARK_HTTP_TOKEN: TOKEN });
  running.push(server);
  return server;
}
afterEach(async () => {
  for (const server of running.splice(0)) await server.handle.shutdown();
});

/** Whether something accepts TCP connections on 127.0.0.1:6379. */
function redisListening(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port: 6379, timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function echoes(url: string, count: number, tool = 'echo'): Promise<string[]> {
  const client = await connect(url, { token: TOKEN });
  const texts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const args = tool === 'echo' ? { message: String(i) } : {};
    texts.push(textOf(await client.callTool({ name: tool, arguments: args })));
  }
  await client.close();
  return texts;
}

describe('rate limits', () => {
  it('ratelimit:per-tool — the fourth call of a tool limited to 3 says when to retry; other tools still run', async () => {
    const { url } = await start(['--rate-limit-tool', 'echo=3', '--rate-limit-window', '60']);
    const texts = await echoes(url, 4);
    expect(texts.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(texts[3]).toMatch(
      /^Rate limit reached: at most 3 calls of echo per 60 s for this caller; retry in \d+ s\.$/,
    );
    expect((await echoes(url, 1, 'fail'))[0]).toBe('It failed on purpose; do not retry.');
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    expect(metrics).toMatch(
      /bulwark_tool_calls_total\{tool="echo",outcome="rate_limited",server="bulwark-test"\} 1/,
    );
  });

  it('ratelimit:per-subject — a limit over all tools counts every tool', async () => {
    const { url } = await start(['--rate-limit', '2']);
    const client = await connect(url, { era: 'modern', token: TOKEN });
    expect((await client.callTool({ name: 'echo', arguments: { message: 'a' } })).isError).toBeFalsy();
    expect(textOf(await client.callTool({ name: 'fail', arguments: {} }))).toMatch(/on purpose/);
    const limited = await client.callTool({ name: 'echo', arguments: { message: 'c' } });
    expect(limited.isError).toBe(true);
    expect(textOf(limited)).toMatch(/at most 2 tool calls per 60 s for this caller; retry in \d+ s/);
    expect(limited._meta?.['bulwark/retryAfterSeconds']).toBeGreaterThan(0);
    await client.close();
  });

  it('ratelimit:redis — two instances share one limit through Redis, or each falls back to memory when it is absent', async () => {
    const prefix = `bulwark-test-${randomUUID()}`;
    const argv = [
      '--rate-limit-tool',
      'echo=5',
      '--rate-limit-store',
      'redis://127.0.0.1:6379',
      '--rate-limit-prefix',
      prefix,
    ];
    const [a, b] = [await start(argv), await start(argv)];
    const allowed = (texts: string[]) => texts.filter((text) => !text.startsWith('Rate limit')).length;
    const first = allowed(await echoes(a.url, 4));
    const second = allowed(await echoes(b.url, 4));
    if (await redisListening()) {
      // Shared: 5 calls in all, whichever instance answers.
      expect(first + second).toBe(5);
      expect(a.logs.join('')).toMatch(/rate limits shared through redis:\/\/127\.0\.0\.1:6379/);
    } else {
      // Fallback: each instance limits on its own (4 of 4 each) and says so.
      expect(first + second).toBe(8);
      expect(a.logs.join('')).toMatch(/rate-limit store .* is unavailable/);
    }
  });

  it('ratelimit:fallback — with the Redis store unreachable, calls are still limited, in memory, and the store is reported down', async () => {
    const { url, logs } = await start([
      '--rate-limit-tool',
      'echo=2',
      '--rate-limit-store',
      'redis://127.0.0.1:9',
    ]);
    const texts = await echoes(url, 3);
    expect(texts.slice(0, 2)).toEqual(['0', '1']);
    expect(texts[2]).toMatch(/^Rate limit reached/);
    expect(logs.join('')).toMatch(
      /rate-limit store redis:\/\/127\.0\.0\.1:9 is unavailable .*each instance limits on its own/,
    );
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    expect(metrics).toMatch(/bulwark_rate_limit_store_up\{server="bulwark-test"\} 0/);
  });
});
