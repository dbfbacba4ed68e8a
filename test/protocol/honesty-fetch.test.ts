// Annotation honesty of the fetch server, against loopback web pages (opened with --allow-host
// 127.0.0.1, as an operator opens an internal host). Its one tool, fetch, is declared read-only:
// every call with valid arguments (each format, paging, raw, a redirect) must send the site
// nothing but GET (or HEAD) requests, the HTTP methods that change nothing (RFC 9110 §9.2.1).
// The server has no write mode and no write tool; the coverage test keeps it that way.
import { type LoopbackWeb, type StdioSession, startLoopbackWeb } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import type { Mode } from './servers.js';
import { startServer } from './servers.js';

const ARTICLE = `<!doctype html><html><head><title>Probe article</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Probe article</h1><p>The first paragraph of a page that the honesty suite fetches.</p>
<p>A second paragraph, with <a href="/plain">a link</a> and <em>emphasis</em>.</p></article>
<form method="post" action="/submit"><button>Do not press</button></form>
</body></html>`;

let session: StdioSession | undefined;

// The site listens before the tests are collected, so the table below can hold its URLs.
const site: LoopbackWeb = await startLoopbackWeb({
  'GET /robots.txt': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n'),
  'GET /article': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
  'GET /plain': (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      .end('0123456789abcdefghijklmnopqrstuvwxyz'),
  'GET /data.json': (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2,3],"ok":true}'),
  'GET /moved': (_req, res) => res.writeHead(302, { location: '/article' }).end(),
  'POST /submit': (_req, res) => res.writeHead(204).end(),
});

/** A URL of the site. */
const url = (path: string) => `${site.origin}${path}`;

/**
 * Valid arguments for every read-only tool of the fetch server. A tool listed with
 * readOnlyHint: true but missing here fails the coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  fetch: [
    { args: { url: url('/article') } },
    { args: { url: url('/article'), format: 'text' } },
    { args: { url: url('/article'), format: 'html', raw: true } },
    { args: { url: url('/data.json'), format: 'json' } },
    { args: { url: url('/plain'), max_length: 10, start_index: 5 } },
    { args: { url: url('/moved') } },
    // Refused: a private address outside the operator's --allow-host, and a page the site lacks.
    { args: { url: 'http://10.0.0.1/' }, refused: true },
    { args: { url: url('/missing') }, refused: true },
  ],
};

beforeAll(async () => {
  session = await startServer('fetch', ['--allow-host', '127.0.0.1']);
});

afterAll(async () => {
  await session?.close();
  await site.close();
});

const sessionOf = (_mode: Mode): StdioSession => {
  if (!session) throw new Error('no session');
  return session;
};

/** A checkpoint of the site's request log, and the check that every request since was safe. */
async function siteWitness() {
  const from = site.requests.length;
  return async (label: string) => {
    expect(
      site.requests
        .slice(from)
        .filter((request) => request.method !== 'GET' && request.method !== 'HEAD')
        .map((request) => `${request.method} ${request.path}`),
      `${label} sent requests that are not safe methods`,
    ).toEqual([]);
  };
}

describe('honesty:fetch — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'fetch',
    modes: ['read'],
    session: sessionOf,
    calls: READ_ONLY_CALLS,
    witness: siteWitness,
  });
});

describe('honesty:fetch — destructiveHint: false', () => {
  describeAdditiveCoverage('fetch', 'read', () => sessionOf('read'), []);
});

describe('honesty:fetch — the witness', () => {
  it('honesty:fetch:witness — a POST to the site is seen as a change', async () => {
    const check = await siteWitness();
    const fetched = site.requests.length;
    const response = await fetch(url('/submit'), { method: 'POST', body: 'x' });
    expect(response.status).toBe(204);
    expect(site.requests.length).toBe(fetched + 1);
    await expect(check('a direct POST')).rejects.toThrow(/not safe methods/);
  });
});
