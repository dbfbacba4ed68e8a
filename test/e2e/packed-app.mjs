// Builds the "user's machine" of the packed-tarball e2e test: packs workspace packages with
// `pnpm pack` (which applies publishConfig and rewrites workspace: ranges) and installs them into
// an empty directory outside the workspace. Shared by the test (offline install) and by
// scripts/prefetch-e2e.mjs (the provisioning step that fills pnpm's store and metadata cache).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The packages the e2e app installs: the filesystem server and what it depends on. */
export const PACKAGES = ['shared/hardening', 'shared/runtime', 'servers/filesystem'];

/** The package whose bin the app runs. */
export const SERVER_PACKAGE = '@bulwark/server-filesystem';

/**
 * Packs `PACKAGES` into `<work>/tarballs` and writes `<work>/app/package.json` depending on the
 * server tarball, with the shared packages overridden to their tarballs.
 *
 * @param {string} repo - the repository root
 * @param {string} work - an empty directory
 * @returns {{ app: string, tarballs: string }} the app and tarball directories
 */
export function preparePackedApp(repo, work) {
  const tarballs = path.join(work, 'tarballs');
  const app = path.join(work, 'app');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(app, { recursive: true });
  const files = {};
  for (const dir of PACKAGES) {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: path.join(repo, dir),
      encoding: 'utf8',
    });
    const tarball = output.trim().split('\n').at(-1) ?? '';
    const { name } = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    );
    files[name] = `file:${tarball}`;
  }
  const overrides = Object.fromEntries(Object.entries(files).filter(([name]) => name !== SERVER_PACKAGE));
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'bulwark-e2e-app',
      private: true,
      dependencies: { [SERVER_PACKAGE]: files[SERVER_PACKAGE] },
      pnpm: { overrides },
    }),
  );
  return { app, tarballs };
}

/**
 * Installs the app outside the workspace. `offline` (the test) uses only pnpm's store and metadata
 * cache; otherwise (provisioning) the registry fills what the cache lacks.
 *
 * @param {string} app - the app directory
 * @param {{ offline: boolean }} options - network or not
 * @throws when pnpm fails (offline: a package the cache lacks)
 */
export function installPackedApp(app, { offline }) {
  execFileSync(
    'pnpm',
    ['install', offline ? '--offline' : '--prefer-offline', '--reporter=silent', '--ignore-workspace'],
    { cwd: app, stdio: 'pipe' },
  );
}
