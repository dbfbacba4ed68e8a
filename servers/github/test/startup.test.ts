import { spawnSync } from 'node:child_process';
import { fakeGitHub, type LoopbackGitHubApi, startGitHubApi, structuredOf } from '@bulwark/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, call, calls, startGitHub, TOKEN, waitFor } from './helpers.js';

let api: LoopbackGitHubApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('token scopes', () => {
  it('hides the write tools a classic token without repo scopes cannot use', async () => {
    api = await startGitHubApi(fakeGitHub(), { scopes: 'read:org, gist' });
    const session = await startGitHub(api, ['--allow-write']);
    try {
      // initialize does not wait for the check; the tools disappear with tools/list_changed.
      expect(await waitFor(async () => (await session.client.listTools()).tools.length === 20)).toBe(true);
      const { tools } = await session.client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint)).toBe(true);
      expect(session.stderr()).toMatch(/has scopes \[read:org, gist\]; hiding create_issue, update_issue/);
    } finally {
      await session.close();
    }
  });

  it('keeps every tool for a public_repo token and for tokens without classic scopes', async () => {
    for (const scopes of ['public_repo', null]) {
      api = await startGitHubApi(fakeGitHub(), { scopes });
      const session = await startGitHub(api, ['--allow-write']);
      try {
        expect(await waitFor(() => /token of octocat/.test(session.stderr()))).toBe(true);
        expect((await session.client.listTools()).tools).toHaveLength(28);
      } finally {
        await session.close();
        await api.close();
        api = undefined;
      }
    }
  });

  it('asks nothing at startup when no tool needs a scope (read-only)', async () => {
    api = await startGitHubApi(fakeGitHub());
    const session = await startGitHub(api, []);
    try {
      expect((await session.client.listTools()).tools).toHaveLength(20);
      expect(api.requests).toEqual([]);
    } finally {
      await session.close();
    }
  });
});

describe('hosts', () => {
  it('reaches GitHub Enterprise Server through --gh-host (/api/v3)', async () => {
    api = await startGitHubApi(fakeGitHub(), { basePath: '/api/v3' });
    const origin = api.url.replace(/\/api\/v3$/, '');
    const session = await startGitHub(undefined, ['--gh-host', origin]);
    try {
      expect(structuredOf(await call(session, 'get_me'))).toMatchObject({
        login: 'octocat',
        read_only: true,
      });
      expect(calls(api.requests)).toEqual(['GET /user']);
    } finally {
      await session.close();
    }
  });

  it('refuses plain HTTP off loopback and a token on the command line, before starting', () => {
    const run = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN, ...env },
        encoding: 'utf8',
        timeout: 10_000,
      });
    const http = run([], { GITHUB_API_URL: 'http://api.example.com' });
    expect(http.status).toBe(2);
    expect(http.stderr).toContain('GITHUB_API_URL must use https://');
    const argv = run(['ghp_secret_on_argv'], {});
    expect(argv.status).toBe(2);
    expect(argv.stderr).toContain('takes no positional arguments');
    expect(http.stdout + argv.stdout).toBe('');
  });
});

describe('protocol eras', () => {
  it('answers a 2026-07-28 client with the same tools and results', async () => {
    api = await startGitHubApi(fakeGitHub());
    const legacy = await startGitHub(api, []);
    const modern = await startGitHub(api, [], { era: 'modern' });
    try {
      expect(modern.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const names = async (session: typeof legacy) =>
        (await session.client.listTools()).tools.map((t) => t.name);
      expect(await names(modern)).toEqual(await names(legacy));
      const args = { repo: 'octo/hello', number: 1 };
      const [a, b] = await Promise.all([call(legacy, 'get_issue', args), call(modern, 'get_issue', args)]);
      const strip = (value: unknown) =>
        JSON.stringify(value).replace(/untrusted-content-[0-9a-f]+/g, 'ENVELOPE');
      expect(strip(b.structuredContent)).toBe(strip(a.structuredContent));
    } finally {
      await legacy.close();
      await modern.close();
    }
  });
});
