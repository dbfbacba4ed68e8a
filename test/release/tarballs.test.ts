import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECK_IDS,
  type CheckId,
  checkPackageFiles,
  machinePaths,
  type PackedFile,
  readTarball,
} from '../../scripts/release/tarball-checks.mjs';
import { listPublishablePackages, packPackage } from '../../scripts/release/workspace.mjs';
import { REPO, readRepoJson, SERVERS } from './config-probe.js';

// What npm would receive: every publishable package packed with `pnpm pack` (publishConfig
// applied, workspace: ranges rewritten) and inspected with the checks `pnpm release --dry-run`
// runs (scripts/release/tarball-checks.mjs). The second half proves each check can fail, on
// crafted tarballs.
const packages = listPublishablePackages(REPO);
let work: string;
const packed = new Map<string, PackedFile[]>();

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-tarballs-'));
  for (const pkg of packages) packed.set(pkg.name, readTarball(packPackage(pkg.dir, work)));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the publishable packages', () => {
  it('are the shared layer and every server; private packages are ignored by changesets', () => {
    const names = packages.map((pkg) => pkg.name);
    expect(names).not.toContain('@bulwark/testkit');
    expect(names).not.toContain('@bulwark/test');
    expect(packages.filter((pkg) => pkg.server).map((pkg) => path.basename(pkg.dir))).toEqual([...SERVERS]);
    for (const pkg of packages) expect(readRepoJson(pkg.relativeDir, 'package.json').private).not.toBe(true);
    const config = readRepoJson<{ access: string; ignore: string[]; fixed: string[][] }>(
      '.changeset',
      'config.json',
    );
    expect(config.access).toBe('public');
    for (const dir of ['shared/testkit', 'test']) {
      const pkg = readRepoJson<{ name: string; private?: boolean }>(dir, 'package.json');
      expect(pkg.private).toBe(true);
      expect(config.ignore).toContain(pkg.name);
    }
    for (const name of config.fixed.flat()) expect(names).toContain(name);
  });
});

describe.each(packages.map((pkg) => [pkg.name, pkg.server] as const))('%s tarball', (name, server) => {
  it.each(CHECK_IDS)('passes %s', (id) => {
    const [result] = checkPackageFiles(packed.get(name)!, {
      server,
      localPaths: [...machinePaths(REPO), work],
      only: [id],
    });
    expect(result?.problems, result?.problems.join('\n')).toEqual([]);
  });
});

// A small server package that passes every check; each case below adds one defect. Source map
// comments are assembled at run time so that tools reading this file do not follow them.
const MAPPING = ['//#', 'sourceMappingURL='].join(' ');
const fakeToken = {
  github: ['gh', 'p_', 'Zq7RkL2mX9vB4nT8wY1cD6fH3jP5sA0eG2uK'].join(''),
  slack: ['xo', 'xb-', '2718281828459-3141592653589-', 'kT4mQ9zR2vX7bN1cW8yL5pJ6'].join(''),
  aws: ['AK', 'IA', 'Q3ZB7N4XK2M9TP6W'].join(''),
  key: [
    ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' '),
    'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Ztj9mBRkz8Xw1cYlqZp3aQ0v',
    'c4Hq8m2XbT5nR7wK1sJ9dF3gL6pY0eU4iO8aS2zV5xN7bM1qW3eR6tY9uI0oP2a',
    ['-----END', 'RSA PRIVATE KEY-----'].join(' '),
  ].join('\n'),
};

function cleanPackage(): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: '@bulwark/server-crafted',
      version: '1.2.3',
      mcpName: 'io.github.bulwark-mcp/server-crafted',
      description: 'A crafted package',
      keywords: ['mcp'],
      license: 'MIT',
      repository: { type: 'git', url: 'git+https://github.com/bulwark-mcp/bulwark.git' },
      engines: { node: '>=22.12.0' },
      bin: { 'bulwark-server-crafted': './dist/main.js' },
      files: ['dist'],
      exports: { '.': { types: './dist/server.d.ts', default: './dist/server.js' } },
      publishConfig: { access: 'public', provenance: true },
      dependencies: { zod: '4.6.7' },
    }),
    'README.md': '# crafted\n',
    LICENSE: 'MIT\n',
    'dist/main.js': '#!/usr/bin/env node\nimport "./server.js";\n',
    'dist/server.js': `export const ok = true;\n${MAPPING}server.js.map\n`,
    'dist/server.js.map': JSON.stringify({
      version: 3,
      sources: ['../src/server.ts'],
      names: [],
      mappings: 'AAAA',
    }),
    'dist/server.d.ts': 'export declare const ok: boolean;\n',
  };
}

let crafted: string;
let counter = 0;

/** Writes a package tree under `package/`, tars it with the system tar, reads it back. */
function craft(files: Record<string, string>): PackedFile[] {
  const root = path.join(crafted, `case-${counter++}`);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, 'package', file)), { recursive: true });
    writeFileSync(path.join(root, 'package', file), content);
  }
  const tarball = path.join(root, 'crafted.tgz');
  execFileSync('tar', ['-czf', tarball, '-C', root, 'package']);
  return readTarball(tarball);
}

function failing(files: PackedFile[]): Partial<Record<CheckId, string[]>> {
  const results = checkPackageFiles(files, { server: true, localPaths: machinePaths(REPO) });
  return Object.fromEntries(
    results.filter((result) => result.problems.length > 0).map((result) => [result.id, result.problems]),
  );
}

describe('each check can fail', () => {
  beforeAll(() => {
    crafted = mkdtempSync(path.join(os.tmpdir(), 'bulwark-crafted-'));
  });
  afterAll(() => rmSync(crafted, { recursive: true, force: true }));

  it('passes the clean crafted package, and reads long tar paths whole', () => {
    const deep = `dist/${'nested-directory/'.repeat(8)}module.js`;
    const files = craft({ ...cleanPackage(), [deep]: 'export {};\n' });
    expect(files.map((file) => file.path)).toContain(deep);
    expect(failing(files)).toEqual({});
  });

  const withPkg = (change: (pkg: Record<string, unknown>) => void) => {
    const files = cleanPackage();
    const pkg = JSON.parse(files['package.json']!);
    change(pkg);
    return { ...files, 'package.json': JSON.stringify(pkg) };
  };

  const cases: [string, CheckId, () => Record<string, string>, RegExp][] = [
    [
      'a test file',
      'contents',
      () => ({ ...cleanPackage(), 'dist/server.test.js': '' }),
      /dist\/server\.test\.js/,
    ],
    [
      'a TypeScript source',
      'contents',
      () => ({ ...cleanPackage(), 'src/server.ts': '' }),
      /src\/server\.ts/,
    ],
    ['a tsconfig', 'contents', () => ({ ...cleanPackage(), 'tsconfig.json': '{}' }), /tsconfig\.json/],
    [
      'a tool snapshot',
      'contents',
      () => ({ ...cleanPackage(), '__toolsnaps__/x.json': '{}' }),
      /__toolsnaps__/,
    ],
    [
      'a sourceMappingURL to a missing map',
      'source-maps',
      () => ({ ...cleanPackage(), 'dist/other.js': `x;\n${MAPPING}other.js.map\n` }),
      /dist\/other\.js.*not in the package/,
    ],
    [
      'a map that embeds the sources',
      'source-maps',
      () => ({
        ...cleanPackage(),
        'dist/server.js.map': JSON.stringify({
          version: 3,
          sources: ['../src/server.ts'],
          sourcesContent: ['secret'],
          mappings: '',
        }),
      }),
      /sourcesContent/,
    ],
    [
      'a map with absolute source paths',
      'source-maps',
      () => ({
        ...cleanPackage(),
        'dist/server.js.map': JSON.stringify({
          version: 3,
          sources: ['/home/alice/bulwark/src/server.ts'],
          mappings: '',
        }),
      }),
      /absolute source paths/,
    ],
    [
      'an inline map that embeds the sources',
      'source-maps',
      () => ({
        ...cleanPackage(),
        'dist/inline.js': `x;\n${MAPPING}data:application/json;base64,${Buffer.from(
          JSON.stringify({ version: 3, sources: ['a.ts'], sourcesContent: ['x'], mappings: '' }),
        ).toString('base64')}\n`,
      }),
      /inline map.*sourcesContent/,
    ],
    [
      'a GitHub token',
      'secrets',
      () => ({ ...cleanPackage(), 'dist/config.js': `const t = "${fakeToken.github}";\n` }),
      /dist\/config\.js:1: GitHub token/,
    ],
    [
      'a Slack token',
      'secrets',
      () => ({ ...cleanPackage(), 'dist/config.js': `\n\nx = '${fakeToken.slack}'` }),
      /dist\/config\.js:3: Slack token/,
    ],
    [
      'an AWS access key',
      'secrets',
      () => ({ ...cleanPackage(), 'README.md': `key ${fakeToken.aws}\n` }),
      /README\.md:1: AWS access key/,
    ],
    [
      'a private key',
      'secrets',
      () => ({ ...cleanPackage(), 'dist/key.txt': fakeToken.key }),
      /dist\/key\.txt:1: private key block/,
    ],
    [
      'an .npmrc',
      'secrets',
      () => ({ ...cleanPackage(), '.npmrc': 'registry=https://registry.npmjs.org/\n' }),
      /\.npmrc: a credential/,
    ],
    [
      'an .env file',
      'secrets',
      () => ({ ...cleanPackage(), 'dist/.env': 'A=1\n' }),
      /dist\/\.env: a credential/,
    ],
    [
      "this repository's absolute path",
      'local-paths',
      () => ({ ...cleanPackage(), 'dist/server.js': `export const root = "${REPO}/servers/x";\n` }),
      new RegExp(`dist/server\\.js:1: contains ${REPO.replace(/[/.]/g, '\\$&')}`),
    ],
    ['no mcpName', 'package-json', () => withPkg((pkg) => delete pkg.mcpName), /mcpName missing/],
    [
      'no provenance',
      'package-json',
      () => withPkg((pkg) => Object.assign(pkg, { publishConfig: { access: 'public' } })),
      /provenance/,
    ],
    [
      'a workspace: range',
      'package-json',
      () => withPkg((pkg) => Object.assign(pkg, { dependencies: { '@bulwark/hardening': 'workspace:*' } })),
      /workspace:\*/,
    ],
    [
      'an export of a missing file',
      'package-json',
      () => withPkg((pkg) => Object.assign(pkg, { exports: { '.': './dist/gone.js' } })),
      /gone\.js is not in the package/,
    ],
    [
      'a bin without a node shebang',
      'package-json',
      () => ({ ...cleanPackage(), 'dist/main.js': 'import "./server.js";\n' }),
      /shebang|#!\/usr\/bin\/env node/,
    ],
    ['no keywords', 'package-json', () => withPkg((pkg) => delete pkg.keywords), /keywords/],
  ];

  it.each(cases)('reports %s', (_, id, files, message) => {
    const problems = failing(craft(files()));
    expect(Object.keys(problems)).toEqual([id]);
    expect(
      problems[id]?.some((problem) => message.test(problem)),
      problems[id]?.join('\n'),
    ).toBe(true);
  });
});

describe('pnpm release', () => {
  const script = path.join(REPO, 'scripts', 'release', 'release.mjs');

  it('--dry-run lists every package with its numbers and check results, and fails exactly when a check fails', () => {
    const packDir = path.join(work, 'dry-run');
    const run = spawnSync(process.execPath, [script, '--dry-run', '--json', '--pack-dir', packDir], {
      cwd: REPO,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as {
      packages: {
        name: string;
        version: string;
        tarball: string;
        files: number;
        unpackedBytes: number;
        ok: boolean;
        checks: { problems: string[] }[];
      }[];
      drift: unknown[];
      pending: { releases?: { name: string }[] };
    };
    expect(report.packages.map((pkg) => pkg.name)).toEqual(packages.map((pkg) => pkg.name));
    for (const pkg of report.packages) {
      // The numbers describe the tarball the dry run checked (kept by --pack-dir).
      const files = readTarball(path.join(packDir, pkg.tarball));
      expect(pkg.version).toBe(
        readRepoJson(packages.find((entry) => entry.name === pkg.name)!.relativeDir, 'package.json').version,
      );
      expect(pkg.files).toBe(files.length);
      expect(pkg.unpackedBytes).toBe(files.reduce((sum, file) => sum + file.size, 0));
      expect(pkg.ok).toBe(pkg.checks.every((check) => check.problems.length === 0));
      const own = checkPackageFiles(files, {
        server: packages.find((entry) => entry.name === pkg.name)!.server,
        localPaths: [...machinePaths(REPO), packDir],
      });
      expect(pkg.checks.map((check) => check.problems)).toEqual(own.map((check) => check.problems));
    }
    expect(report.pending.releases?.map((release) => release.name).sort()).toEqual(
      packages.map((pkg) => pkg.name).sort(),
    );
    const passes = report.packages.every((pkg) => pkg.ok) && report.drift.length === 0;
    expect(run.status).toBe(passes ? 0 : 1);
  }, 120_000);

  it('refuses to publish without --yes', () => {
    const run = spawnSync(process.execPath, [script], { cwd: REPO, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--dry-run');
    expect(run.stdout).toBe('');
  });

  it('has the root scripts this flow documents', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.release).toBe('node scripts/release/release.mjs');
    expect(scripts.bundle).toBe('node scripts/bundle/build.mjs');
    expect(scripts.changeset).toBe('changeset');
  });
});
