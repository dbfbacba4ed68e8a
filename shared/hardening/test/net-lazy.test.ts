/**
 * The guarded client loads undici on its first request, not when it is made: a server that makes
 * a client at start-up and has not fetched anything yet has not paid for undici. The loading is
 * observed in a child process (its own module graph, a load hook recording every module) that
 * imports the built package, as a server does; the rest runs against the source in process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type LoopbackWeb, startLoopbackWeb } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedClient, NetGuardError } from '../src/net/index.js';

const UA = 'Bulwark-Test/1.0';
/** The built `/net` entry (`pnpm test` builds the package first). */
const NET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/net/index.js');

// Run by `node --input-type=module`: records every module loaded (ECMAScript and CommonJS), then
// makes one client that is only checked and closed, and one that sends a request.
const CHILD = `
import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
const undiciLoaded = () => urls.some((url) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(url));
const { createGuardedClient } = await import(process.env.NET_MODULE);
const options = { userAgent: 'Bulwark-Test/1.0', allowHosts: ['127.0.0.1'] };
const idle = createGuardedClient(options);
const checked = idle.checkUrl(process.env.PAGE_URL).href;
await idle.close();
const beforeGet = undiciLoaded();
const used = createGuardedClient(options);
const response = await used.get(process.env.PAGE_URL);
const afterGet = undiciLoaded();
await used.close();
console.log(JSON.stringify({ checked, beforeGet, status: response.status, body: response.body.toString(), afterGet }));
`;

let site: LoopbackWeb;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /page': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
  });
});

afterAll(async () => {
  await site?.close();
});

describe('guarded client: undici loads on the first request', () => {
  it('making a client, checkUrl and close() load no undici; the first get() loads it and fetches', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: {
        PATH: process.env.PATH ?? '',
        NET_MODULE: pathToFileURL(NET_DIST).href,
        PAGE_URL: `${site.origin}/page`,
      },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      checked: `${site.origin}/page`,
      beforeGet: false,
      status: 200,
      body: 'hello',
      afterGet: true,
    });
  });

  it('concurrent first requests share the one load and all succeed', async () => {
    const http = createGuardedClient({ userAgent: UA, allowHosts: ['127.0.0.1'] });
    const responses = await Promise.all([1, 2, 3].map(() => http.get(`${site.origin}/page`)));
    expect(responses.map((response) => [response.status, response.body.toString()])).toEqual([
      [200, 'hello'],
      [200, 'hello'],
      [200, 'hello'],
    ]);
    await http.close();
  });

  it('a request after close() fails with connect and reaches no server, used client or not', async () => {
    const before = site.requests.length;
    const unused = createGuardedClient({ userAgent: UA, allowHosts: ['127.0.0.1'] });
    await unused.close();
    const used = createGuardedClient({ userAgent: UA, allowHosts: ['127.0.0.1'] });
    await used.get(`${site.origin}/page`);
    await used.close();
    for (const http of [unused, used]) {
      const error = await http.get(`${site.origin}/page`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetGuardError);
      expect((error as NetGuardError).rule).toBe('connect');
    }
    expect(site.requests.length).toBe(before + 1);
    // Closing again waits for the same close instead of failing on a closed pool.
    await expect(Promise.all([unused.close(), used.close()])).resolves.toEqual([undefined, undefined]);
  });

  it('a request and close() at once: close() waits for the pool being made and closes it', async () => {
    const http = createGuardedClient({ userAgent: UA, allowHosts: ['127.0.0.1'] });
    const pending = http.get(`${site.origin}/page`).catch((caught: unknown) => caught);
    await http.close();
    const error = await pending;
    expect(error).toBeInstanceOf(NetGuardError);
    expect((error as NetGuardError).rule).toBe('connect');
  });

  it('a proxy URL is still checked when the client is made', () => {
    const make = (proxy: string) => () => createGuardedClient({ userAgent: UA, proxy });
    expect(make('not a url')).toThrow(TypeError);
    expect(make('proxy.internal:3128')).toThrow(TypeError);
    expect(make('ftp://proxy.internal:21')).toThrow(TypeError);
    expect(make('http://proxy.internal:3128')).not.toThrow();
    expect(make('socks5://proxy.internal:1080')).not.toThrow();
  });
});
