// `pnpm template:lock`: records the lockfile entry of the server the template test generates
// (test/template/new-server.test.ts), so that the test's offline install resolves nothing and needs
// nothing but pnpm's store, which the workspace install fills. Run it, with the registry reachable,
// whenever the template's package.json.hbs changes its dependencies, and commit the file it
// writes; the test names this command when the recorded entry no longer matches the template.
//
// It generates the server in a temporary copy of the workspace, lets pnpm resolve it as a
// developer's `pnpm install` would, and keeps only that server's importer block. Its output goes
// to stderr.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  copyWorkspace,
  importerMismatch,
  TEMPLATE_CHECK_NAME,
  TEMPLATE_IMPORTER_FILE,
} from '../test/template/workspace-copy.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-template-lock-'));
try {
  copyWorkspace(repo, work);
  const options = { cwd: work, stdio: ['ignore', process.stderr, 'inherit'] };
  // The generator runs the copy's own @turbo/gen; this install resolves nothing.
  execFileSync('pnpm', ['install', '--offline', '--reporter=append-only'], options);
  execFileSync(
    process.execPath,
    ['turbo/generators/new-server.mjs', TEMPLATE_CHECK_NAME, '--no-install', '--no-bench', '--root', work],
    options,
  );
  execFileSync('pnpm', ['install', '--lockfile-only', '--reporter=append-only'], options);
  const lockfile = readFileSync(path.join(work, 'pnpm-lock.yaml'), 'utf8');
  const block = new RegExp(`^ {2}servers/${TEMPLATE_CHECK_NAME}:\\n(?: {4}.*\\n)+`, 'm').exec(lockfile)?.[0];
  if (block === undefined) throw new Error(`pnpm wrote no importer for servers/${TEMPLATE_CHECK_NAME}`);
  const mismatch = importerMismatch(repo, block);
  if (mismatch !== undefined) throw new Error(`pnpm's importer block does not fit the template: ${mismatch}`);
  writeFileSync(path.join(repo, TEMPLATE_IMPORTER_FILE), block);
  process.stderr.write(`[template-lock] wrote ${TEMPLATE_IMPORTER_FILE}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
