// A temporary copy of this workspace for `pnpm new-server` runs that must not touch the checkout:
// the template test (test/template/new-server.test.ts) and `pnpm template:lock`
// (scripts/template-lock.mjs), which records the lockfile entry the test installs from. The copy
// holds the root configs and lockfile, every workspace package's package.json (so the copied
// lockfile stays consistent and an install resolves nothing but a newly generated package), the
// shared packages whole (sources and dist: a new server builds and runs against them), the
// generator and test/bench's entry point.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The server name the template test generates, and `pnpm template:lock` before it. */
export const TEMPLATE_CHECK_NAME = 'tmpl-check';

/**
 * The committed lockfile entry (pnpm's `importers:` block) of the {@link TEMPLATE_CHECK_NAME}
 * server, as `pnpm template:lock` (scripts/template-lock.mjs) recorded it with the registry
 * reachable. The template test adds it to its workspace copy's lockfile, so the offline install
 * that links the generated server resolves nothing: resolving a new package offline depends on what
 * pnpm's metadata cache happens to hold, which differs from machine to machine.
 */
export const TEMPLATE_IMPORTER_FILE = 'test/template/tmpl-check.importer.yaml';

/**
 * The template's dependency specifiers, by package name, as the generated package.json lists
 * them (dependencies and devDependencies together).
 *
 * @param {string} repo - absolute path of the workspace root
 * @returns {Record<string, string>} e.g. `{ zod: '4.6.7', '@bulwark/runtime': 'workspace:*' }`
 * @throws the node:fs or JSON error when the template manifest cannot be read
 */
export function templateSpecifiers(repo) {
  const manifest = JSON.parse(
    readFileSync(path.join(repo, 'turbo/generators/templates/server/package.json.hbs'), 'utf8'),
  );
  return { ...manifest.dependencies, ...manifest.devDependencies };
}

/**
 * The dependency specifiers an importer block of pnpm-lock.yaml (lockfile version 9) records.
 *
 * @param {string} block - one importer block, as {@link TEMPLATE_IMPORTER_FILE} holds it
 * @returns {Record<string, string>} specifier by package name
 */
export function importerSpecifiers(block) {
  const entries = block.matchAll(/^ {6}'?([^'\s]+?)'?:\n {8}specifier: (\S+)$/gm);
  return Object.fromEntries([...entries].map(([, name, specifier]) => [name, specifier]));
}

/**
 * Why a recorded importer block no longer fits the template, if it does not: the specifiers it
 * was resolved for must be exactly the template manifest's.
 *
 * @param {string} repo - absolute path of the workspace root
 * @param {string} block - the importer block, as {@link TEMPLATE_IMPORTER_FILE} holds it
 * @returns {string | undefined} one line naming the first difference, or undefined when it fits
 */
export function importerMismatch(repo, block) {
  const recorded = importerSpecifiers(block);
  const wanted = templateSpecifiers(repo);
  for (const name of new Set([...Object.keys(recorded), ...Object.keys(wanted)])) {
    if (recorded[name] !== wanted[name]) {
      return `${name} is ${wanted[name] ?? 'absent'} in the template but ${recorded[name] ?? 'absent'} in the recorded entry`;
    }
  }
  return undefined;
}

/**
 * Inserts an importer block into the text of a pnpm-lock.yaml (lockfile version 9), in the sorted
 * place pnpm itself writes it: importers are blocks indented by two spaces, separated by blank
 * lines, between `importers:` and `packages:`.
 *
 * @param {string} lockfile - the lockfile's text, without an importer of the same path
 * @param {string} block - the importer block, starting `  <path>:` and ending with a newline
 * @returns {string} the lockfile's text with the block added
 * @throws {Error} when the lockfile has no importers section or already holds that importer
 */
export function addImporter(lockfile, block) {
  const key = /^ {2}(\S+):$/m.exec(block)?.[1];
  const opening = '\nimporters:\n\n';
  const start = lockfile.indexOf(opening) + opening.length;
  const end = lockfile.indexOf('\npackages:\n');
  if (key === undefined || start < opening.length || end < start) {
    throw new Error('addImporter: expected a lockfile with importers: and packages: sections, and a block');
  }
  // Within the section, importers are separated by one blank line and hold none themselves.
  const blocks = lockfile.slice(start, end).trimEnd().split('\n\n');
  const keys = blocks.map((text) => /^ {2}(\S+):$/m.exec(text)?.[1] ?? '');
  if (keys.includes(key)) throw new Error(`addImporter: the lockfile already has importer ${key}`);
  const at = keys.findIndex((existing) => existing > key);
  blocks.splice(at < 0 ? blocks.length : at, 0, block.trimEnd());
  return `${lockfile.slice(0, start)}${blocks.join('\n\n')}\n${lockfile.slice(end)}`;
}

/**
 * Workspace package directories named by pnpm-workspace.yaml (`shared/*`, `servers/*`, `test`).
 *
 * @param {string} repo - absolute path of the workspace root
 * @returns {string[]} directories relative to `repo`, e.g. `servers/filesystem`
 */
export function workspacePackages(repo) {
  const globs = [...readFileSync(path.join(repo, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^ {2}- (\S+)$/gm)];
  return globs.flatMap(([, glob]) => {
    if (!glob?.endsWith('/*')) return glob ? [glob] : [];
    const parent = glob.slice(0, -2);
    return readdirSync(path.join(repo, parent)).map((name) => `${parent}/${name}`);
  });
}

/**
 * Copies what `pnpm new-server` needs from `repo` into the empty directory `target`.
 *
 * @param {string} repo - absolute path of the workspace root (built: shared packages' dist is copied)
 * @param {string} target - absolute path of an existing, empty directory
 * @throws the node:fs error when a file cannot be read or written
 */
export function copyWorkspace(repo, target) {
  for (const file of [
    'package.json',
    'pnpm-workspace.yaml',
    'pnpm-lock.yaml',
    'turbo.json',
    'tsconfig.base.json',
    'vitest.config.ts',
  ]) {
    cpSync(path.join(repo, file), path.join(target, file));
  }
  // The copy is not a git repository, so Biome cannot ask git for ignored files; the ignore
  // patterns that matter (dist, node_modules) are in its files.includes anyway.
  const biome = JSON.parse(readFileSync(path.join(repo, 'biome.json'), 'utf8'));
  biome.vcs = { enabled: false };
  writeFileSync(path.join(target, 'biome.json'), JSON.stringify(biome, null, 2));
  for (const dir of workspacePackages(repo)) {
    if (!existsSync(path.join(repo, dir, 'package.json'))) continue;
    if (dir.startsWith('shared/')) {
      cpSync(path.join(repo, dir), path.join(target, dir), {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|\.turbo|test)$/.test(source),
      });
    } else {
      mkdirSync(path.join(target, dir), { recursive: true });
      cpSync(path.join(repo, dir, 'package.json'), path.join(target, dir, 'package.json'));
    }
  }
  cpSync(path.join(repo, 'scripts/build'), path.join(target, 'scripts/build'), { recursive: true });
  cpSync(path.join(repo, 'turbo/generators'), path.join(target, 'turbo/generators'), {
    recursive: true,
    filter: (source) => !source.endsWith('.turbo-gen-bundled.cjs'),
  });
  for (const file of ['run.mjs', 'lib.mjs']) {
    cpSync(path.join(repo, 'test/bench', file), path.join(target, 'test/bench', file));
  }
}
