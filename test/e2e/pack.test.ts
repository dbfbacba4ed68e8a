import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createSampleSqlite,
  createSlackWorkspace,
  createTempTree,
  fakeGitHub,
  SAMPLE_SIZES,
  SLACK_TEST_BOT_TOKEN,
  type StdioSession,
  seedSamplePostgres,
  startGitHubApi,
  startHttpServer,
  startLoopbackWeb,
  startSlackApi,
  startStdioServer,
  startTestPostgres,
  structuredOf,
  type TempTree,
  unwrapUntrusted,
} from '@bulwark/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installPackedApp, type PackedServer, preparePackedApp } from './packed-app.mjs';

// Packs every published package and installs the six server tarballs into one empty directory
// outside the workspace (packed-app.mjs), then runs each server the way a host config does:
// through npx. The install is --offline, from the store and metadata cache that provisioning
// filled (scripts/bootstrap.sh runs scripts/prefetch-offline.mjs), so the test makes no network
// request; the servers reach loopback fakes only.
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** Packages every bin bundles; loading one of them from node_modules means the bundle is broken. */
const BUNDLED = [
  '@bulwark/hardening',
  '@bulwark/runtime',
  '@bulwark/sql-tools',
  '@modelcontextprotocol/server',
  'zod',
];

/**
 * Dependencies that no published file imports: the server reaches them only through @bulwark/*
 * packages. Dropping them changes the lockfile, which is left to a dependency update; this list
 * may only shrink.
 */
const DECLARED_UNUSED: Record<string, string[]> = {
  '@bulwark/server-sqlite': ['@modelcontextprotocol/server', 'zod'],
  '@bulwark/server-postgres': ['@modelcontextprotocol/server', 'zod'],
  '@bulwark/server-fetch': ['undici'],
  '@bulwark/server-github': ['@modelcontextprotocol/server'],
};

/** Node's own modules, with and without the `node:` scheme. */
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

let work: TempTree;
let app: string;
let servers: PackedServer[];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  work = await createTempTree({}, 'bulwark-e2e-');
  ({ app, servers } = await preparePackedApp(repo, work.dir));
  await installPackedApp(app, { offline: true });
}, 240_000);

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

afterAll(async () => {
  await work?.remove();
});

function packed(name: string): PackedServer {
  const found = servers.find((server) => server.name === name);
  if (!found) throw new Error(`${name} was not packed`);
  return found;
}

/** Where the app's install put a server (the real path, behind pnpm's symlink). */
function installed(name: string): string {
  return realpathSync(path.join(app, 'node_modules', name));
}

function manifestOf(name: string): { dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(installed(name), 'package.json'), 'utf8'));
}

/**
 * Starts a packed server as a host does, `npx --no -- <bin> ...args` in the app directory, with
 * record-loads.mjs preloaded so that the modules its bin loaded until `initialize` was answered
 * can be checked.
 *
 * @returns the session and those modules: files of the package (relative, e.g. `dist/main.js`)
 *   and packages from node_modules
 */
async function startPacked(name: string, args: string[], env: Record<string, string> = {}) {
  const record = path.join(work.dir, `loads-${packed(name).bin}.txt`);
  const session: StdioSession = await startStdioServer({
    command: 'npx',
    // `--` ends npx's own options: after a bare `--no`, npx 11 takes the server's flags for its own.
    args: ['--no', '--', packed(name).bin, ...args],
    cwd: app,
    env: {
      ...env,
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(here, 'record-loads.mjs')).href}`,
      BULWARK_RECORD_LOADS: record,
    },
  });
  cleanups.push(() => session.close());
  const own = installed(name);
  const files: string[] = [];
  const packages = new Set<string>();
  for (const url of readFileSync(record, 'utf8').trim().split('\n')) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    if (file.startsWith(`${own}${path.sep}`)) files.push(path.relative(own, file).split(path.sep).join('/'));
    else packages.add(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? file);
  }
  return { session, startup: { files, packages: [...packages] } };
}

/** What the bundle promises: startup reads its own files and no bundled package from node_modules. */
function expectBundledStartup(startup: { files: string[]; packages: string[] }) {
  expect(startup.files[0]).toBe('dist/main.js');
  expect(startup.files.filter((file) => !/^dist\/(main|bin-[\w.-]+)\.js$/.test(file))).toEqual([]);
  expect(startup.packages.filter((name) => BUNDLED.includes(name))).toEqual([]);
}

async function toolNames(session: StdioSession): Promise<string[]> {
  return (await session.client.listTools()).tools.map((tool) => tool.name);
}

/** The package a specifier names (`@scope/name/sub` → `@scope/name`); undefined for a file or a Node module. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || BUILTINS.has(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Packages that the library's modules (tsc's output and declarations: everything in dist/ but
 * the bundle) import, statically, with `import()`, or through `require`/`createRequire`.
 */
function libraryImports(packageDir: string): string[] {
  const patterns = [
    /\b(?:from|import)\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /\bcreateRequire\([^()]*\)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const packages = new Set<string>();
  for (const file of readdirSync(path.join(packageDir, 'dist'), { recursive: true, encoding: 'utf8' })) {
    if (!/\.(js|d\.ts)$/.test(file) || file === 'main.js' || file.startsWith('bin-')) continue;
    const code = readFileSync(path.join(packageDir, 'dist', file), 'utf8');
    for (const pattern of patterns) {
      for (const [, specifier = ''] of code.matchAll(pattern)) {
        const name = packageOf(specifier);
        if (name) packages.add(name);
      }
    }
  }
  return [...packages].sort();
}

describe('the tarballs', () => {
  it('hold only what a user needs: the bundled bin, the library export, README and package.json', () => {
    expect(servers.map((server) => server.name)).toHaveLength(6);
    for (const { name, tarball } of servers) {
      const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
      expect(listing, name).toEqual(
        expect.arrayContaining([
          'package/package.json',
          'package/README.md',
          'package/dist/main.js',
          'package/dist/server.js',
          'package/dist/server.d.ts',
        ]),
      );
      expect(
        listing.filter((file) => /^package\/dist\/bin-[\w.-]+\.js$/.test(file)).length,
        name,
      ).toBeGreaterThan(0);
      expect(
        listing.filter((file) => /\.test\.|\/test\/|\/src\/|\.map$|\.tsbuildinfo$/.test(file)),
        name,
      ).toEqual([]);
    }
  });

  it('declare every package their modules import, and the library export loads from the install', () => {
    for (const { name } of servers) {
      const declared = Object.keys(manifestOf(name).dependencies ?? {});
      const imported = libraryImports(installed(name));
      expect(
        imported.filter((dependency) => !declared.includes(dependency)),
        name,
      ).toEqual([]);
      expect(DECLARED_UNUSED[name] ?? [], name).toEqual(
        expect.arrayContaining(declared.filter((dependency) => !imported.includes(dependency))),
      );
      const exported = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(path.join(installed(name), 'dist/server.js')).href)}); process.stdout.write(Object.keys(m).join(','));`,
        ],
        { cwd: app, encoding: 'utf8' },
      );
      expect(exported.split(','), name).toContain('loadConfig');
    }
  });
});

describe('each server from its tarball through npx', () => {
  it('filesystem: starts from its bundle, lists its tools, reads and searches files', async () => {
    const data = await createTempTree({
      'hello.txt': 'hello from a packed server\n',
      notes: { 'a.md': '# a\n', 'b.md': '# b\n' },
    });
    cleanups.push(() => data.remove());
    const { session, startup } = await startPacked('@bulwark/server-filesystem', [data.dir]);
    expect(session.client.getServerVersion()?.name).toBe('bulwark-filesystem');
    expectBundledStartup(startup);
    expect(startup.packages).toEqual([]);
    expect(await toolNames(session)).toContain('read_text_file');
    const read = await session.client.callTool({ name: 'read_text_file', arguments: { path: 'hello.txt' } });
    expect(structuredOf<{ content: string }>(read).content).toBe('hello from a packed server\n');
    // fast-glob is not bundled: it is loaded on first use from the install's node_modules.
    const search = await session.client.callTool({
      name: 'search_files',
      arguments: { path: data.dir, pattern: '**/*.md' },
    });
    const found = structuredOf<{ matches: { path: string }[] }>(search).matches;
    expect(found.map((match) => path.basename(match.path)).sort()).toEqual(['a.md', 'b.md']);
  });

  it('filesystem: serves Streamable HTTP from the lazily loaded HTTP chunk, rate limits in Redis', async () => {
    const data = await createTempTree({ 'hello.txt': 'over HTTP\n' });
    cleanups.push(() => data.remove());
    // The Redis store loads ioredis with import() (a CommonJS package behind a facade in the
    // bundle). Without a Redis on 127.0.0.1:6379 the server says so and limits in memory; either
    // answer proves that the client was built.
    const server = await startHttpServer({
      args: [
        path.join(installed('@bulwark/server-filesystem'), 'dist/main.js'),
        data.dir,
        '--rate-limit',
        '100',
        '--rate-limit-store',
        'redis://127.0.0.1:6379',
      ],
    });
    cleanups.push(() => server.stop());
    expect(server.stderr()).toMatch(
      /rate limits shared through redis:\/\/127\.0\.0\.1:6379|rate-limit store redis:\/\/127\.0\.0\.1:6379\/? is unavailable/,
    );
    const client = await server.connect();
    const read = await client.callTool({ name: 'read_text_file', arguments: { path: 'hello.txt' } });
    expect(structuredOf<{ content: string }>(read).content).toBe('over HTTP\n');
  });

  it('sqlite: answers a query from its query process, on the native driver of the install', async () => {
    const dir = await createTempTree({});
    cleanups.push(() => dir.remove());
    const file = path.join(dir.dir, 'shop.db');
    await createSampleSqlite(file);
    const { session, startup } = await startPacked('@bulwark/server-sqlite', [file]);
    expect(session.client.getServerVersion()?.name).toBe('bulwark-sqlite');
    expectBundledStartup(startup);
    expect(startup.packages).toEqual(['better-sqlite3']);
    expect(await toolNames(session)).toContain('query');
    const result = await session.client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT count(*) AS n FROM customers' },
    });
    expect(structuredOf<{ rows: unknown[][] }>(result).rows).toEqual([[SAMPLE_SIZES.customers]]);
  });

  it('postgres: answers a query once the WebAssembly guard has parsed it', async () => {
    const database = await startTestPostgres();
    cleanups.push(() => database.close());
    await seedSamplePostgres(database.url);
    const { session, startup } = await startPacked('@bulwark/server-postgres', [], {
      DATABASE_URL: database.url,
    });
    expect(session.client.getServerVersion()?.name).toBe('bulwark-postgres');
    expectBundledStartup(startup);
    expect(startup.packages).toEqual([]);
    expect(await toolNames(session)).toContain('query');
    const result = await session.client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT count(*)::int AS n FROM customers' },
    });
    expect(structuredOf<{ rows: unknown[][] }>(result).rows).toEqual([[SAMPLE_SIZES.customers]]);
    const refused = await session.client.callTool({
      name: 'query',
      arguments: { sql: 'DELETE FROM customers' },
    });
    expect(refused.isError).toBe(true);
  });

  it('fetch: converts a page with the lazily loaded HTML libraries', async () => {
    const site = await startLoopbackWeb({
      'GET /page': (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            '<html><head><title>Packed</title></head><body><h1>Packed page</h1><p>Served on loopback.</p></body></html>',
          ),
    });
    cleanups.push(() => site.close());
    const { session, startup } = await startPacked('@bulwark/server-fetch', ['--allow-host', '127.0.0.1']);
    expect(session.client.getServerVersion()?.name).toBe('bulwark-fetch');
    expectBundledStartup(startup);
    expect(startup.packages).toEqual(['robots-parser']);
    expect(await toolNames(session)).toContain('fetch');
    const result = await session.client.callTool({
      name: 'fetch',
      arguments: { url: `${site.origin}/page`, raw: true },
    });
    const page = structuredOf<{ status: number; format: string; title: string; content: string }>(result);
    expect(page).toMatchObject({ status: 200, format: 'markdown', title: 'Packed' });
    expect(unwrapUntrusted(page.content)).toContain('# Packed page');
  });

  it('github: reads the user behind the token from a loopback API', async () => {
    const api = await startGitHubApi(fakeGitHub());
    cleanups.push(() => api.close());
    const { session, startup } = await startPacked('@bulwark/server-github', [], {
      GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bulwarkPackedTest000000000000000000000',
      GITHUB_API_URL: api.url,
    });
    expect(session.client.getServerVersion()?.name).toBe('bulwark-github');
    expectBundledStartup(startup);
    expect(startup.packages).toEqual([]);
    expect(await toolNames(session)).toContain('get_me');
    const me = structuredOf<{ login: string; read_only: boolean }>(
      await session.client.callTool({ name: 'get_me', arguments: {} }),
    );
    expect(me).toMatchObject({ login: 'octocat', read_only: true });
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toContain('GET /user');
  });

  it('slack: lists the channels of a loopback workspace', async () => {
    const workspace = createSlackWorkspace();
    const api = await startSlackApi({ workspace });
    cleanups.push(() => api.close());
    const { session, startup } = await startPacked('@bulwark/server-slack', [], {
      SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN,
      SLACK_API_URL: api.url,
    });
    expect(session.client.getServerVersion()?.name).toBe('bulwark-slack');
    // @slack/web-api may already be loading for the startup check (auth.test); it is a dependency.
    expectBundledStartup(startup);
    expect(await toolNames(session)).toContain('list_channels');
    const listed = structuredOf<{ channels: { id: string }[] }>(
      await session.client.callTool({ name: 'list_channels', arguments: { limit: 100 } }),
    );
    const visible = workspace.channels.filter(
      (channel) =>
        !channel.is_im &&
        !channel.is_archived &&
        (!channel.is_private || channel.members.includes(workspace.bot.userId)),
    );
    expect(listed.channels.map((channel) => channel.id)).toEqual(visible.map((channel) => channel.id));
    expect(api.methods()).toContain('conversations.list');
  });
});
