/**
 * What the bin leaves for later: it answers `initialize` without loading undici (the guarded
 * client makes its connection pool on the first request) or the HTML encoding sniffer (on the
 * first HTML page); the first fetch of an HTML page loads both. test/e2e/record-loads.mjs,
 * preloaded, records every module the bin loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createTempTree,
  type LoopbackWeb,
  type StdioSession,
  startLoopbackWeb,
  type TempTree,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fetchOk, LOOPBACK, startFetch } from './helpers.js';

const RECORD_LOADS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/e2e/record-loads.mjs',
);

/**
 * The bundle's files (dist/main.js and its dist/bin-*.js chunks; the rest of dist/ is the library
 * export) that hold a package, found by a string of it that minifying keeps.
 */
function chunksWith(marker: string): string[] {
  const dist = path.dirname(BIN);
  return readdirSync(dist).filter(
    (name) =>
      (name === 'main.js' || (name.startsWith('bin-') && name.endsWith('.js'))) &&
      readFileSync(path.join(dist, name), 'utf8').includes(marker),
  );
}

let site: LoopbackWeb;
let work: TempTree;
let session: StdioSession;
let record: string;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n'),
    'GET /page': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><title>Later</title></head><body><p>Loaded on demand.</p></body></html>',
        ),
  });
  work = await createTempTree({});
  record = path.join(work.dir, 'loads.txt');
  session = await startFetch(LOOPBACK, {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(RECORD_LOADS).href}`, BULWARK_RECORD_LOADS: record },
  });
});

afterAll(async () => {
  await session?.close();
  await site?.close();
  await work?.remove();
});

/** Files loaded so far: the bin's own by name, packages from node_modules by package name. */
function loaded(): string[] {
  return readFileSync(record, 'utf8')
    .trim()
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => {
      const file = fileURLToPath(url);
      return /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file)?.[1] ?? path.basename(file);
    });
}

describe('fetch bin: start-up', () => {
  it('loads undici and the encoding sniffer on the first fetch, not before initialize', async () => {
    const undici = chunksWith('UND_ERR_CONNECT_TIMEOUT');
    const sniffer = chunksWith('transportLayerEncodingLabel');
    expect(undici).toHaveLength(1);
    expect(sniffer).toHaveLength(1);
    const deferred = [...undici, ...sniffer];

    const atStart = loaded();
    expect(atStart).toContain('main.js');
    expect(atStart.filter((name) => deferred.includes(name))).toEqual([]);

    const page = await fetchOk(session, { url: `${site.origin}/page`, format: 'text', raw: true });
    expect(page.body).toContain('Loaded on demand.');
    expect(loaded()).toEqual(expect.arrayContaining(deferred));
  });
});
