/** The server's protocol surface: tool definitions, both protocol eras, and a bad command line. */
import { spawnSync } from 'node:child_process';
import { type LoopbackWeb, type StdioSession, startLoopbackWeb, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fetchOk, LOOPBACK, startFetch } from './helpers.js';

let site: LoopbackWeb;
let legacy: StdioSession;
let modern: StdioSession;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(404).end(),
    'GET /a': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('era test'),
  });
  legacy = await startFetch(LOOPBACK);
  modern = await startFetch(LOOPBACK, { era: 'modern' });
});

afterAll(async () => {
  await legacy?.close();
  await modern?.close();
  await site?.close();
});

describe('protocol', () => {
  it('tool definitions match the committed snapshots and stay small', async () => {
    const { snapshots, largestListBytes } = await toolSnapshots([legacy.client]);
    for (const [name, snapshot] of snapshots) {
      await expect(snapshot).toMatchFileSnapshot(`../__toolsnaps__/${name}.json`);
    }
    expect([...snapshots.keys()]).toEqual(['fetch']);
    expect(largestListBytes).toBeLessThan(4 * 1024);
  });

  it('fetch is read-only and open-world', async () => {
    const { tools } = await legacy.client.listTools();
    expect(tools[0]?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('answers on the 2025-11-25 and 2026-07-28 eras alike', async () => {
    expect((await fetchOk(legacy, { url: `${site.origin}/a` })).body).toBe('era test');
    expect((await fetchOk(modern, { url: `${site.origin}/a` })).body).toBe('era test');
  });

  it('a bad command line exits 2 with the problem and the usage on stderr, nothing on stdout', () => {
    const run = spawnSync(process.execPath, [BIN, '--timeout', 'soon'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--timeout must be a number of seconds/);
    expect(run.stderr).toMatch(/bulwark-server-fetch \[options\]/);
  });
});
