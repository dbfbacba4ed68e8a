// Side-by-side benchmark: @bulwark/server-fetch against mcp-fetch-server (the most used
// TypeScript fetch server on npm; the official fetch reference server is Python), both started
// over stdio with a real MCP client, fetching the same loopback-served pages in one run:
// a 2 MB article page converted to Markdown, and 200 small pages at concurrency 8. Prints
// medians, ratios and peak RSS; writes JSON to .bench-data/fetch-results.json.
//
// Ours runs with its guard on, loopback opened the way an operator opens an internal host
// (--allow-host 127.0.0.1). The peer has no setting that opens loopback; its check of IP literals
// misses the IPv4-mapped spelling, so it is given http://[::ffff:127.0.0.1]:PORT/ URLs, which
// reach the same 127.0.0.1 listener. (That is an SSRF bypass in the peer; ours refuses the
// same URL without --allow-host.)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoopbackWeb, textOf } from '@bulwark/testkit';
import {
  benchRuns,
  formatBytes,
  formatMs,
  formatRatio,
  memoryKiB,
  printTable,
  repeat,
  runPool,
  startSession,
} from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(repo, '.bench-data');
const SMALL_PAGES = 200;
const CONCURRENCY = 8;
const ARTICLE_BYTES = 2 * 1024 * 1024;
const MAX_LENGTH = 5000;

const SERVERS = {
  ours: {
    label: '@bulwark/server-fetch',
    args: [path.join(repo, 'servers/fetch/dist/main.js'), '--allow-host', '127.0.0.1'],
    host: '127.0.0.1',
    readable: (url) => ({ name: 'fetch', arguments: { url, max_length: MAX_LENGTH } }),
    whole: (url) => ({ name: 'fetch', arguments: { url, max_length: MAX_LENGTH, raw: true } }),
  },
  peer: {
    label: 'mcp-fetch-server@1.1.2',
    args: [path.join(repo, 'test/node_modules/mcp-fetch-server/dist/index.js')],
    host: '[::ffff:127.0.0.1]',
    readable: (url) => ({ name: 'fetch_readable', arguments: { url, max_length: MAX_LENGTH } }),
    whole: (url) => ({ name: 'fetch_markdown', arguments: { url, max_length: MAX_LENGTH } }),
  },
};
const SIDES = ['ours', 'peer'];

/** A news-like page of about `bytes`: navigation, a long article with links, lists and tables, a footer. */
function articlePage(bytes) {
  const parts = [
    '<!doctype html><html><head><meta charset="utf-8"><title>The Long Read</title>',
    '<style>body{font-family:serif}</style><script>window.tracking = true;</script></head><body>',
    '<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>',
    '<main><article><h1>The Long Read</h1><p class="byline">By A. Writer</p>',
  ];
  let size = parts.join('').length;
  for (let section = 0; size < bytes; section += 1) {
    const block = [
      `<h2>Section ${section}</h2>`,
      `<p>Paragraph ${section} opens with <a href="/ref/${section}">a reference</a> and <em>emphasis</em>. ${'Sentences follow one another with ordinary words, numbers like 1,234 and names. '.repeat(8)}</p>`,
      `<ul><li>First point ${section}</li><li>Second point</li><li>Third point</li></ul>`,
      section % 10 === 0
        ? `<table><tr><th>Year</th><th>Value</th></tr>${'<tr><td>2026</td><td>42</td></tr>'.repeat(5)}</table>`
        : '',
      `<aside class="ad"><a href="/ad/${section}">Advertisement</a></aside>`,
    ].join('');
    parts.push(block);
    size += block.length;
  }
  parts.push('</article></main><footer><p>Footer links and copyright</p></footer></body></html>');
  return parts.join('');
}

function smallPage(index) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Page ${index}</title></head><body><nav><a href="/">Home</a></nav><article><h1>Page ${index}</h1>${'<p>A short page with a few paragraphs of text for the model to read.</p>'.repeat(20)}</article></body></html>`;
}

async function startSide(side) {
  const started = performance.now();
  const session = await startSession({ args: SERVERS[side].args });
  return { session, startMs: performance.now() - started };
}

async function callOk(session, request) {
  const result = await session.client.callTool(request);
  if (result.isError) throw new Error(`${request.name} failed: ${textOf(result).slice(0, 300)}`);
  return textOf(result);
}

export async function run() {
  const runs = benchRuns();
  const article = articlePage(ARTICLE_BYTES);
  // no-store: neither side may answer a repeat from a cache; every call fetches and converts.
  const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  const site = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) => res.writeHead(404).end(),
    'GET /article': (_req, res) => res.writeHead(200, headers).end(article),
  });
  for (let index = 0; index < SMALL_PAGES; index += 1) {
    site.route(`GET /small/${index}`, (_req, res) => res.writeHead(200, headers).end(smallPage(index)));
  }
  const origin = (side) => `http://${SERVERS[side].host}:${site.port}`;
  const results = {
    meta: { runs, articleBytes: article.length, smallPages: SMALL_PAGES, concurrency: CONCURRENCY },
    items: {},
  };
  const record = (item, side, value) => {
    results.items[item] ??= {};
    results.items[item][side] = value;
  };

  try {
    for (const side of SIDES) {
      const spawn = await repeat(
        async () => {
          const { session, startMs } = await startSide(side);
          await session.close();
          return { ms: startMs };
        },
        { runs },
      );
      record('spawn + initialize', side, spawn.median);

      const { session } = await startSide(side);
      try {
        const readable = await repeat(
          () => callOk(session, SERVERS[side].readable(`${origin(side)}/article`)),
          { runs },
        );
        record('2 MB article -> Markdown (main article)', side, readable.median);
        const whole = await repeat(() => callOk(session, SERVERS[side].whole(`${origin(side)}/article`)), {
          runs,
        });
        record('2 MB article -> Markdown (whole page)', side, whole.median);
        const pool = await repeat(
          async () => {
            const { wallMs } = await runPool(SMALL_PAGES, CONCURRENCY, (index) =>
              callOk(session, SERVERS[side].readable(`${origin(side)}/small/${index}`)),
            );
            return { ms: wallMs };
          },
          { runs: Math.min(runs, 5) },
        );
        record(`${SMALL_PAGES} small pages, concurrency ${CONCURRENCY} (wall)`, side, pool.median);
        results.items['peak RSS'] ??= {};
        results.items['peak RSS'][side] = (memoryKiB(session.pid)?.peak ?? Number.NaN) * 1024;
      } finally {
        await session.close();
      }
    }
  } finally {
    await site.close();
  }

  const rows = Object.entries(results.items).map(([item, value]) => {
    const isBytes = item === 'peak RSS';
    const show = isBytes ? formatBytes : formatMs;
    return [item, show(value.ours), show(value.peer), formatRatio(value.peer / value.ours)];
  });
  console.log(
    `article page ${formatBytes(article.length)}; ${runs} runs per item; medians; ratio = peer / ours (above 1: ours is faster or smaller)`,
  );
  printTable(['item', SERVERS.ours.label, SERVERS.peer.label, 'ratio'], rows);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'fetch-results.json'), `${JSON.stringify(results, null, 2)}\n`);
}
