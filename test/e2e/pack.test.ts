import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTempTree,
  type StdioSession,
  startStdioServer,
  structuredOf,
  type TempTree,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackedApp, preparePackedApp } from './packed-app.mjs';

// Packs the published packages and installs the tarballs into an empty directory outside the
// workspace (packed-app.mjs), then runs the server the way a host config does: through npx. The
// install is --offline, from the store and metadata cache that provisioning filled
// (scripts/bootstrap.sh runs scripts/prefetch-e2e.mjs), so the test makes no network request.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let work: TempTree;
let data: TempTree;
let session: StdioSession | undefined;

beforeAll(async () => {
  work = await createTempTree({}, 'bulwark-e2e-');
  data = await createTempTree({ 'hello.txt': 'hello from a packed server\n' });
  const { app } = preparePackedApp(repo, work.dir);
  installPackedApp(app, { offline: true });
  session = await startStdioServer({
    command: 'npx',
    args: ['--no', 'bulwark-server-filesystem', data.dir],
    cwd: app,
  });
}, 180_000);

afterAll(async () => {
  await session?.close();
  await work?.remove();
  await data?.remove();
});

describe('packed tarball through npx', () => {
  it('contains only what a user needs: dist, README, package.json, no tests or sources', () => {
    const listing = execFileSync(
      'sh',
      ['-c', `tar -tzf ${path.join(work.dir, 'tarballs')}/bulwark-server-filesystem-*.tgz`],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n');
    expect(listing).toContain('package/dist/main.js');
    expect(listing).toContain('package/package.json');
    expect(listing.some((file) => /\.test\.|\/test\/|\/src\//.test(file))).toBe(false);
  });

  it('initializes, lists its tools and reads a file', async () => {
    expect(session?.client.getServerVersion()?.name).toBe('bulwark-filesystem');
    const { tools } = await session!.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('read_text_file');
    const read = await session!.client.callTool({ name: 'read_text_file', arguments: { path: 'hello.txt' } });
    expect(structuredOf<{ content: string }>(read).content).toBe('hello from a packed server\n');
  });
});
