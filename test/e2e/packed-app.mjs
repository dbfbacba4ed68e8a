// Builds the "user's machine" of the packed-tarball e2e test and of the startup bench: packs the
// workspace's published packages and installs them into an empty directory outside the workspace.
// Packing is `pnpm pack`, not `npm pack`: only pnpm applies publishConfig (the dist/ exports) and
// rewrites `workspace:` ranges to versions, which is what `pnpm publish` uploads. Shared by the
// test (offline install), the startup bench and scripts/prefetch-offline.mjs (the provisioning step
// that fills pnpm's store and metadata cache).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Every published server, by its directory in the workspace. */
export const SERVER_DIRS = [
  'servers/filesystem',
  'servers/sqlite',
  'servers/postgres',
  'servers/fetch',
  'servers/github',
  'servers/slack',
];

/** The packages the app installs: the servers and the shared packages they depend on. */
export const PACKAGES = ['shared/hardening', 'shared/runtime', 'shared/sql-tools', ...SERVER_DIRS];

/** The official filesystem server, the yardstick of the startup bench. */
export const OFFICIAL_FILESYSTEM = '@modelcontextprotocol/server-filesystem';

/**
 * The version of a registry package that the `test` package pins, so that the app and the
 * workspace's benches run the same release.
 *
 * @param {string} repo - the repository root
 * @param {string} name - a dependency of test/package.json
 * @returns {string} its version range
 * @throws when test/package.json does not depend on `name`
 */
export function pinnedVersion(repo, name) {
  const manifest = JSON.parse(readFileSync(path.join(repo, 'test/package.json'), 'utf8'));
  const version = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (!version) throw new Error(`test/package.json does not depend on ${name}`);
  return version;
}

/**
 * Packs `PACKAGES` (three at a time) into `<work>/tarballs` and writes `<work>/app/package.json`
 * depending on every server tarball, with the shared packages overridden to their tarballs.
 *
 * @param {string} repo - the repository root
 * @param {string} work - an empty directory
 * @param {{ registry?: Record<string, string> }} [options] - extra registry dependencies of the
 *   app (name to version), e.g. the official filesystem server for the startup bench
 * @returns {Promise<{ app: string, tarballs: string, servers: { name: string, bin: string, tarball: string }[] }>}
 *   the app and tarball directories, and each server's package name, bin name and tarball
 */
export async function preparePackedApp(repo, work, { registry = {} } = {}) {
  const tarballs = path.join(work, 'tarballs');
  const app = path.join(work, 'app');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(app, { recursive: true });
  const packed = new Map();
  const queue = [...PACKAGES];
  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: path.join(repo, dir),
        encoding: 'utf8',
      });
      const tarball = stdout.trim().split('\n').at(-1) ?? '';
      const manifest = JSON.parse(
        (await run('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })).stdout,
      );
      packed.set(dir, { name: manifest.name, bin: Object.keys(manifest.bin ?? {})[0] ?? '', tarball });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const servers = SERVER_DIRS.map((dir) => packed.get(dir));
  const overrides = Object.fromEntries(
    PACKAGES.filter((dir) => !SERVER_DIRS.includes(dir)).map((dir) => {
      const { name, tarball } = packed.get(dir);
      return [name, `file:${tarball}`];
    }),
  );
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'bulwark-e2e-app',
      private: true,
      dependencies: {
        ...Object.fromEntries(servers.map(({ name, tarball }) => [name, `file:${tarball}`])),
        ...registry,
      },
      pnpm: { overrides },
    }),
  );
  return { app, tarballs, servers };
}

/**
 * Installs the app outside the workspace. `offline` (the test) uses only pnpm's store and metadata
 * cache; otherwise (provisioning, the bench) the registry fills what the cache lacks.
 *
 * @param {string} app - the app directory
 * @param {{ offline: boolean }} options - network or not
 * @returns {Promise<void>}
 * @throws when pnpm fails (offline: a package the cache lacks)
 */
export async function installPackedApp(app, { offline }) {
  await run(
    'pnpm',
    // append-only rather than silent: a failed install's error message is pnpm's only account of
    // which package or cache entry was missing.
    ['install', offline ? '--offline' : '--prefer-offline', '--reporter=append-only', '--ignore-workspace'],
    { cwd: app, maxBuffer: 32 * 1024 * 1024 },
  );
}
