#!/usr/bin/env node
// pnpm release: the one entry point for releasing the workspace's npm packages.
//
//   pnpm release --dry-run [--json] [--pack-dir <dir>]
//                                     pack every publishable package, inspect each tarball, show the
//                                     pending changesets; publishes nothing (exit 1 if a check fails);
//                                     --pack-dir keeps the tarballs that were checked
//   pnpm release version              `changeset version`, then copy the new versions into each
//                                     server's server.json and mcpb/manifest.json
//   pnpm release --yes                build, check as in the dry run, then `changeset publish`
//
// Without --dry-run, `version` or --yes it refuses: publishing is irreversible (npm never lets a
// version be reused), so it must be asked for explicitly, normally by the release workflow.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackageFiles, machinePaths, readTarball } from './tarball-checks.mjs';
import { listPublishablePackages, packPackage, syncServerVersions } from './workspace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const changesetBin = fileURLToPath(import.meta.resolve('@changesets/cli/bin.js'));

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const json = args.includes('--json');
const confirmed = args.includes('--yes');
const packDirIndex = args.indexOf('--pack-dir');
const packDir = packDirIndex === -1 ? undefined : path.resolve(args[packDirIndex + 1] ?? '.');
const command = args.find(
  (arg, index) => !arg.startsWith('-') && (packDirIndex === -1 || index !== packDirIndex + 1),
);

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Packs and checks every publishable package; returns the report. */
function inspectPackages() {
  const work = packDir ?? mkdtempSync(path.join(os.tmpdir(), 'bulwark-release-'));
  if (packDir) mkdirSync(packDir, { recursive: true });
  try {
    const localPaths = [...machinePaths(repo), work];
    const packages = listPublishablePackages(repo).map((pkg) => {
      const tarball = packPackage(pkg.dir, work);
      const files = readTarball(tarball);
      const manifest = JSON.parse(
        files.find((file) => file.path === 'package.json')?.data.toString('utf8') ?? '{}',
      );
      const checks = checkPackageFiles(files, { server: pkg.server, localPaths });
      return {
        name: manifest.name ?? pkg.name,
        version: manifest.version ?? pkg.version,
        dir: pkg.relativeDir,
        tarball: path.basename(tarball),
        files: files.length,
        unpackedBytes: files.reduce((sum, file) => sum + file.size, 0),
        packedBytes: readFileSync(tarball).length,
        checks,
        ok: checks.every((check) => check.problems.length === 0),
      };
    });
    return { packages, drift: syncServerVersions(repo, { write: false }), pending: pendingReleases(work) };
  } finally {
    if (!packDir) rmSync(work, { recursive: true, force: true });
  }
}

/** The release plan of the changesets in .changeset/ (what `pnpm release version` would do). */
function pendingReleases(work) {
  const output = path.join(work, `changeset-status-${process.pid}.json`);
  const result = spawnSync(process.execPath, [changesetBin, 'status', '--output', output], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const reason =
      `${result.stdout}\n${result.stderr}`.split('\n').find((line) => /\w/.test(line)) ?? 'failed';
    return { error: reason.replace(/^[^A-Za-z]+/, '').trim() };
  }
  const plan = JSON.parse(readFileSync(output, 'utf8'));
  rmSync(output, { force: true });
  return {
    changesets: plan.changesets.map((changeset) => changeset.id),
    releases: plan.releases
      .filter((release) => release.type !== 'none')
      .map(({ name, type, oldVersion, newVersion }) => ({ name, type, oldVersion, newVersion })),
  };
}

function printReport(report) {
  const lines = [];
  lines.push(
    `${report.packages.length} publishable packages, packed with pnpm pack (publishConfig applied, workspace: ranges rewritten):`,
    '',
  );
  for (const pkg of report.packages) {
    lines.push(
      `${pkg.name}@${pkg.version}  ${pkg.files} files  ${formatBytes(pkg.unpackedBytes)} unpacked  ${formatBytes(pkg.packedBytes)} packed  (${pkg.dir})`,
    );
    for (const check of pkg.checks) {
      lines.push(`  ${check.problems.length === 0 ? 'ok  ' : 'FAIL'} ${check.id}: ${check.title}`);
      for (const problem of check.problems) lines.push(`         - ${problem}`);
      for (const warning of check.warnings) lines.push(`  warn ${check.id}: ${warning}`);
    }
  }
  lines.push('');
  if (report.drift.length > 0) {
    lines.push('Versions out of step with package.json (run `pnpm release version`, or fix by hand):');
    for (const { file, version } of report.drift) lines.push(`  FAIL ${file} should say ${version}`);
  } else lines.push('server.json and mcpb/manifest.json versions match package.json.');
  lines.push('');
  if ('error' in report.pending) lines.push(`Pending changesets: unavailable (${report.pending.error})`);
  else if (report.pending.releases.length === 0) lines.push('Pending changesets: none.');
  else {
    lines.push(
      `Pending changesets (${report.pending.changesets.join(', ')}); \`pnpm release version\` would apply:`,
    );
    for (const release of report.pending.releases) {
      lines.push(`  ${release.name} ${release.oldVersion} -> ${release.newVersion} (${release.type})`);
    }
  }
  lines.push('');
  const failing = report.packages.filter((pkg) => !pkg.ok).length;
  lines.push(
    failing === 0 && report.drift.length === 0
      ? 'Every check passes.'
      : `${failing} package(s) fail a check${report.drift.length > 0 ? '; versions are out of step' : ''}.`,
  );
  console.log(lines.join('\n'));
}

function passes(report) {
  return report.packages.every((pkg) => pkg.ok) && report.drift.length === 0;
}

function run(commandLine) {
  const [file, ...rest] = commandLine;
  execFileSync(file, rest, { cwd: repo, stdio: 'inherit' });
}

if (command === 'version') {
  run([process.execPath, changesetBin, 'version']);
  const drift = syncServerVersions(repo, { write: true });
  for (const { file, version } of drift) console.log(`${file}: version ${version}`);
  console.log('Review the diff (package.json, CHANGELOG.md, server.json, mcpb/manifest.json) and commit it.');
} else if (dryRun) {
  const report = inspectPackages();
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    printReport(report);
    console.log('Dry run: nothing was published.');
  }
  process.exitCode = passes(report) ? 0 : 1;
} else if (confirmed) {
  run(['pnpm', 'build']);
  const report = inspectPackages();
  printReport(report);
  if (!passes(report)) {
    console.error('Not publishing: fix the problems above first.');
    process.exit(1);
  }
  run([process.execPath, changesetBin, 'publish']);
  console.log(
    [
      '',
      'npm packages are published. Next:',
      '  - MCP Registry: in each released servers/<name>, run `mcp-publisher publish` (see docs/releasing.md)',
      '  - MCP Bundles: `pnpm bundle`, then attach dist-bundles/*.mcpb to the GitHub release',
    ].join('\n'),
  );
} else {
  console.error(
    [
      'pnpm release publishes to npm, which cannot be undone (a published version can never be reused).',
      '  pnpm release --dry-run   show what would be published and check every tarball',
      '  pnpm release version     apply the pending changesets (versions, changelogs, server.json)',
      '  pnpm release --yes       build, check and publish (normally only the release workflow does this)',
    ].join('\n'),
  );
  process.exit(2);
}
