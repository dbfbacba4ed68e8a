import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempTree, type TempTree } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addImporter,
  copyWorkspace,
  importerMismatch,
  TEMPLATE_CHECK_NAME,
  TEMPLATE_IMPORTER_FILE,
} from './workspace-copy.mjs';

// `pnpm new-server <name>` end to end, in a temporary copy of the workspace (workspace-copy.mjs)
// rather than in this checkout: generating into servers/ here and running `pnpm install` would
// rewrite the lockfile and node_modules under every other suite running at the same time, and a
// killed run would leave a stray package behind. Both installs are `--offline` and resolve nothing,
// so they need only pnpm's store, which the workspace install filled: the first installs this
// checkout's lockfile, the second that lockfile plus the generated server's entry, committed in
// TEMPLATE_IMPORTER_FILE by `pnpm template:lock`. The copy is removed afterwards, whatever happened.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAME = TEMPLATE_CHECK_NAME;
const PACKAGE = `@bulwark/server-${NAME}`;

let work: TempTree;
let lockBefore: string;

/** Runs a command in the copy; output is captured so that a failure shows what the tool printed. */
function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}) {
  // The inner tools must not see this vitest run's worker variables.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(VITEST|npm_|TINYPOOL)/i.test(key)),
  );
  return spawnSync(command, args, {
    cwd,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 150_000,
    maxBuffer: 32 * 1024 * 1024,
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}${result.error ? ` (${result.error.message})` : ''}\n${result.stdout}\n${result.stderr}`;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file below a directory, relative, sorted (node_modules and dist left out). */
function listFiles(dir: string, relative = ''): string[] {
  return readdirSync(path.join(dir, relative), { withFileTypes: true })
    .flatMap((entry) => {
      const entryPath = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        return entry.name === 'node_modules' || entry.name === 'dist' ? [] : listFiles(dir, entryPath);
      }
      return [entryPath];
    })
    .sort();
}

let generated: SpawnSyncReturns<string>;
let expectedLock: string;

beforeAll(async () => {
  lockBefore = sha256(path.join(repo, 'pnpm-lock.yaml'));
  const importer = readFileSync(path.join(repo, TEMPLATE_IMPORTER_FILE), 'utf8');
  const mismatch = importerMismatch(repo, importer);
  if (mismatch !== undefined) {
    throw new Error(
      `${TEMPLATE_IMPORTER_FILE} is stale (${mismatch}): run pnpm template:lock with the registry reachable and commit it.`,
    );
  }
  work = await createTempTree({}, 'bulwark-template-');
  copyWorkspace(repo, work.dir);
  const install = run(work.dir, 'pnpm', ['install', '--offline', '--reporter=append-only']);
  if (install.status !== 0) throw new Error(`pnpm install --offline in the copy failed: ${output(install)}`);
  // The lockfile as it will be once the server is added, so that linking it resolves nothing.
  const lockfile = path.join(work.dir, 'pnpm-lock.yaml');
  expectedLock = addImporter(readFileSync(lockfile, 'utf8'), importer);
  writeFileSync(lockfile, expectedLock);
  // The script a developer runs: generate, link into the workspace, build (from the store only).
  generated = run(work.dir, 'pnpm', ['run', '--silent', 'new-server', NAME, '--offline']);
}, 240_000);

afterAll(async () => {
  await work?.remove();
});

describe('pnpm new-server', () => {
  it('scaffolds a package in the shape of the real servers, linked into the workspace and built', () => {
    expect(generated.status, output(generated)).toBe(0);
    const dir = path.join(work.dir, 'servers', NAME);
    expect(listFiles(dir)).toEqual(
      [
        'README.md',
        '__toolsnaps__/read_text.json',
        'package.json',
        'src/cli.ts',
        'src/config.ts',
        'src/deps.ts',
        'src/main.ts',
        'src/server.ts',
        'src/tools/index.ts',
        'src/tools/read_text.ts',
        'src/version.ts',
        'test/helpers.ts',
        'test/read_text.test.ts',
        'test/toolsnaps.test.ts',
        'tsconfig.json',
        'tsconfig.test.json',
        'tsup.config.ts',
      ].sort(),
    );
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: PACKAGE,
      mcpName: `io.github.bulwark-mcp/server-${NAME}`,
      bin: { [`bulwark-server-${NAME}`]: './dist/main.js' },
      dependencies: { '@bulwark/hardening': 'workspace:*', '@bulwark/runtime': 'workspace:*' },
      devDependencies: { '@bulwark/testkit': 'workspace:*' },
    });
    for (const shared of ['hardening', 'runtime', 'testkit']) {
      expect(lstatSync(path.join(dir, 'node_modules/@bulwark', shared)).isSymbolicLink()).toBe(true);
    }
    // The generated manifest is the one the recorded entry was resolved for: pnpm left it as it was.
    const lockAfter = readFileSync(path.join(work.dir, 'pnpm-lock.yaml'), 'utf8');
    expect(lockAfter).toContain(`\n  servers/${NAME}:\n`);
    expect(lockAfter).toBe(expectedLock);
    expect(existsSync(path.join(dir, 'dist/main.js'))).toBe(true);
  });

  it('passes biome check, including the bench entry it registered', () => {
    const result = run(work.dir, 'node_modules/.bin/biome', [
      'check',
      `servers/${NAME}`,
      `test/bench/${NAME}.mjs`,
      'test/bench/run.mjs',
    ]);
    expect(result.status, output(result)).toBe(0);
  });

  it('passes its typecheck (sources and tests)', () => {
    const result = run(work.dir, 'pnpm', ['--filter', PACKAGE, 'typecheck']);
    expect(result.status, output(result)).toBe(0);
  }, 90_000);

  it('passes its own tests against the built bin, snapshots included (CI mode writes none)', () => {
    const report = path.join(work.dir, 'vitest-report.json');
    const result = run(
      work.dir,
      'node_modules/.bin/vitest',
      ['run', `servers/${NAME}`, '--reporter=json', `--outputFile=${report}`],
      { CI: 'true' },
    );
    expect(result.status, output(result)).toBe(0);
    const summary = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      numPendingTests: number;
      testResults: { name: string; status: string }[];
      snapshot: { added: number; unmatched: number };
    };
    expect(summary.testResults.map((file) => [path.basename(file.name), file.status]).sort()).toEqual([
      ['read_text.test.ts', 'passed'],
      ['toolsnaps.test.ts', 'passed'],
    ]);
    expect(summary.numPendingTests).toBe(0);
    expect(summary.numPassedTests).toBe(summary.numTotalTests);
    expect(summary.numTotalTests).toBeGreaterThanOrEqual(10);
    expect(summary.snapshot).toMatchObject({ added: 0, unmatched: 0 });
  }, 120_000);

  it('registers a bench entry that runs the new server', () => {
    const entry = readFileSync(path.join(work.dir, 'test/bench/run.mjs'), 'utf8');
    expect(entry).toContain(`'${NAME}': () => import('./${NAME}.mjs'),`);
    const result = run(work.dir, process.execPath, ['test/bench/run.mjs', NAME], { BENCH_RUNS: '1' });
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toMatch(/^read_text \(256 KiB\) +\| [\d.]+ ms/m);
  }, 90_000);

  it('refuses a malformed name and an existing server, creating nothing', () => {
    const malformed = run(work.dir, 'pnpm', ['run', '--silent', 'new-server', 'Bad_Name', '--no-install']);
    expect(malformed.status).not.toBe(0);
    expect(output(malformed)).toContain('lower-case letters');
    expect(existsSync(path.join(work.dir, 'servers/Bad_Name'))).toBe(false);
    const before = listFiles(path.join(work.dir, 'servers', NAME));
    const again = run(work.dir, 'pnpm', ['run', '--silent', 'new-server', NAME, '--no-install']);
    expect(again.status).not.toBe(0);
    expect(output(again)).toContain(`servers/${NAME} already exists`);
    expect(listFiles(path.join(work.dir, 'servers', NAME))).toEqual(before);
  });

  it('typechecks the generator config itself', () => {
    const result = run(work.dir, 'node_modules/.bin/tsc', ['-p', 'turbo/generators/tsconfig.json']);
    expect(result.status, output(result)).toBe(0);
  });

  it('names the recorded lockfile entry stale once the template changes a dependency', async () => {
    const importer = readFileSync(path.join(repo, TEMPLATE_IMPORTER_FILE), 'utf8');
    const template = 'turbo/generators/templates/server/package.json.hbs';
    const manifest = JSON.parse(readFileSync(path.join(repo, template), 'utf8'));
    const changed = await createTempTree(
      {
        [template]: JSON.stringify({ ...manifest, dependencies: { ...manifest.dependencies, zod: '9.9.9' } }),
      },
      'bulwark-template-stale-',
    );
    try {
      expect(importerMismatch(repo, importer)).toBeUndefined();
      expect(importerMismatch(changed.dir, importer)).toBe(
        `zod is 9.9.9 in the template but ${manifest.dependencies.zod} in the recorded entry`,
      );
    } finally {
      await changed.remove();
    }
  });

  it('leaves this checkout untouched', () => {
    expect(existsSync(path.join(repo, 'servers', NAME))).toBe(false);
    expect(readFileSync(path.join(repo, 'test/bench/run.mjs'), 'utf8')).not.toContain(NAME);
    expect(sha256(path.join(repo, 'pnpm-lock.yaml'))).toBe(lockBefore);
  });
});
