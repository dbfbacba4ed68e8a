// Provisioning for the tests that install packed servers with `pnpm install --offline` (they never
// reach the registry), run by scripts/bootstrap.sh after the workspace install and build: the
// packed-tarball e2e test (test/e2e/pack.test.ts), the curated-set test and the startup bench
// (test/bench/startup.mjs) install every packed server into an empty directory, so pnpm's store
// and metadata cache must hold every dependency of the tarballs. This does the same install once
// with the registry allowed, plus the official filesystem server the bench runs. (The template
// test needs no provisioning: it installs from a committed lockfile entry and pnpm's store.)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  installPackedApp,
  OFFICIAL_FILESYSTEM,
  pinnedVersion,
  preparePackedApp,
} from '../test/e2e/packed-app.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-prefetch-'));
try {
  const { app } = await preparePackedApp(repo, work, {
    registry: { [OFFICIAL_FILESYSTEM]: pinnedVersion(repo, OFFICIAL_FILESYSTEM) },
  });
  await installPackedApp(app, { offline: false });
  process.stderr.write(
    "[prefetch-offline] pnpm's store and metadata cache hold the packed servers' dependencies\n",
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
