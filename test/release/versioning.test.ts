import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPublishablePackages, syncServerVersions } from '../../scripts/release/workspace.mjs';
import { REPO, SERVERS } from './config-probe.js';

// The versioning half of a release, run for real on a copy of the workspace's manifests and
// .changeset/ in a temporary directory: `changeset version` with this repository's config, then
// the version sync that `pnpm release version` adds (server.json, mcpb/manifest.json).
const changesetBin = fileURLToPath(import.meta.resolve('@changesets/cli/bin.js'));
const publishable = listPublishablePackages(REPO);
const shared = publishable.filter((pkg) => !pkg.server).map((pkg) => pkg.name);
const serverDirs = SERVERS.map((name) => `servers/${name}`);
let copy: string;

function copyFromRepo(relative: string): void {
  if (!existsSync(path.join(REPO, relative))) return;
  mkdirSync(path.dirname(path.join(copy, relative)), { recursive: true });
  copyFileSync(path.join(REPO, relative), path.join(copy, relative));
}

function versionOf(dir: string): string {
  return JSON.parse(readFileSync(path.join(copy, dir, 'package.json'), 'utf8')).version;
}

function changesetVersion(): void {
  const run = spawnSync(process.execPath, [changesetBin, 'version'], { cwd: copy, encoding: 'utf8' });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
}

function addChangeset(id: string, bumps: Record<string, string>, summary: string): void {
  const header = Object.entries(bumps)
    .map(([name, bump]) => `"${name}": ${bump}`)
    .join('\n');
  writeFileSync(path.join(copy, '.changeset', `${id}.md`), `---\n${header}\n---\n\n${summary}\n`);
}

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'bulwark-versioning-'));
  for (const file of [
    'package.json',
    'pnpm-workspace.yaml',
    '.changeset/config.json',
    '.changeset/first-release.md',
  ]) {
    copyFromRepo(file);
  }
  for (const pkg of publishable) copyFromRepo(`${pkg.relativeDir}/package.json`);
  for (const dir of ['shared/testkit', 'test']) copyFromRepo(`${dir}/package.json`);
  for (const dir of serverDirs) {
    copyFromRepo(`${dir}/server.json`);
    copyFromRepo(`${dir}/mcpb/manifest.json`);
  }
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('versioning with changesets', () => {
  it('the first release moves every published package to the next minor version with a changelog', () => {
    const before = Object.fromEntries(
      publishable.map((pkg) => [pkg.relativeDir, versionOf(pkg.relativeDir)]),
    );
    const untouched = { testkit: versionOf('shared/testkit'), test: versionOf('test') };
    changesetVersion();
    for (const pkg of publishable) {
      const [major, minor] = before[pkg.relativeDir]!.split('.').map(Number);
      expect(versionOf(pkg.relativeDir), pkg.name).toBe(`${major}.${minor! + 1}.0`);
      const changelog = readFileSync(path.join(copy, pkg.relativeDir, 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain('First public release');
    }
    expect(versionOf('shared/testkit')).toBe(untouched.testkit);
    expect(versionOf('test')).toBe(untouched.test);
    expect(existsSync(path.join(copy, 'shared/testkit/CHANGELOG.md'))).toBe(false);
    expect(existsSync(path.join(copy, '.changeset/first-release.md'))).toBe(false);
  });

  it('pnpm release version carries the new versions into server.json and the bundle manifest', () => {
    const servers = [...SERVERS];
    const drift = syncServerVersions(copy, { write: false, servers });
    expect(drift.map((entry) => entry.file).sort()).toEqual(
      serverDirs.flatMap((dir) => [`${dir}/mcpb/manifest.json`, `${dir}/server.json`]).sort(),
    );
    const before = readFileSync(path.join(copy, 'servers/sqlite/server.json'), 'utf8');
    syncServerVersions(copy, { write: true, servers });
    for (const dir of serverDirs) {
      const version = versionOf(dir);
      const registry = JSON.parse(readFileSync(path.join(copy, dir, 'server.json'), 'utf8'));
      const manifest = JSON.parse(readFileSync(path.join(copy, dir, 'mcpb/manifest.json'), 'utf8'));
      expect([registry.version, registry.packages[0].version, manifest.version]).toEqual([
        version,
        version,
        version,
      ]);
    }
    // Only the version values change; the rest of the file stays byte for byte.
    const after = readFileSync(path.join(copy, 'servers/sqlite/server.json'), 'utf8');
    expect(after.replace(/"version": "[^"]*"/g, '')).toBe(before.replace(/"version": "[^"]*"/g, ''));
    expect(syncServerVersions(copy, { write: false, servers })).toEqual([]);
  });

  it('a fix in the shared layer releases the whole fixed group and every server that pins it', () => {
    const before = Object.fromEntries(publishable.map((pkg) => [pkg.name, versionOf(pkg.relativeDir)]));
    addChangeset('sandbox-fix', { '@bulwark/hardening': 'patch' }, 'Fix a sandbox check.');
    changesetVersion();
    const patched = (version: string) => version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    for (const pkg of publishable)
      expect(versionOf(pkg.relativeDir), pkg.name).toBe(patched(before[pkg.name]!));
    expect(
      new Set(shared.map((name) => versionOf(publishable.find((pkg) => pkg.name === name)!.relativeDir)))
        .size,
    ).toBe(1);
  });

  it('a change to one server releases only that server', () => {
    const before = Object.fromEntries(publishable.map((pkg) => [pkg.name, versionOf(pkg.relativeDir)]));
    addChangeset('slack-only', { '@bulwark/server-slack': 'minor' }, 'A new Slack tool.');
    changesetVersion();
    for (const pkg of publishable) {
      const expected =
        pkg.name === '@bulwark/server-slack'
          ? before[pkg.name]!.replace(/\.(\d+)\.\d+$/, (_, minor) => `.${Number(minor) + 1}.0`)
          : before[pkg.name];
      expect(versionOf(pkg.relativeDir), pkg.name).toBe(expected);
    }
  });
});
