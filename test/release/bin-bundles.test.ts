import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SERVERS } from './config-probe.js';

// The shape of each built bin (scripts/build/tsup-bin.ts), where a change in how code is written
// silently makes every start slower or breaks bundled code that reads class names at run time.

/** The bundled files of a server's bin: dist/main.js and its dist/bin-*.js chunks, by name. */
function binFiles(server: string): Map<string, string> {
  const dist = path.join(REPO, 'servers', server, 'dist');
  const names = readdirSync(dist).filter((name) => name === 'main.js' || /^bin-.*\.js$/.test(name));
  return new Map(names.map((name) => [name, readFileSync(path.join(dist, name), 'utf8')]));
}

describe.each(SERVERS)('bin bundle: %s', (server) => {
  const files = binFiles(server);

  it('is split into chunks beside dist/main.js', () => {
    expect(files.has('main.js')).toBe(true);
    expect(files.size).toBeGreaterThan(2);
  });

  it("bundles zod's API without its 40-odd locales (zod is imported as `import * as z`)", () => {
    // `import { z } from 'zod'` makes esbuild build zod's whole namespace object, locales
    // included: 850 KB instead of 490 KB in the SDK chunk. Only the default English one stays.
    const withLocales = [...files]
      .filter(([, code]) => code.includes('locales_exports'))
      .map(([name]) => name);
    expect(withLocales).toEqual([]);
    expect([...files.values()].some((code) => code.includes('en_default'))).toBe(true);
  });

  it('keeps names without a __name() call per function (identifiers are not minified)', () => {
    const withHelper = [...files].filter(([, code]) => /\b__name\(/.test(code)).map(([name]) => name);
    expect(withHelper).toEqual([]);
  });

  it("keeps the class names that bundled code reads at run time (ioredis's in the HTTP chunk)", () => {
    const redis = [...files.values()].find((code) => code.includes('this.redis.constructor.name'));
    expect(redis, 'the chunk with ioredis').toBeDefined();
    for (const name of ['Cluster', 'Redis', 'ReplyError', 'MaxRetriesPerRequestError']) {
      expect(redis).toMatch(new RegExp(`\\b${name}=class\\b|\\bclass ${name}\\b`));
    }
  });
});
