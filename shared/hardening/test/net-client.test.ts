/**
 * The guarded HTTP client against real loopback servers: the pinned lookup (one resolution, the
 * socket connects to the checked answer), redirects re-checked hop by hop, the body cap after
 * decompression, and one deadline over the whole exchange.
 */
import type { LookupAddress } from 'node:dns';
import { gzipSync } from 'node:zlib';
import { type LoopbackWeb, startLoopbackWeb } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGuardedClient,
  type GuardedClientOptions,
  NetGuardError,
  type Resolver,
} from '../src/net/index.js';

const UA = 'Bulwark-Test/1.0';
let site: LoopbackWeb;

// Loopback is opened the way an operator would: by naming the address.
const client = (options: Partial<GuardedClientOptions> = {}) =>
  createGuardedClient({ userAgent: UA, allowHosts: ['127.0.0.1'], ...options });

async function refusal(promise: Promise<unknown>): Promise<NetGuardError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NetGuardError);
    return error as NetGuardError;
  }
  throw new Error('expected the guard to refuse');
}

const ZEROS = 64 * 1024 * 1024;
let bomb: Buffer;

beforeAll(async () => {
  bomb = gzipSync(Buffer.alloc(ZEROS), { level: 9 });
  site = await startLoopbackWeb({
    'GET /page': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
    'GET /ua': (req, res) => res.end(req.headers['user-agent']),
    'GET /to-page': (_req, res) => res.writeHead(302, { location: '/page' }).end(),
    'GET /to-ipv6-loopback': (_req, res) => res.writeHead(301, { location: 'http://[::1]/' }).end(),
    'GET /to-private': (_req, res) => res.writeHead(307, { location: 'http://10.0.0.1/admin' }).end(),
    'GET /to-metadata-decimal': (_req, res) =>
      res.writeHead(302, { location: 'http://2852039166/latest/' }).end(),
    'GET /to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    'GET /to-gopher': (_req, res) => res.writeHead(302, { location: 'gopher://127.0.0.1:70/' }).end(),
    'GET /to-rebind-name': (_req, res) =>
      res.writeHead(302, { location: `http://private.test:${site.port}/page` }).end(),
    'GET /loop-a': (_req, res) => res.writeHead(302, { location: '/loop-b' }).end(),
    'GET /loop-b': (_req, res) => res.writeHead(302, { location: '/loop-a' }).end(),
    'GET /no-location': (_req, res) => res.writeHead(302).end('moved somewhere'),
    'GET /big-with-length': (_req, res) => {
      const body = Buffer.alloc(3 * 1024 * 1024, 0x61);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    },
    'GET /big-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      const pump = () => {
        while (sent < 200) {
          sent += 1;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
    'GET /gzip-bomb': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb),
    'GET /gzip-twice': (_req, res) =>
      res
        .writeHead(200, { 'content-encoding': 'gzip, gzip' })
        .end(gzipSync(gzipSync(Buffer.from('layered')))),
    'GET /gzip-thrice': (_req, res) =>
      res
        .writeHead(200, { 'content-encoding': 'gzip, gzip, gzip' })
        .end(gzipSync(gzipSync(gzipSync(Buffer.from('x'))))),
    'GET /unknown-coding': (_req, res) => res.writeHead(200, { 'content-encoding': 'compress' }).end('x'),
    'GET /drip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 2_000);
      res.on('close', () => clearInterval(timer));
    },
    'GET /slow-headers': (_req, res) => {
      const timer = setTimeout(() => res.end('late'), 10_000);
      res.on('close', () => clearTimeout(timer));
    },
  });
}, 60_000);

afterAll(async () => {
  await site.close();
});

describe('guarded client: addresses', () => {
  it('fetches from an address the operator allowed, with the configured user agent', async () => {
    const http = client();
    const response = await http.get(`${site.origin}/ua`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(UA);
    await http.close();
  });

  it('ssrf:default-loopback — without the operator option loopback is refused before connecting', async () => {
    const http = createGuardedClient({ userAgent: UA });
    const before = site.requests.length;
    expect((await refusal(http.get(`${site.origin}/page`))).rule).toBe('address');
    expect((await refusal(http.get(`http://localhost:${site.port}/page`))).rule).toBe('address');
    expect(site.requests.length).toBe(before);
    await http.close();
  });

  it('ssrf:localhost-names — a name under .localhost is refused without asking the resolver', async () => {
    const asked: string[] = [];
    // Were it asked, its loopback answer would be refused too, but only after a lookup.
    const resolve: Resolver = async (hostname) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const http = createGuardedClient({ userAgent: UA, resolve });
    const refused = await refusal(http.get(`http://evil.localhost:${site.port}/page`));
    expect(refused.rule).toBe('address');
    expect(refused.message).toMatch(/RFC 6761/);
    expect(asked).toEqual([]);
    await http.close();
  });

  it('ssrf:resolved-private — a name that resolves to a private address is refused', async () => {
    const resolve: Resolver = async () => [{ address: '10.0.0.7', family: 4 }];
    const http = client({ resolve });
    expect((await refusal(http.get(`http://private.test:${site.port}/page`))).rule).toBe('address');
    await http.close();
  });

  it('ssrf:resolved-all — localhost answers ::1 as well as 127.0.0.1, so it is refused even with 127.0.0.1 open', async () => {
    const resolve: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
    const http = client({ resolve });
    expect((await refusal(http.get(`http://localhost:${site.port}/page`))).rule).toBe('address');
    await http.close();
  });

  it('ssrf:dns-rebinding — the name is resolved once and the socket connects to the checked answer', async () => {
    // A second site on ::1 with the same port plays the rebinding target: a client that looked
    // the name up again after checking would reach it.
    const evil = await startLoopbackWeb(
      { 'GET /page': (_req, res) => res.end('REBOUND') },
      { host: '::1', port: site.port },
    );
    const calls: string[] = [];
    const resolve: Resolver = async (hostname) => {
      calls.push(hostname);
      const answer: LookupAddress =
        calls.length === 1 ? { address: '127.0.0.1', family: 4 } : { address: '::1', family: 6 };
      return [answer];
    };
    const http = client({ resolve });
    const response = await http.get(`http://rebind.test:${site.port}/page`);
    expect(response.body.toString()).toBe('hello');
    expect(calls).toEqual(['rebind.test']);
    expect(evil.requests).toHaveLength(0);
    await http.close();
    await evil.close();
  });

  it('ssrf:dns-rebinding — a first answer that is refused stops the request', async () => {
    let calls = 0;
    const resolve: Resolver = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '::1' : '127.0.0.1', family: calls === 1 ? 6 : 4 }];
    };
    const http = client({ resolve });
    expect((await refusal(http.get(`http://rebind2.test:${site.port}/page`))).rule).toBe('address');
    expect(calls).toBe(1);
    await http.close();
  });

  it('a name that does not resolve is a connect error naming the host', async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const http = client({ resolve });
    const error = await refusal(http.get('http://nowhere.test/'));
    expect(error.rule).toBe('connect');
    expect(error.message).toContain('ENOTFOUND');
    await http.close();
  });
});

describe('guarded client: redirects', () => {
  it('follows a same-origin redirect and reports the hops', async () => {
    const http = client();
    const response = await http.get(`${site.origin}/to-page`);
    expect(response.body.toString()).toBe('hello');
    expect(response.finalUrl).toBe(`${site.origin}/page`);
    expect(response.hops).toEqual([`${site.origin}/to-page`, `${site.origin}/page`]);
    await http.close();
  });

  it.each([
    ['/to-ipv6-loopback', 'address'],
    ['/to-private', 'address'],
    ['/to-metadata-decimal', 'address'],
    ['/to-file', 'scheme'],
    ['/to-gopher', 'scheme'],
  ])('ssrf:redirect — %s is refused at the hop (%s)', async (path, rule) => {
    const http = client();
    expect((await refusal(http.get(`${site.origin}${path}`))).rule).toBe(rule);
    await http.close();
  });

  it('ssrf:redirect — a redirect to a name is resolved and checked like the first hop', async () => {
    const resolve: Resolver = async () => [{ address: '192.168.1.1', family: 4 }];
    const http = client({ resolve });
    expect((await refusal(http.get(`${site.origin}/to-rebind-name`))).rule).toBe('address');
    await http.close();
  });

  it('ssrf:redirect-loop — a loop is stopped', async () => {
    const http = client();
    expect((await refusal(http.get(`${site.origin}/loop-a`))).rule).toBe('redirect-loop');
    await http.close();
  });

  it('ssrf:redirect-limit — at most 5 redirects are followed', async () => {
    for (let i = 0; i < 7; i += 1) {
      site.route(`GET /chain-${i}`, (_req, res) => res.writeHead(302, { location: `/chain-${i + 1}` }).end());
    }
    site.route('GET /chain-7', (_req, res) => res.end('end'));
    const http = client();
    const error = await refusal(http.get(`${site.origin}/chain-0`));
    expect(error.rule).toBe('redirect-limit');
    const fine = await http.get(`${site.origin}/chain-2`);
    expect(fine.body.toString()).toBe('end');
    expect(fine.hops).toHaveLength(6);
    await http.close();
  });

  it('a 3xx without Location is returned as it is', async () => {
    const http = client();
    const response = await http.get(`${site.origin}/no-location`);
    expect(response.status).toBe(302);
    expect(response.body.toString()).toBe('moved somewhere');
    await http.close();
  });
});

describe('guarded client: budgets', () => {
  it('ssrf:body-cap — a body larger than the cap is cut, with Content-Length', async () => {
    const http = client({ maxBodyBytes: 1024 * 1024 });
    const response = await http.get(`${site.origin}/big-with-length`);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(1024 * 1024);
    await http.close();
  });

  it('ssrf:body-cap — a body larger than the cap is cut, chunked without Content-Length', async () => {
    const http = client({ maxBodyBytes: 1024 * 1024 });
    const response = await http.get(`${site.origin}/big-chunked`);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(1024 * 1024);
    expect(response.body.every((byte) => byte === 0x62)).toBe(true);
    await http.close();
  });

  it('ssrf:gzip-bomb — decompression stops at the cap', async () => {
    const http = client({ maxBodyBytes: 1024 * 1024 });
    const response = await http.get(`${site.origin}/gzip-bomb`);
    expect(bomb.length).toBeLessThan(ZEROS / 100);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(1024 * 1024);
    await http.close();
  });

  it('ssrf:stacked-encodings — two stacked codings are decoded, three are refused', async () => {
    const http = client();
    expect((await http.get(`${site.origin}/gzip-twice`)).body.toString()).toBe('layered');
    expect((await refusal(http.get(`${site.origin}/gzip-thrice`))).rule).toBe('encoding');
    expect((await refusal(http.get(`${site.origin}/unknown-coding`))).rule).toBe('encoding');
    await http.close();
  });

  it('ssrf:deadline — a body that drips one byte every 2 s is stopped by the overall deadline', async () => {
    const http = client({ timeoutMs: 1_500 });
    const error = await refusal(http.get(`${site.origin}/drip`));
    expect(error.rule).toBe('timeout');
    expect(error.message).toContain('1.5 s');
    await http.close();
  });

  it('ssrf:deadline — headers that never come are stopped by the same deadline', async () => {
    const http = client({ timeoutMs: 1_000 });
    expect((await refusal(http.get(`${site.origin}/slow-headers`))).rule).toBe('timeout');
    await http.close();
  });

  it("the caller's abort is rethrown as the caller's reason, not as a timeout", async () => {
    const http = client();
    const controller = new AbortController();
    const pending = http.get(`${site.origin}/slow-headers`, { signal: controller.signal });
    controller.abort(new Error('cancelled by the client'));
    await expect(pending).rejects.toThrow('cancelled by the client');
    await http.close();
  });
});
