/**
 * The network guard as the fetch server's operator configures it: without --allow-host loopback
 * and every spelling of an internal address is refused before any connection; budgets from the
 * command line stop big and slow bodies.
 */
import { gzipSync } from 'node:zlib';
import { type LoopbackWeb, type StdioSession, startLoopbackWeb } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchError, fetchOk, LOOPBACK, startFetch } from './helpers.js';

let site: LoopbackWeb;
let guarded: StdioSession;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /page': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('loopback page'),
    'GET /big': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(64 * 1024)),
    'GET /bomb': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x61), { level: 9 })),
    'GET /drip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 3_000);
      res.on('close', () => clearInterval(timer));
    },
  });
  guarded = await startFetch(['--ignore-robots-txt']);
});

afterAll(async () => {
  await guarded?.close();
  await site?.close();
});

describe('fetch without operator exceptions', () => {
  it('ssrf:default-loopback — loopback is refused in every spelling, and no request reaches it', async () => {
    const port = site.port;
    const spellings = [
      `http://127.0.0.1:${port}/page`,
      `http://2130706433:${port}/page`,
      `http://0177.0.0.1:${port}/page`,
      `http://0x7f.1:${port}/page`,
      `http://127.1:${port}/page`,
      `http://[::1]:${port}/page`,
      `http://[::ffff:127.0.0.1]:${port}/page`,
      `http://[::ffff:7f00:1]:${port}/page`,
      `http://localhost:${port}/page`,
    ];
    for (const spelling of spellings) {
      expect(await fetchError(guarded, { url: spelling }), spelling).toMatch(/^Refused /);
    }
    // The system resolver does not know the root-dotted name; either way nothing is fetched.
    expect(await fetchError(guarded, { url: `http://LOCALHOST.:${port}/page` })).toMatch(
      /^(Refused|Could not fetch)/,
    );
    expect(site.requests).toHaveLength(0);
  });

  it('ssrf:metadata — cloud metadata endpoints are refused without a connection attempt', async () => {
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
      'http://0xa9fea9fe/',
    ]) {
      expect(await fetchError(guarded, { url: target }), target).toMatch(/^Refused .*(metadata|link-local)/);
    }
  });

  it('ssrf:scheme — only http and https', async () => {
    expect(await fetchError(guarded, { url: 'file:///etc/passwd' })).toMatch(/Refused file: URL/);
    expect(await fetchError(guarded, { url: 'ftp://example.com/' })).toMatch(/Refused ftp: URL/);
  });

  it('ssrf:credentials — a URL with credentials is refused', async () => {
    expect(await fetchError(guarded, { url: `http://user:pw@127.0.0.1:${site.port}/` })).toMatch(
      /credentials/,
    );
  });
});

describe('fetch with operator settings', () => {
  it('--deny-host refuses a host even when --allow-host opened its range', async () => {
    const session = await startFetch([
      '--allow-host',
      '127.0.0.0/8',
      '--deny-host',
      '127.0.0.1',
      '--ignore-robots-txt',
    ]);
    try {
      expect(await fetchError(session, { url: `${site.origin}/page` })).toMatch(/denied/);
    } finally {
      await session.close();
    }
  });

  it('ssrf:body-cap — --max-body-bytes cuts a long body and a gzip bomb, and says so', async () => {
    const session = await startFetch([...LOOPBACK, '--ignore-robots-txt', '--max-body-bytes', '4096']);
    try {
      const big = await fetchOk(session, { url: `${site.origin}/big`, max_length: 100_000 });
      expect(big.body_truncated).toBe(true);
      expect(big.body.length).toBe(4096);
      const bomb = await fetchOk(session, { url: `${site.origin}/bomb`, max_length: 100_000 });
      expect(bomb.body_truncated).toBe(true);
      expect(bomb.body).toBe('a'.repeat(4096));
    } finally {
      await session.close();
    }
  });

  it('ssrf:deadline — --timeout stops a body that drips one byte every 3 s', async () => {
    const session = await startFetch([...LOOPBACK, '--ignore-robots-txt', '--timeout', '1']);
    try {
      expect(await fetchError(session, { url: `${site.origin}/drip` })).toMatch(/did not answer within 1 s/);
    } finally {
      await session.close();
    }
  });

  it('a malformed --allow-host is a usage error at startup', async () => {
    await expect(startFetch(['--allow-host', 'http://x/'])).rejects.toThrow();
  });
});
