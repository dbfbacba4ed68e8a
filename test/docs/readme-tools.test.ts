import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The generated README sections (tool table, options) checked against the built servers:
// scripts/docs/tools-table.mjs starts every bin in each mode that changes its tools, lists them
// with a real MCP client, reads `--help`, and compares. `pnpm test` builds first, so a tool added,
// renamed, re-described or re-annotated without `pnpm docs` fails here.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repo, 'scripts/docs/tools-table.mjs');
const SERVERS = ['filesystem', 'sqlite', 'postgres', 'fetch', 'github', 'slack'];

function runGenerator(args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 170_000,
    env: process.env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('generated README sections', () => {
  it('are up to date in every server README', () => {
    const { status, stdout, stderr } = runGenerator(['--check']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    for (const name of SERVERS) expect(stdout).toContain(`servers/${name}/README.md: up to date`);
  }, 180_000);

  describe('on a copy of the SQLite README', () => {
    let root: string;
    let real: string;
    let copy: string;

    beforeAll(async () => {
      real = await readFile(path.join(repo, 'servers/sqlite/README.md'), 'utf8');
      root = await mkdtemp(path.join(os.tmpdir(), 'bulwark-docs-test-'));
      await mkdir(path.join(root, 'servers/sqlite'), { recursive: true });
      copy = path.join(root, 'servers/sqlite/README.md');
    });

    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('the check names a README that lost a tool row, and the rewrite restores it', async () => {
      const lines = real.split('\n');
      const row = lines.findIndex((line) => line.startsWith('| `execute`'));
      expect(row).toBeGreaterThan(0);
      await writeFile(copy, [...lines.slice(0, row), ...lines.slice(row + 1)].join('\n'));

      const check = runGenerator(['--check', '--only', 'sqlite', '--readme-root', root]);
      expect(check.status).toBe(1);
      expect(check.stdout).toContain('servers/sqlite/README.md: stale (tool table)');
      expect(check.stderr).toContain('servers/sqlite/README.md');
      expect(await readFile(copy, 'utf8')).not.toContain('| `execute`');

      const rewrite = runGenerator(['--only', 'sqlite', '--readme-root', root]);
      expect(rewrite.status).toBe(0);
      expect(await readFile(copy, 'utf8')).toBe(real);
      // The repository's README was never the target.
      expect(await readFile(path.join(repo, 'servers/sqlite/README.md'), 'utf8')).toBe(real);
    }, 60_000);

    it('the check names a README whose options table is out of date', async () => {
      expect(real).toContain('| `--timeout VALUE` ');
      await writeFile(copy, real.replace('| `--timeout VALUE` ', '| `--deadline VALUE`'));
      const check = runGenerator(['--check', '--only', 'sqlite', '--readme-root', root]);
      expect(check.status).toBe(1);
      expect(check.stdout).toContain('servers/sqlite/README.md: stale (options)');
    }, 60_000);

    it('refuses a README without the markers instead of guessing where the table goes', async () => {
      await writeFile(copy, real.replace('<!-- tools:start -->', ''));
      const check = runGenerator(['--only', 'sqlite', '--readme-root', root]);
      expect(check.status).toBe(2);
      expect(check.stderr).toMatch(/servers\/sqlite\/README\.md: missing the <!-- tools:start -->/);
      expect(await readFile(copy, 'utf8')).toBe(real.replace('<!-- tools:start -->', ''));
    }, 60_000);
  });
});
