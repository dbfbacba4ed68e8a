#!/usr/bin/env node
// pnpm bundle: builds one MCP Bundle (.mcpb, https://github.com/modelcontextprotocol/mcpb) per
// server into dist-bundles/<name>.mcpb, for one-click install in hosts such as Claude Desktop.
//
//   pnpm bundle                      every server (build the workspace first: pnpm build)
//   pnpm bundle sqlite filesystem    only these
//   pnpm bundle --out <dir> --keep   another output directory; keep the staging directories
//
// A bundle is the server as npm publishes it plus its production dependencies, next to
// servers/<name>/mcpb/manifest.json (manifest_version 0.3: how the host starts the server and
// which settings it asks the user for). Staging, per server:
//   1. `pnpm deploy --prod --offline` copies the package (its "files") and installs its production
//      dependencies from pnpm's store, flat (node-linker=hoisted), without the network; workspace
//      packages are copied as they would be published.
//   2. pnpm's bookkeeping (lockfile, .modules.yaml, the virtual store index) is removed: it names
//      this machine's paths. package.json is reduced to what Node needs (name, version, "type").
//   3. .mcpbignore drops what never runs: TypeScript sources inside node_modules and the C/C++
//      sources and build files of native modules (they load their prebuilt binaries, one per
//      platform, which stay). mcpb itself leaves out *.map, *.d.ts, .env*, .npmrc and the like.
//   4. The files that will go into the archive are checked (source maps, secrets, this machine's
//      paths) with the rules of scripts/release/tarball-checks.mjs, the manifest is validated with
//      mcpb's validator, and mcpb packs the directory.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  getAllFilesWithCount,
  packExtension,
  readMcpbIgnorePatterns,
  validateManifest,
} from '@anthropic-ai/mcpb';
import { checkPackageFiles, machinePaths } from '../release/tarball-checks.mjs';

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `pnpm bundle` writes the bundles (git-ignored). */
export const DEFAULT_OUT_DIR = path.join(REPO, 'dist-bundles');

/** Patterns (gitignore syntax) for files that never run; see step 3 above. */
export const BUNDLE_IGNORE = [
  '# Written by scripts/bundle/build.mjs: what never runs in a bundle.',
  '# Node never executes TypeScript inside node_modules.',
  'node_modules/**/*.ts',
  'node_modules/**/*.mts',
  'node_modules/**/*.cts',
  '# Native modules load their prebuilt binaries (prebuilds/<platform>-<arch>.node);',
  '# their sources and build files, and the headers-only node-addon-api, are build-time only.',
  'node_modules/better-sqlite3/deps/',
  'node_modules/better-sqlite3/src/',
  'node_modules/better-sqlite3/binding.gyp',
  'node_modules/node-addon-api/',
];

// pnpm's records of an install; they hold absolute paths of this machine.
const PNPM_BOOKKEEPING = [
  'pnpm-lock.yaml',
  'node_modules/.pnpm',
  'node_modules/.modules.yaml',
  'node_modules/.pnpm-workspace-state-v1.json',
  'node_modules/.bin',
];

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The servers that have an MCP Bundle manifest (servers/<name>/mcpb/manifest.json).
 *
 * @param {string} [repo] - the repository root
 * @returns {string[]} server names, sorted
 */
export function listBundledServers(repo = REPO) {
  return readdirSync(path.join(repo, 'servers'))
    .filter((name) => existsSync(path.join(repo, 'servers', name, 'mcpb', 'manifest.json')))
    .sort();
}

/**
 * Stages one server's bundle directory (steps 1 to 3).
 *
 * @param {string} name - the server, e.g. `sqlite`
 * @param {string} staging - a directory that does not exist yet
 * @param {string} [repo] - the repository root
 * @returns {{ manifest: Record<string, unknown>, pkg: Record<string, unknown> }} what was staged
 * @throws when the manifest and package.json disagree on the version, the entry point is not built,
 *   or pnpm cannot deploy offline
 */
export function stageBundle(name, staging, repo = REPO) {
  const serverDir = path.join(repo, 'servers', name);
  const pkg = readJson(path.join(serverDir, 'package.json'));
  const manifest = readJson(path.join(serverDir, 'mcpb', 'manifest.json'));
  if (manifest.version !== pkg.version) {
    throw new Error(
      `servers/${name}/mcpb/manifest.json says ${manifest.version}, package.json ${pkg.version}: run pnpm release version`,
    );
  }
  if (!existsSync(path.join(serverDir, manifest.server.entry_point))) {
    throw new Error(`servers/${name}/${manifest.server.entry_point} is missing: run pnpm build first`);
  }
  execFileSync(
    'pnpm',
    [
      '--filter',
      pkg.name,
      'deploy',
      '--prod',
      '--offline',
      '--config.inject-workspace-packages=true',
      '--config.node-linker=hoisted',
      staging,
    ],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const entry of PNPM_BOOKKEEPING) rmSync(path.join(staging, entry), { recursive: true, force: true });
  const runtimePackage = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    type: pkg.type ?? 'commonjs',
  };
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(runtimePackage, null, 2)}\n`);
  writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(staging, '.mcpbignore'), `${BUNDLE_IGNORE.join('\n')}\n`);
  return { manifest, pkg };
}

/**
 * The files mcpb will put into the archive, as tarball-checks entries.
 *
 * @param {string} staging - a staged bundle directory
 * @returns {import('../release/tarball-checks.d.mts').PackedFile[]} the files
 */
export function bundleFiles(staging) {
  const { files } = getAllFilesWithCount(staging, staging, {}, readMcpbIgnorePatterns(staging));
  // Keys are archive paths: relative to the staging directory, `/` separators.
  return Object.entries(files).map(([file, { data, mode }]) => ({
    path: file,
    type: 'file',
    mode: mode & 0o777,
    size: data.length,
    data: Buffer.from(data),
  }));
}

/**
 * Checks the files of a staged bundle: our own code (the server and @bulwark/* packages) with
 * every content rule; third-party dependencies, which come verbatim from npm, only for this
 * machine's paths (what staging could have added). Their tests, source maps and README examples
 * (sample tokens included) are theirs to ship.
 *
 * @param {import('../release/tarball-checks.d.mts').PackedFile[]} files - from `bundleFiles`
 * @param {string} [repo] - the repository root
 * @returns {string[]} problems, each `check: path: what`
 */
export function checkBundleFiles(files, repo = REPO) {
  const localPaths = machinePaths(repo);
  const ours = files.filter(
    (file) => !file.path.startsWith('node_modules/') || file.path.startsWith('node_modules/@bulwark/'),
  );
  const theirs = files.filter((file) => !ours.includes(file));
  const results = [
    ...checkPackageFiles(ours, { only: ['contents', 'source-maps', 'secrets', 'local-paths'], localPaths }),
    ...checkPackageFiles(theirs, { only: ['local-paths'], localPaths }),
  ];
  return results.flatMap((result) => result.problems.map((problem) => `${result.id}: ${problem}`));
}

/**
 * Builds one server's .mcpb: stages, checks, validates the manifest and packs it.
 *
 * @param {string} name - the server, e.g. `filesystem`
 * @param {{ outDir?: string, keep?: boolean, repo?: string }} [options] - output directory
 *   (default dist-bundles/), keep the staging directory
 * @returns {Promise<import('./build.d.mts').BundleResult>} the bundle and its numbers
 * @throws when staging fails, a check finds a problem, the manifest is invalid or packing fails
 */
export async function buildBundle(name, options = {}) {
  const repo = options.repo ?? REPO;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const work = mkdtempSync(path.join(os.tmpdir(), `bulwark-mcpb-${name}-`));
  const staging = path.join(work, name);
  try {
    const { manifest } = stageBundle(name, staging, repo);
    const files = bundleFiles(staging);
    const problems = checkBundleFiles(files, repo);
    if (problems.length > 0) throw new Error(`${name}: the bundle would ship\n  ${problems.join('\n  ')}`);
    if (!validateManifest(path.join(staging, 'manifest.json'))) {
      throw new Error(`${name}: mcpb rejects servers/${name}/mcpb/manifest.json (see above)`);
    }
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.mcpb`);
    if (!(await packExtension({ extensionPath: staging, outputPath: file, silent: true }))) {
      throw new Error(`${name}: mcpb pack failed`);
    }
    const archive = readFileSync(file);
    return {
      name,
      file,
      manifestName: manifest.name,
      version: manifest.version,
      files: files.length,
      unpackedBytes: files.reduce((sum, entry) => sum + entry.size, 0),
      bytes: archive.length,
      sha256: createHash('sha256').update(archive).digest('hex'),
      ...(options.keep ? { staging } : {}),
    };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}

function formatBytes(bytes) {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(argv) {
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex === -1 ? DEFAULT_OUT_DIR : path.resolve(argv[outIndex + 1] ?? '');
  const keep = argv.includes('--keep');
  const available = listBundledServers();
  const asked = argv.filter((arg, index) => !arg.startsWith('--') && argv[index - 1] !== '--out');
  const unknown = asked.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`No bundle manifest for ${unknown.join(', ')}; servers with one: ${available.join(', ')}`);
    process.exit(2);
  }
  for (const name of asked.length > 0 ? asked : available) {
    const started = Date.now();
    const result = await buildBundle(name, { outDir, keep });
    console.log(
      `${path.relative(process.cwd(), result.file)}  ${result.manifestName}@${result.version}  ${formatBytes(result.bytes)} (${formatBytes(result.unpackedBytes)} unpacked, ${result.files} files)  sha256 ${result.sha256}  ${((Date.now() - started) / 1000).toFixed(1)} s${result.staging ? `  staged in ${result.staging}` : ''}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
