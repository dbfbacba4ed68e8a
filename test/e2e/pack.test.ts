import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
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

// Packs the published packages with `pnpm pack` (which applies publishConfig and rewrites
// workspace: ranges), installs the tarballs into an empty directory and runs the server the way a
// host config does: through npx. The install is --offline from the store the workspace install
// filled, so the test makes no network request.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['shared/hardening', 'shared/runtime', 'servers/filesystem'];

let work: TempTree;
let data: TempTree;
let session: StdioSession | undefined;

beforeAll(async () => {
  work = await createTempTree({}, 'bulwark-e2e-');
  data = await createTempTree({ 'hello.txt': 'hello from a packed server\n' });
  const tarballs = path.join(work.dir, 'tarballs');
  const app = path.join(work.dir, 'app');
  await mkdir(tarballs);
  await mkdir(app);
  const files: Record<string, string> = {};
  for (const dir of PACKAGES) {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: path.join(repo, dir),
      encoding: 'utf8',
    });
    const tarball = output.trim().split('\n').at(-1) ?? '';
    const name = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ).name;
    files[name] = `file:${tarball}`;
  }
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'bulwark-e2e-app',
      private: true,
      dependencies: { '@bulwark/server-filesystem': files['@bulwark/server-filesystem'] },
      pnpm: {
        overrides: {
          '@bulwark/hardening': files['@bulwark/hardening'],
          '@bulwark/runtime': files['@bulwark/runtime'],
        },
      },
    }),
  );
  execFileSync('pnpm', ['install', '--offline', '--reporter=silent', '--ignore-workspace'], {
    cwd: app,
    stdio: 'pipe',
  });
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
