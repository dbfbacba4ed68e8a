// Provisioning for the packed-tarball e2e test (test/e2e/pack.test.ts): that test installs the
// packed servers into an empty directory with `pnpm install --offline`, so pnpm's store and its
// metadata cache must already hold every dependency of the tarballs. This script does the same
// install once with the registry allowed, which fills both. scripts/bootstrap.sh runs it after the
// workspace install (once per lockfile); it needs the workspace built (dist/ is packed).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackedApp, preparePackedApp } from '../test/e2e/packed-app.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-prefetch-'));
try {
  const { app } = preparePackedApp(repo, work);
  installPackedApp(app, { offline: false });
  process.stderr.write(
    "[prefetch-e2e] pnpm store and metadata cache hold the packed servers' dependencies\n",
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
