import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTempTree,
  type StdioSession,
  seedSamplePostgres,
  startStdioServer,
  startTestPostgres,
  structuredOf,
  type TempTree,
  type TestPostgres,
  textOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackedApp } from '../e2e/packed-app.mjs';

// `pnpm curate` end to end: a curated set for the filesystem and PostgreSQL servers in the @acme
// scope (filesystem settings from the command line, PostgreSQL settings from a curation file), its
// tarballs installed into an empty directory outside the workspace with `pnpm install --offline`
// (pnpm's store, as the packed-tarball e2e test does), and each bin started through npx the way a
// host config starts it. The assertions are the organisation's: the baked policy holds against
// hostile flags and environment variables, and the defaults apply yet stay overridable.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const upstreamVersion = (server: string): string =>
  JSON.parse(readFileSync(path.join(repo, 'servers', server, 'package.json'), 'utf8')).version;

// The write tools of the upstream filesystem server: a read-only policy must leave none of them.
const FS_WRITE_TOOLS = [
  'write_file',
  'edit_file',
  'append_file',
  'create_directory',
  'move_file',
  'copy_file',
  'delete_path',
];

// 100 lines of 50 bytes: cut by a 2048-byte budget on a line boundary, whole under a larger one.
const LINES = Array.from({ length: 100 }, (_, index) =>
  `line ${String(index).padStart(3, '0')} `.padEnd(49, '.'),
);
const BIG = `${LINES.join('\n')}\n`;

let work: TempTree;
let root: TempTree;
let outside: TempTree;
let database: TestPostgres;
let app: string;
let out: string;
const sessions: StdioSession[] = [];

interface CuratedManifest {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  publishConfig: { registry: string };
  devDependencies?: unknown;
  scripts?: unknown;
}

function manifest(server: string): CuratedManifest {
  return JSON.parse(readFileSync(path.join(out, server, 'package.json'), 'utf8'));
}

async function start(bin: string, args: string[], env: Record<string, string> = {}): Promise<StdioSession> {
  const session = await startStdioServer({
    command: 'npx',
    args: ['--no', '--', bin, ...args],
    cwd: app,
    env,
  });
  sessions.push(session);
  return session;
}

/** Runs a curated bin to its exit (for command lines the policy refuses before anything starts). */
function runToExit(bin: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('npx', ['--no', '--', bin, ...args], {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

beforeAll(async () => {
  work = await createTempTree({}, 'bulwark-curate-');
  root = await createTempTree({ 'hello.txt': 'hello from a curated server\n', 'big.txt': BIG });
  outside = await createTempTree({ 'secret.txt': 'outside the baked root\n' });
  database = await startTestPostgres();
  await seedSamplePostgres(database.url);
  const config = path.join(work.dir, 'curation.json');
  writeFileSync(
    config,
    JSON.stringify({
      scope: '@acme',
      registry: 'https://npm.acme.example/',
      versionSuffix: 'acme.1',
      servers: { postgres: { readOnly: true, databaseUrlEnv: 'ACME_WAREHOUSE_URL', maxRows: 50 } },
    }),
  );
  out = path.join(work.dir, 'out');
  // The workspace is built by the time tests run (`pnpm test` builds first), hence --no-build.
  execFileSync(
    process.execPath,
    [
      path.join(repo, 'scripts/curate/curate.mjs'),
      ...['--config', config, '--servers', 'filesystem,postgres', '--out', out, '--no-build'],
      ...['--read-only', '--filesystem-roots', root.dir, '--filesystem-max-read-bytes', '2048'],
    ],
    { cwd: repo, stdio: 'pipe' },
  );
  app = path.join(work.dir, 'app');
  mkdirSync(app);
  const tarball = (name: string) => `file:${path.join(out, 'tarballs', name)}`;
  // The upstream shared packages curate packed beside the set, resolved to their tarballs as a
  // private registry would serve them.
  const shared = readdirSync(path.join(out, 'tarballs'))
    .filter((file) => file.startsWith('bulwark-'))
    .map((file) => {
      const packed = execFileSync(
        'tar',
        ['-xzOf', path.join(out, 'tarballs', file), 'package/package.json'],
        {
          encoding: 'utf8',
        },
      );
      return [(JSON.parse(packed) as { name: string }).name, tarball(file)];
    });
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'acme-host',
      private: true,
      dependencies: {
        '@acme/server-filesystem': tarball(`acme-server-filesystem-${manifest('filesystem').version}.tgz`),
        '@acme/server-postgres': tarball(`acme-server-postgres-${manifest('postgres').version}.tgz`),
      },
      pnpm: { overrides: Object.fromEntries(shared) },
    }),
  );
  await installPackedApp(app, { offline: true });
}, 240_000);

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  await database?.close();
  await Promise.all([work, root, outside].map((tree) => tree?.remove()));
});

describe('the curated packages', () => {
  it('are renamed into the scope, versioned from upstream, and publish to the private registry', () => {
    for (const server of ['filesystem', 'postgres']) {
      const curated = manifest(server);
      expect(curated.name).toBe(`@acme/server-${server}`);
      expect(curated.version).toBe(`${upstreamVersion(server)}-acme.1`);
      expect(curated.bin).toEqual({ [`acme-server-${server}`]: './curated/main.js' });
      expect(curated.publishConfig.registry).toBe('https://npm.acme.example/');
      expect(curated.devDependencies).toBeUndefined();
      expect(curated.scripts).toBeUndefined();
      expect(curated.dependencies['@bulwark/hardening']).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('ship the upstream build, the wrapper and its defaults, and no sources or tests', () => {
    const listing = execFileSync(
      'tar',
      ['-tzf', path.join(out, 'tarballs', `acme-server-filesystem-${manifest('filesystem').version}.tgz`)],
      { encoding: 'utf8' },
    ).split('\n');
    for (const file of [
      'curated/main.js',
      'curated/defaults.json',
      'dist/main.js',
      'README.md',
      'package.json',
    ]) {
      expect(listing).toContain(`package/${file}`);
    }
    expect(listing.some((file) => /\/(src|test)\/|\.test\./.test(file))).toBe(false);
  });

  it('list what is baked in, policy apart from defaults, in their READMEs', () => {
    const filesystem = readFileSync(path.join(out, 'filesystem/README.md'), 'utf8');
    const policy = filesystem.slice(filesystem.indexOf('## Policy'), filesystem.indexOf('## Defaults'));
    expect(policy).toContain('| `readOnly` | `true` | `--read-only` |');
    expect(policy).toContain(`| \`roots\` | \`${root.dir}\` |`);
    const defaults = filesystem.slice(filesystem.indexOf('## Defaults'), filesystem.indexOf('## Secrets'));
    expect(defaults).toContain('| `maxReadBytes` | `2048` | `--max-read-bytes 2048` |');
    const postgres = readFileSync(path.join(out, 'postgres/README.md'), 'utf8');
    expect(postgres).toContain('`--allow-write` refused');
    expect(postgres).toContain('"ACME_WAREHOUSE_URL": "<acme_warehouse_url>"');
    expect(postgres).toContain('@acme:registry=https://npm.acme.example/');
  });
});

describe('@acme/server-filesystem through npx', () => {
  it('serves only the baked root, read-only, even when the environment says otherwise', async () => {
    const session = await start('acme-server-filesystem', [], {
      BULWARK_FS_READ_ONLY: 'false',
      BULWARK_FS_ROOTS: outside.dir,
    });
    const names = (await session.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('read_text_file');
    expect(names.filter((name) => FS_WRITE_TOOLS.includes(name))).toEqual([]);
    const allowed = structuredOf<{ directories: { path: string; read_only: boolean }[] }>(
      await session.client.callTool({ name: 'list_allowed_directories', arguments: {} }),
    );
    expect(allowed.directories).toEqual([{ path: root.dir, read_only: true }]);
    const hello = await session.client.callTool({ name: 'read_text_file', arguments: { path: 'hello.txt' } });
    expect(structuredOf<{ content: string }>(hello).content).toBe('hello from a curated server\n');
    const outsideRead = await session.client.callTool({
      name: 'read_text_file',
      arguments: { path: outside.path('secret.txt') },
    });
    expect(outsideRead.isError).toBe(true);
    expect(textOf(outsideRead)).not.toContain('outside the baked root');
    expect(session.stderr()).toContain('ignoring BULWARK_FS_READ_ONLY');
    expect(session.stderr()).toContain('ignoring BULWARK_FS_ROOTS');
  });

  it('applies the baked read budget, which a user flag overrides', async () => {
    const baked = await start('acme-server-filesystem', []);
    const cut = structuredOf<{ content: string; truncated: boolean }>(
      await baked.client.callTool({ name: 'read_text_file', arguments: { path: 'big.txt' } }),
    );
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.content)).toBeLessThanOrEqual(2048);
    const wider = await start('acme-server-filesystem', ['--max-read-bytes', '8192']);
    const whole = structuredOf<{ content: string; truncated: boolean }>(
      await wider.client.callTool({ name: 'read_text_file', arguments: { path: 'big.txt' } }),
    );
    expect(whole).toMatchObject({ content: BIG, truncated: false });
  });

  it('refuses to start when a flag or an argument contradicts the policy', () => {
    const extraRoot = runToExit('acme-server-filesystem', [outside.dir]);
    expect(extraRoot.status).toBe(2);
    expect(extraRoot.stderr).toContain(`The @acme policy fixes ${root.dir}`);
    expect(extraRoot.stdout).toBe('');
  });
});

describe('@acme/server-postgres through npx', () => {
  it('connects through the organisation variable, stays read-only and applies the baked page size', async () => {
    const session = await start('acme-server-postgres', ['--pool-size', String(database.maxPoolSize)], {
      ACME_WAREHOUSE_URL: database.url,
      BULWARK_PG_ALLOW_WRITE: 'true',
    });
    const names = (await session.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('query');
    expect(names).not.toContain('execute');
    expect(session.stderr()).toContain('ignoring BULWARK_PG_ALLOW_WRITE');
    const count = structuredOf<{ rows: unknown[][] }>(
      await session.client.callTool({
        name: 'query',
        arguments: { sql: 'SELECT count(*)::int AS n FROM customers' },
      }),
    );
    const before = count.rows[0]?.[0];
    expect(before).toBeGreaterThan(0);
    const page = structuredOf<{ rows: unknown[]; truncated: boolean }>(
      await session.client.callTool({
        name: 'query',
        arguments: { sql: 'SELECT g FROM generate_series(1, 120) AS g' },
      }),
    );
    expect(page.rows).toHaveLength(50);
    expect(page.truncated).toBe(true);
    const write = await session.client.callTool({
      name: 'query',
      arguments: { sql: 'DELETE FROM customers' },
    });
    expect(write.isError).toBe(true);
    const after = structuredOf<{ rows: unknown[][] }>(
      await session.client.callTool({
        name: 'query',
        arguments: { sql: 'SELECT count(*)::int AS n FROM customers' },
      }),
    );
    expect(after.rows[0]?.[0]).toBe(before);
  });

  it('owes its refusal of writes to the policy: the upstream bin with the same environment offers execute', async () => {
    const upstream = await startStdioServer({
      args: [path.join(app, 'node_modules/@acme/server-postgres/dist/main.js'), '--pool-size', '1'],
      env: { DATABASE_URL: database.url, BULWARK_PG_ALLOW_WRITE: 'true' },
    });
    sessions.push(upstream);
    expect((await upstream.client.listTools()).tools.map((tool) => tool.name)).toContain('execute');
  });

  it('refuses --allow-write before connecting to anything', () => {
    const result = runToExit('acme-server-postgres', ['--allow-write'], { ACME_WAREHOUSE_URL: database.url });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--allow-write is fixed by the @acme policy (off)');
  });
});
