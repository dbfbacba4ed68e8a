// The workspace as a release sees it: which packages are published, how each is packed, and the
// files that carry a package's version besides its package.json (server.json for the MCP Registry,
// mcpb/manifest.json for MCP Bundles). Used by release.mjs, scripts/bundle/build.mjs and the tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The workspace packages `changeset publish` would publish: every package that is not private,
 * as pnpm lists them (root excluded), sorted by directory.
 *
 * @param {string} repo - the repository root
 * @returns {import('./workspace.d.mts').WorkspacePackage[]} the publishable packages
 * @throws when pnpm fails
 */
export function listPublishablePackages(repo) {
  const listed = JSON.parse(
    execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: repo, encoding: 'utf8' }),
  );
  return listed
    .filter((entry) => path.resolve(entry.path) !== path.resolve(repo) && entry.private !== true)
    .map((entry) => {
      const dir = path.resolve(entry.path);
      return {
        name: entry.name,
        version: entry.version,
        dir,
        relativeDir: path.relative(repo, dir).split(path.sep).join('/'),
        server: path.basename(path.dirname(dir)) === 'servers',
      };
    })
    .sort((a, b) => a.relativeDir.localeCompare(b.relativeDir));
}

/**
 * Packs one package with `pnpm pack`, which applies `publishConfig` and rewrites `workspace:`
 * ranges to real versions, as `pnpm publish` will.
 *
 * @param {string} dir - the package directory
 * @param {string} destination - where the .tgz goes
 * @returns {string} the tarball's path
 * @throws when pnpm fails
 */
export function packPackage(dir, destination) {
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = output.trim().split('\n').at(-1) ?? '';
  return path.isAbsolute(tarball) ? tarball : path.resolve(destination, tarball);
}

/**
 * The server directories (servers/<name>) that have a package.json.
 *
 * @param {string} repo - the repository root
 * @returns {string[]} server names, e.g. `filesystem`
 */
export function listServers(repo) {
  return listPublishablePackages(repo)
    .filter((pkg) => pkg.server)
    .map((pkg) => path.basename(pkg.dir));
}

/**
 * The files that repeat a server's version: `server.json` (the server's `version` and each
 * package's `version`) and `mcpb/manifest.json` (`version`). Every `"version"` field in them is the
 * package's version. With `write`, rewrites the differing values in place (the rest of the file,
 * formatting included, stays as it is); without, only reports.
 *
 * @param {string} repo - the repository root
 * @param {{ write: boolean, servers?: string[] }} options - rewrite or only report; which servers
 *   (default all, as `listServers` finds them)
 * @returns {import('./workspace.d.mts').VersionDrift[]} what differed (and was rewritten with `write`)
 */
export function syncServerVersions(repo, { write, servers = listServers(repo) }) {
  const drift = [];
  for (const name of servers) {
    const dir = path.join(repo, 'servers', name);
    const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const file of [path.join(dir, 'server.json'), path.join(dir, 'mcpb', 'manifest.json')]) {
      if (!existsSync(file)) continue;
      const before = readFileSync(file, 'utf8');
      const after = before.replace(
        /("version"\s*:\s*)"[^"]*"/g,
        (_, key) => `${key}${JSON.stringify(version)}`,
      );
      if (after === before) continue;
      drift.push({ file: path.relative(repo, file).split(path.sep).join('/'), version });
      if (write) writeFileSync(file, after);
    }
  }
  return drift;
}
