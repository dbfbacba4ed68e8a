/**
 * robots.txt per RFC 9309 for tool calls: rules for the server's product token, 4xx allows,
 * 5xx and unreachable disallow, redirects followed under the guard, one fetch per origin; the
 * fetch prompt, which a person starts, does not consult it.
 */
import { type LoopbackWeb, type StdioSession, startLoopbackWeb, unwrapUntrusted } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchError, fetchOk, LOOPBACK, startFetch } from './helpers.js';

const ROBOTS = [
  'User-agent: *',
  'Disallow: /',
  '',
  'User-agent: BulwarkFetch',
  'Allow: /public',
  'Disallow: /private',
  '',
].join('\n');
const page = (_req: unknown, res: import('node:http').ServerResponse) =>
  res.writeHead(200, { 'content-type': 'text/plain' }).end('page text');

let rules: LoopbackWeb;
let status500: LoopbackWeb;
let status404: LoopbackWeb;
let redirected: LoopbackWeb;
let toPrivate: LoopbackWeb;
let session: StdioSession;

beforeAll(async () => {
  rules = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS),
    'GET /public/a': page,
    'GET /public/b': page,
    'GET /private/a': page,
  });
  status500 = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(500).end(),
    'GET /a': page,
  });
  status404 = await startLoopbackWeb({ 'GET /a': page });
  redirected = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(301, { location: '/rules/robots.txt' }).end(),
    'GET /rules/robots.txt': (_req, res) => res.end('User-agent: *\nDisallow: /blocked\n'),
    'GET /blocked': page,
    'GET /open': page,
  });
  toPrivate = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(302, { location: 'http://192.168.0.1/robots.txt' }).end(),
    'GET /a': page,
  });
  session = await startFetch(LOOPBACK);
});

afterAll(async () => {
  await session?.close();
  for (const site of [rules, status500, status404, redirected, toPrivate]) await site?.close();
});

describe('robots.txt', () => {
  it('applies the group for the server product token: Allow and Disallow', async () => {
    expect((await fetchOk(session, { url: `${rules.origin}/public/a` })).body).toBe('page text');
    expect(await fetchError(session, { url: `${rules.origin}/private/a` })).toMatch(
      /robots\.txt disallows fetching/,
    );
    expect(rules.requests.filter((request) => request.path === '/private/a')).toHaveLength(0);
  });

  it('is fetched once per origin and cached', async () => {
    await fetchOk(session, { url: `${rules.origin}/public/b` });
    expect(rules.requests.filter((request) => request.path === '/robots.txt')).toHaveLength(1);
  });

  it('a 5xx robots.txt disallows everything (RFC 9309 §2.3.1.4)', async () => {
    expect(await fetchError(session, { url: `${status500.origin}/a` })).toMatch(/could not be read/);
    expect(status500.requests.filter((request) => request.path === '/a')).toHaveLength(0);
  });

  it('a 4xx robots.txt allows everything (RFC 9309 §2.3.1.3)', async () => {
    expect((await fetchOk(session, { url: `${status404.origin}/a` })).body).toBe('page text');
  });

  it('a redirected robots.txt is followed', async () => {
    expect(await fetchError(session, { url: `${redirected.origin}/blocked` })).toMatch(/disallows/);
    expect((await fetchOk(session, { url: `${redirected.origin}/open` })).body).toBe('page text');
  });

  it('ssrf:robots-redirect — a robots.txt redirect to a private address is refused, which disallows', async () => {
    expect(await fetchError(session, { url: `${toPrivate.origin}/a` })).toMatch(/could not be read/);
  });

  it("a host the guard refuses is reported as the guard's refusal, not as a robots.txt miss", async () => {
    const guarded = await startFetch([]);
    try {
      expect(await fetchError(guarded, { url: `${rules.origin}/public/a` })).toMatch(
        /^Refused 127\.0\.0\.1: a loopback/,
      );
      expect(await fetchError(guarded, { url: `http://localhost:${rules.port}/public/a` })).toMatch(
        /^Refused localhost/,
      );
    } finally {
      await guarded.close();
    }
  });

  it('--ignore-robots-txt skips it', async () => {
    const ignoring = await startFetch([...LOOPBACK, '--ignore-robots-txt']);
    try {
      expect((await fetchOk(ignoring, { url: `${rules.origin}/private/a` })).body).toBe('page text');
    } finally {
      await ignoring.close();
    }
  });
});

describe('the fetch prompt', () => {
  it('fetches what the user asked for, robots.txt aside, inside the envelope', async () => {
    const result = await session.client.getPrompt({
      name: 'fetch',
      arguments: { url: `${rules.origin}/private/a` },
    });
    const message = result.messages[0];
    expect(message?.role).toBe('user');
    const text = message?.content.type === 'text' ? message.content.text : '';
    expect(text.split('\n')[0]).toBe(`Contents of ${rules.origin}/private/a:`);
    expect(unwrapUntrusted(text.split('\n').slice(1).join('\n'))).toBe('page text');
  });

  it('a refused URL is an invalid-params error with the reason', async () => {
    await expect(
      session.client.getPrompt({ name: 'fetch', arguments: { url: 'http://169.254.169.254/' } }),
    ).rejects.toThrow(/metadata/);
  });
});
