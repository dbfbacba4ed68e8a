/**
 * The fetch tool end to end: the built bin over stdio, a real MCP client, loopback sites playing
 * the web (opened through --allow-host as an operator would).
 */
import { gzipSync } from 'node:zlib';
import { type LoopbackWeb, type StdioSession, startLoopbackWeb, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFetch, fetchError, fetchOk, LOOPBACK, startFetch } from './helpers.js';
import { ARTICLE_HTML, HIDDEN_CHARACTERS_HTML, longArticle } from './pages.js';

// Bytes of text in legacy encodings, spelled out so the tests need no encoder.
const CAFE_WINDOWS_1252 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // café
const NIHON_SHIFT_JIS = Buffer.from([0x93, 0xfa, 0x96, 0x7b]); // 日本
const PRIVET_KOI8_R = Buffer.from([0xd0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]); // привет
const LODZ_ISO_8859_2 = Buffer.from([0xa3, 0xf3, 0x64, 0xbc]); // Łódź

const html = (head: string, body: Buffer) =>
  Buffer.concat([
    Buffer.from(`<!doctype html><html><head>${head}<title>t</title></head><body><p>`),
    body,
    Buffer.from('</p></body></html>'),
  ]);

let site: LoopbackWeb;
let session: StdioSession;
let etagHits = 0;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /article': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE_HTML),
    'GET /long': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(longArticle(200)),
    'GET /hidden': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HIDDEN_CHARACTERS_HTML),
    'GET /data.json': (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"harbour","berths":[1,2,3]}'),
    'GET /broken.json': (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":'),
    'GET /notes.txt': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain\nnotes\n'),
    'GET /image.png': (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])),
    'GET /untyped-binary': (_req, res) => res.end(Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3])),
    'GET /untyped-html': (_req, res) =>
      res.end(
        '<!DOCTYPE html><html><head><title>Sniffed</title></head><body><p>sniffed page</p></body></html>',
      ),
    'GET /no-body-tags': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Short page</title><p>Only a <b>paragraph</b>, no body tags.</p>'),
    'GET /missing': (_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>'),
    'GET /broken': (_req, res) => res.writeHead(503).end('down'),
    'GET /gzip': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync('compressed text')),
    'GET /to-article': (_req, res) => res.writeHead(301, { location: '/article' }).end(),
    'GET /to-private': (_req, res) => res.writeHead(302, { location: 'http://10.1.2.3/' }).end(),
    'GET /to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    // Charsets: from the header, from a meta tag, from a BOM, and with no declaration at all.
    'GET /cs/header-1252': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=windows-1252' })
        .end(html('', CAFE_WINDOWS_1252)),
    'GET /cs/meta-sjis': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(html('<meta charset="shift_jis">', NIHON_SHIFT_JIS)),
    'GET /cs/http-equiv-8859-2': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          html('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">', LODZ_ISO_8859_2),
        ),
    'GET /cs/header-beats-meta': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=koi8-r' })
        .end(html('<meta charset="windows-1252">', PRIVET_KOI8_R)),
    'GET /cs/bom-utf16': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from('<html><body><p>Grüße 日本</p></body></html>', 'utf16le'),
          ]),
        ),
    'GET /cs/undeclared': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(html('', CAFE_WINDOWS_1252)),
    'GET /cs/text-koi8': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain; charset=koi8-r' }).end(PRIVET_KOI8_R),
    'GET /cs/text-undeclared-utf8': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('naïve ✓'),
    // Caching: ETag, Last-Modified, max-age and no-store.
    'GET /cache/etag': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        etagHits += 1;
        return res.writeHead(304, { etag: '"v1"' }).end();
      }
      return res
        .writeHead(200, { 'content-type': 'text/plain', etag: '"v1"', 'cache-control': 'no-cache' })
        .end('etag body');
    },
    'GET /cache/last-modified': (req, res) => {
      const stamp = 'Wed, 21 Oct 2026 07:28:00 GMT';
      if (req.headers['if-modified-since'] === stamp) return res.writeHead(304).end();
      return res
        .writeHead(200, {
          'content-type': 'text/plain',
          'last-modified': stamp,
          'cache-control': 'max-age=0',
        })
        .end('dated body');
    },
    'GET /cache/max-age': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=300' })
        .end(`served ${Date.now()}`),
    'GET /cache/no-store': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', etag: '"x"' })
        .end(`fresh ${Math.random()}`),
    'GET /ua': (req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers['user-agent']),
  });
  session = await startFetch([...LOOPBACK, '--ignore-robots-txt']);
});

afterAll(async () => {
  await session?.close();
  await site?.close();
});

const url = (path: string) => `${site.origin}${path}`;
const seen = (path: string) => site.requests.filter((request) => request.path === path);

describe('fetch: conversion', () => {
  it('turns an article page into Markdown of the article, with absolute links, inside the envelope', async () => {
    const result = await fetchOk(session, { url: url('/article') });
    expect(result.status).toBe(200);
    expect(result.content_type).toBe('text/html');
    expect(result.title).toBe('Harbour Notes');
    expect(result.simplified).toBe(true);
    expect(result.body).toContain('The harbour opens at dawn.');
    expect(result.body).toContain(`[tide table](${site.origin}/tides)`);
    expect(result.body).toContain('| Length | Fee |');
    expect(result.body).not.toContain('Harbour office, open daily');
    expect(result.body).not.toContain('script ran');
    expect(result.content).toMatch(
      new RegExp(
        `^<untrusted-content-[0-9a-f]+ source="${site.origin}/article" status="200" content_type="text/html" fetched_at="`,
      ),
    );
  });

  it('raw markdown keeps the whole page; raw html is the page as received', async () => {
    const whole = await fetchOk(session, { url: url('/article'), raw: true });
    expect(whole.simplified).toBe(false);
    expect(whole.body).toContain('Harbour office, open daily');
    expect(whole.body).toContain(`[About](${site.origin}/about)`);
    expect(whole.body).toContain(`[tide table](${site.origin}/tides)`);
    expect(whole.body).toContain('| Length | Fee |');
    expect(whole.body).not.toContain('script ran');
    expect(whole.title).toBe('Harbour Notes');
    const asReceived = await fetchOk(session, { url: url('/article'), format: 'html', raw: true });
    expect(asReceived.body).toBe(ARTICLE_HTML);
  });

  it('text is the article as plain text, one block per line', async () => {
    const result = await fetchOk(session, { url: url('/article'), format: 'text' });
    expect(result.body).toContain('The harbour opens at dawn.');
    expect(result.body).not.toContain('<p>');
    expect(result.body).not.toContain('](');
    expect(result.body).toMatch(/Length\tFee/);
  });

  it('a page that leaves out its optional <html>, <head> and <body> tags still has its content', async () => {
    for (const format of ['markdown', 'text'] as const) {
      const result = await fetchOk(session, { url: url('/no-body-tags'), format });
      expect(result.title).toBe('Short page');
      expect(result.body).toContain(format === 'markdown' ? 'Only a **paragraph**' : 'Only a paragraph');
      expect(result.body).not.toContain('Short page');
    }
  });

  it('JSON is pretty-printed; format json refuses a page that is not JSON', async () => {
    const result = await fetchOk(session, { url: url('/data.json') });
    expect(result.body).toBe('{\n  "name": "harbour",\n  "berths": [\n    1,\n    2,\n    3\n  ]\n}');
    const asJson = await fetchOk(session, { url: url('/data.json'), format: 'json' });
    expect(JSON.parse(asJson.body)).toEqual({ name: 'harbour', berths: [1, 2, 3] });
    expect(await fetchError(session, { url: url('/article'), format: 'json' })).toMatch(
      /HTML page, not JSON/,
    );
    expect(await fetchError(session, { url: url('/broken.json'), format: 'json' })).toMatch(
      /not return valid JSON/,
    );
    expect((await fetchOk(session, { url: url('/broken.json') })).body).toBe('{"name":');
  });

  it('plain text and decompressed text come back as they are', async () => {
    expect((await fetchOk(session, { url: url('/notes.txt') })).body).toBe('plain\nnotes\n');
    expect((await fetchOk(session, { url: url('/gzip') })).body).toBe('compressed text');
  });

  it('sanitize:fetch — bidi overrides and zero-width characters are removed from page text', async () => {
    const result = await fetchOk(session, { url: url('/hidden'), raw: true });
    expect(result.body).toContain('visibletext here!');
    expect(result.body).not.toMatch(/[\u202e\u200b\u2066]/);
  });

  it('binary types are refused with a clear error, whether declared or sniffed', async () => {
    expect(await fetchError(session, { url: url('/image.png') })).toMatch(
      /is image\/png, which this server does not convert/,
    );
    expect(await fetchError(session, { url: url('/untyped-binary') })).toMatch(/binary data/);
    expect((await fetchOk(session, { url: url('/untyped-html') })).title).toBe('Sniffed');
  });

  it('4xx and 5xx are isError results naming the status', async () => {
    expect(await fetchError(session, { url: url('/missing') })).toMatch(/answered HTTP 404/);
    expect(await fetchError(session, { url: url('/broken') })).toMatch(/answered HTTP 503/);
  });

  it('a URL that does not parse is a clear error', async () => {
    expect(await fetchError(session, { url: 'not a url' })).toMatch(/Not an absolute URL/);
  });
});

describe('fetch: charsets', () => {
  it.each([
    ['/cs/header-1252', 'café', 'windows-1252'],
    ['/cs/meta-sjis', '日本', 'Shift_JIS'],
    ['/cs/http-equiv-8859-2', 'Łódź', 'ISO-8859-2'],
    ['/cs/header-beats-meta', 'привет', 'KOI8-R'],
    ['/cs/bom-utf16', 'Grüße 日本', 'UTF-16LE'],
    ['/cs/undeclared', 'café', 'windows-1252'],
  ])('HTML %s decodes to %s (%s)', async (path, expected, encoding) => {
    const result = await fetchOk(session, { url: url(path), format: 'text', raw: true });
    expect(result.body).toContain(expected);
    expect(result.encoding.toLowerCase()).toBe(encoding.toLowerCase());
  });

  it('text uses the header charset, else UTF-8', async () => {
    expect((await fetchOk(session, { url: url('/cs/text-koi8') })).body).toBe('привет');
    expect((await fetchOk(session, { url: url('/cs/text-undeclared-utf8') })).body).toBe('naïve ✓');
  });
});

describe('fetch: paging', () => {
  it('max_length windows the content and next_start_index reads on to the end', async () => {
    const first = await fetchOk(session, { url: url('/long'), max_length: 3000 });
    expect(first.body.length).toBe(3000);
    expect(first.truncated).toBe(true);
    expect(first.next_start_index).toBe(3000);
    const text = await callFetch(session, { url: url('/long'), max_length: 3000 });
    expect(textOf(text)).toContain('call fetch with start_index=3000 for more');
    let whole = first.body;
    let next = first.next_start_index;
    while (next !== null) {
      const page = await fetchOk(session, { url: url('/long'), max_length: 20_000, start_index: next });
      expect(page.start_index).toBe(next);
      whole += page.body;
      next = page.next_start_index;
    }
    expect(whole.length).toBe(first.total_length);
    expect(whole).toContain('Paragraph 0:');
    expect(whole).toContain('Paragraph 199:');
  });

  it('a start_index past the end is an error that says where the end is', async () => {
    expect(await fetchError(session, { url: url('/notes.txt'), start_index: 1000 })).toMatch(
      /past the end .*12 characters/,
    );
  });
});

describe('fetch: redirects', () => {
  it('follows a redirect and reports the final URL in the result and the envelope', async () => {
    const result = await fetchOk(session, { url: url('/to-article') });
    expect(result.final_url).toBe(url('/article'));
    expect(result.content).toContain(`final_url="${url('/article')}"`);
  });

  it('ssrf:redirect — a redirect to a private address or another scheme is refused', async () => {
    expect(await fetchError(session, { url: url('/to-private') })).toMatch(
      /Refused 10\.1\.2\.3: a private address/,
    );
    expect(await fetchError(session, { url: url('/to-file') })).toMatch(/Refused file: URL/);
  });
});

describe('fetch: cache', () => {
  it('revalidates with If-None-Match and reuses the body on 304', async () => {
    const first = await fetchOk(session, { url: url('/cache/etag') });
    expect(first.from_cache).toBe(false);
    const second = await fetchOk(session, { url: url('/cache/etag') });
    expect(second.body).toBe('etag body');
    expect(second.from_cache).toBe(true);
    expect(etagHits).toBe(1);
    expect(seen('/cache/etag').at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('revalidates with If-Modified-Since from Last-Modified', async () => {
    await fetchOk(session, { url: url('/cache/last-modified') });
    const second = await fetchOk(session, { url: url('/cache/last-modified') });
    expect(second.from_cache).toBe(true);
    expect(second.body).toBe('dated body');
    expect(seen('/cache/last-modified')).toHaveLength(2);
  });

  it('serves a fresh max-age entry without a request; never stores no-store', async () => {
    const first = await fetchOk(session, { url: url('/cache/max-age') });
    const second = await fetchOk(session, { url: url('/cache/max-age') });
    expect(second.body).toBe(first.body);
    expect(seen('/cache/max-age')).toHaveLength(1);
    const a = await fetchOk(session, { url: url('/cache/no-store') });
    const b = await fetchOk(session, { url: url('/cache/no-store') });
    expect(a.body).not.toBe(b.body);
    expect(seen('/cache/no-store').every((request) => request.headers['if-none-match'] === undefined)).toBe(
      true,
    );
  });
});

describe('fetch: user agent', () => {
  it('identifies the server by default, and the operator can override it', async () => {
    expect((await fetchOk(session, { url: url('/ua') })).body).toMatch(
      /^BulwarkFetch\/\d+\.\d+\.\d+ \(\+https:\/\//,
    );
    const custom = await startFetch([...LOOPBACK, '--ignore-robots-txt', '--user-agent', 'AcmeBot/2.0']);
    try {
      expect((await fetchOk(custom, { url: url('/ua') })).body).toBe('AcmeBot/2.0');
    } finally {
      await custom.close();
    }
  });
});
