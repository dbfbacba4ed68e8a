import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  fakeGitHub,
  type LoopbackGitHubApi,
  type StdioSession,
  startGitHubApi,
  startHttpServer,
  structuredOf,
  textOf,
  unwrapUntrusted,
} from '@bulwark/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, call, calls, mutating, startGitHub, TOKEN } from './helpers.js';

let api: LoopbackGitHubApi;
let dir: string;
const sessions: StdioSession[] = [];

/** Starts a server for one test and closes it with the file. */
async function server(args: string[], options: Parameters<typeof startGitHub>[2] = {}) {
  const session = await startGitHub(api, args, options);
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  api = await startGitHubApi(fakeGitHub());
  dir = mkdtempSync(path.join(tmpdir(), 'bulwark-github-'));
});

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => api.clear());

describe('read-only by default', () => {
  it('registers no write tool without --allow-write', async () => {
    const session = await server(['--toolsets', 'all']);
    const { tools } = await session.client.listTools();
    expect(tools.length).toBe(25);
    expect(tools.filter((tool) => !tool.annotations?.readOnlyHint)).toEqual([]);
    const attempt = await call(session, 'create_issue', { repo: 'octo/hello', title: 'x' }).catch(
      (error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }),
    );
    expect(attempt.isError).toBe(true);
    expect(mutating(api.requests)).toEqual([]);
  });
});

describe('--repos allowlist', () => {
  it('refuses other repositories before any request is sent', async () => {
    const session = await server(['--repos', 'octo/hello,acme/*', '--toolsets', 'all']);
    for (const [tool, args] of [
      ['get_issue', { repo: 'evil/bait', number: 1 }],
      ['get_file_contents', { repo: 'Evil/Bait', path: 'README.md' }],
      ['list_workflow_runs', { repo: 'octo/other' }],
      ['search_issues', { query: 'token repo:evil/bait' }],
      ['search_code', { query: 'secret org:evil' }],
      ['search_repositories', { query: 'x user:octo' }],
    ] as const) {
      const result = await call(session, tool, args);
      expect(result.isError, tool).toBe(true);
      expect(textOf(result), tool).toMatch(
        /outside the repositories this server may use \(octo\/hello, acme\/\*\)/,
      );
    }
    expect(api.requests).toEqual([]);
  });

  it('accepts allowed names in any case and owner/* entries', async () => {
    const session = await server(['--repos', 'octo/hello,acme/*']);
    expect((await call(session, 'list_tags', { repo: 'OCTO/Hello' })).isError).toBeFalsy();
    expect((await call(session, 'list_tags', { repo: 'acme/anything' })).isError).toBeFalsy();
    expect(calls(api.requests)).toEqual(['GET /repos/OCTO/Hello/tags', 'GET /repos/acme/anything/tags']);
  });

  it('confines searches: scopes are appended, and results outside are dropped', async () => {
    const session = await server(['--repos', 'octo/hello,acme/*']);
    const result = structuredOf<{ items: { repo: string }[] }>(
      await call(session, 'search_code', { query: 'crash' }),
    );
    expect(new URLSearchParams(api.requests[0]?.query).get('q')).toBe('crash repo:octo/hello user:acme');
    // The fake answers with a hit in evil/bait too; it never reaches the client.
    expect(result.items.map((item) => item.repo)).toEqual(['octo/hello']);
    api.clear();
    await call(session, 'search_issues', { query: 'crash repo:octo/hello' });
    expect(new URLSearchParams(api.requests[0]?.query).get('q')).toBe('crash repo:octo/hello');
  });

  it('applies to writes, and a refusal is audited', async () => {
    const log = path.join(dir, 'allowlist-audit.log');
    const session = await server(['--repos', 'octo/hello', '--allow-write', '--audit-log', log]);
    const refused = await call(session, 'add_issue_comment', { repo: 'evil/bait', number: 1, body: 'hi' });
    expect(refused.isError).toBe(true);
    // The only request is the startup scope check.
    expect(calls(api.requests).filter((request) => request !== 'GET /user')).toEqual([]);
    const entry = JSON.parse(readFileSync(log, 'utf8').trim());
    expect(entry).toMatchObject({
      server: 'bulwark-github',
      tool: 'add_issue_comment',
      target: 'evil/bait',
      outcome: 'denied',
    });
  });
});

describe('--lockdown', () => {
  it('withholds bodies by authors without push access in public repositories; metadata stays', async () => {
    const session = await server(['--lockdown']);
    const issue = structuredOf<{
      title: string;
      items: { author: string; body: string | null; withheld?: boolean; trusted: boolean }[];
    }>(await call(session, 'get_issue', { repo: 'octo/hello', number: 1 }));
    expect(issue.title).toBe('Crash on start');
    expect(issue.items.map((item) => [item.author, item.withheld ?? false, item.body === null])).toEqual([
      ['mallory', true, true],
      ['octocat', false, false],
      ['mallory', true, true],
      ['member1', true, true], // an org member with read access only: trusted, but cannot push
    ]);
    expect(issue.items[3]?.trusted).toBe(true);
    expect(unwrapUntrusted(issue.items[1]!.body!)).toBe('Thanks, looking.');
    const pr = structuredOf<{ author: string; body: string | null; withheld?: boolean }>(
      await call(session, 'get_pull_request', { repo: 'octo/hello', number: 7 }),
    );
    expect(pr).toMatchObject({ author: 'contributor', body: null, withheld: true });
    const reviews = structuredOf<{ items: { author: string; withheld?: boolean; body: string }[] }>(
      await call(session, 'list_pull_request_reviews', { repo: 'octo/hello', number: 7 }),
    );
    expect(reviews.items[0]).toMatchObject({ author: 'maintainer' });
    expect(reviews.items[0]?.withheld).toBeUndefined();
    expect(mutating(api.requests)).toEqual([]);
  });

  it('leaves private repositories alone', async () => {
    const session = await server(['--lockdown']);
    const issue = structuredOf<{ items: { withheld?: boolean }[] }>(
      await call(session, 'get_issue', { repo: 'octo/secret', number: 1 }),
    );
    expect(issue.items.every((item) => item.withheld === undefined)).toBe(true);
  });
});

describe('session guard', () => {
  it('refuses a public write after private content was read (the May 2025 attack)', async () => {
    const log = path.join(dir, 'guard-audit.log');
    const session = await server(['--allow-write', '--audit-log', log]);
    await call(session, 'get_issue', { repo: 'octo/hello', number: 1 });
    await call(session, 'get_file_contents', { repo: 'octo/secret', path: 'src/keys.ts' });
    const attempt = await call(session, 'create_pull_request', {
      repo: 'octo/hello',
      title: 'Add docs',
      head: 'leak',
      base: 'main',
      body: 'everything from octo/secret',
    });
    expect(attempt.isError).toBe(true);
    expect(textOf(attempt)).toBe(
      'Session guard: this session read private repository octo/secret; a write to public octo/hello is refused (the operator can start the server with --allow-cross-repo-writes).',
    );
    expect(mutating(api.requests)).toEqual([]);
    const audit = readFileSync(log, 'utf8');
    expect(JSON.parse(audit.trim())).toMatchObject({
      tool: 'create_pull_request',
      target: 'octo/hello',
      outcome: 'denied',
    });
    expect(audit).not.toContain('everything from octo/secret');
    expect(audit).not.toContain(TOKEN);
  });

  it('refuses a write to a repository the session did not read, after untrusted content', async () => {
    const session = await server(['--allow-write']);
    await call(session, 'get_issue', { repo: 'octo/hello', number: 1 });
    const elsewhere = await call(session, 'add_issue_comment', { repo: 'evil/bait', number: 1, body: 'hi' });
    expect(textOf(elsewhere)).toMatch(
      /^Session guard: this session read untrusted content, and evil\/bait is not among/,
    );
    const here = await call(session, 'add_issue_comment', { repo: 'octo/hello', number: 1, body: 'On it.' });
    expect(here.isError, textOf(here)).toBeFalsy();
    expect(calls(mutating(api.requests))).toEqual(['POST /repos/octo/hello/issues/1/comments']);
  });

  it('allows private-to-private writes, and any write before anything was read', async () => {
    const session = await server(['--allow-write']);
    expect((await call(session, 'create_issue', { repo: 'evil/bait', title: 'first' })).isError).toBeFalsy();
    await call(session, 'get_issue', { repo: 'octo/secret', number: 2 });
    const result = await call(session, 'update_issue', { repo: 'octo/secret', number: 2, state: 'closed' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structuredOf(result)).toMatchObject({ number: 2, state: 'closed' });
  });

  it('is off with --allow-cross-repo-writes', async () => {
    const session = await server(['--allow-write', '--allow-cross-repo-writes']);
    await call(session, 'get_file_contents', { repo: 'octo/secret', path: 'a' });
    const result = await call(session, 'create_issue', { repo: 'evil/bait', title: 'x' });
    expect(result.isError, textOf(result)).toBeFalsy();
  });
});

describe('writes', () => {
  it('merge asks for confirmation and a decline changes nothing', async () => {
    const session = await server(['--allow-write'], { elicitation: { action: 'decline' } });
    const result = await call(session, 'merge_pull_request', { repo: 'octo/hello', number: 7 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('The user declined; octo/hello#7 was left unchanged.');
    expect(mutating(api.requests)).toEqual([]);
  });

  it('merge runs after the user accepts, on both protocol eras', async () => {
    for (const era of ['legacy', 'modern'] as const) {
      api.clear();
      const session = await server(['--allow-write'], {
        era,
        elicitation: { action: 'accept', content: { confirm: true } },
      });
      const result = await call(session, 'merge_pull_request', {
        repo: 'octo/hello',
        number: 7,
        method: 'squash',
      });
      expect(structuredOf(result), era).toEqual({ merged: true, sha: 'f'.repeat(40) });
      expect(calls(mutating(api.requests))).toEqual(['PUT /repos/octo/hello/pulls/7/merge']);
      expect(api.requests.at(-1)?.body).toEqual({ merge_method: 'squash' });
    }
  });

  it('every write tool sends its one request and is audited without bodies or the token', async () => {
    const log = path.join(dir, 'writes-audit.log');
    const session = await server(['--allow-write', '--audit-log', log]);
    const cases: [string, Record<string, unknown>][] = [
      ['create_issue', { repo: 'octo/hello', title: 'T', body: 'secret body', labels: ['bug'] }],
      ['update_issue', { repo: 'octo/hello', number: 1, title: 'T2', labels: [] }],
      ['add_issue_comment', { repo: 'octo/hello', number: 1, body: 'secret comment' }],
      ['create_pull_request', { repo: 'octo/hello', title: 'P', head: 'feature', base: 'main' }],
      ['update_pull_request', { repo: 'octo/hello', number: 7, state: 'closed' }],
      [
        'create_pull_request_review',
        {
          repo: 'octo/hello',
          number: 7,
          event: 'COMMENT',
          body: 'secret review',
          comments: [{ path: 'a', line: 1, body: 'x' }],
        },
      ],
      ['merge_pull_request', { repo: 'octo/hello', number: 7 }],
      ['update_pull_request_branch', { repo: 'octo/hello', number: 7 }],
    ];
    for (const [name, args] of cases) {
      const result = await call(session, name, args);
      expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
    }
    expect(calls(mutating(api.requests))).toEqual([
      'POST /repos/octo/hello/issues',
      'PATCH /repos/octo/hello/issues/1',
      'POST /repos/octo/hello/issues/1/comments',
      'POST /repos/octo/hello/pulls',
      'PATCH /repos/octo/hello/pulls/7',
      'POST /repos/octo/hello/pulls/7/reviews',
      'PUT /repos/octo/hello/pulls/7/merge',
      'PUT /repos/octo/hello/pulls/7/update-branch',
    ]);
    const entries = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((entry) => [entry.tool, entry.target, entry.outcome])).toEqual([
      ['create_issue', 'octo/hello', 'ok'],
      ['update_issue', 'octo/hello#1', 'ok'],
      ['add_issue_comment', 'octo/hello#1', 'ok'],
      ['create_pull_request', 'octo/hello', 'ok'],
      ['update_pull_request', 'octo/hello#7', 'ok'],
      ['create_pull_request_review', 'octo/hello#7', 'ok'],
      ['merge_pull_request', 'octo/hello#7', 'ok'],
      ['update_pull_request_branch', 'octo/hello#7', 'ok'],
    ]);
    const text = readFileSync(log, 'utf8');
    for (const secret of ['secret body', 'secret comment', 'secret review', TOKEN])
      expect(text).not.toContain(secret);
  });

  it('an upstream failure is audited as an error with its status', async () => {
    const log = path.join(dir, 'error-audit.log');
    api.route({
      'POST /repos/:owner/:repo/issues/:number/comments': {
        status: 403,
        body: { message: 'Resource not accessible by integration' },
      },
    });
    const session = await server(['--allow-write', '--audit-log', log]);
    const result = await call(session, 'add_issue_comment', { repo: 'octo/hello', number: 1, body: 'x' });
    expect(textOf(result)).toBe(
      'GitHub refused octo/hello#1 (403: Resource not accessible by integration); the token may lack a permission.',
    );
    expect(JSON.parse(readFileSync(log, 'utf8').trim())).toMatchObject({
      outcome: 'error',
      detail: 'HTTP 403',
    });
    api.route(fakeGitHub());
  });
});

describe('the token', () => {
  it('is sent to the API as a token and never written to stderr', async () => {
    const session = await server(['--allow-write']);
    await call(session, 'get_me');
    expect(api.requests[0]?.authorization).toBe(`token ${TOKEN}`);
    expect(session.stderr()).not.toContain(TOKEN);
    expect(session.stderr()).toContain('serving');
  });
});

describe('session guard over Streamable HTTP', () => {
  it('fails closed: a stateless request cannot see earlier reads, so writes are refused', async () => {
    const token = 'github-http-test-token-0123456789abcdef';
    const start = (extra: string[]) =>
      startHttpServer({
        args: [BIN, '--repos', 'octo/*', '--allow-write', ...extra],
        env: {
          GITHUB_API_URL: api.url,
          GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN,
          BULWARK_HTTP_TOKEN: token,
          BULWARK_HTTP_AUDIT_LOG: 'off',
          BULWARK_GITHUB_WAIT_SCALE: '0.001',
        },
      });
    const guarded = await start([]);
    try {
      const client = await guarded.connect({ token });
      const refused = await client.callTool({
        name: 'create_issue',
        arguments: { repo: 'octo/hello', title: 't' },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/over HTTP each call is served on its own/);
      expect(mutating(api.requests)).toEqual([]);
    } finally {
      await guarded.stop('SIGKILL');
    }
    const opened = await start(['--allow-cross-repo-writes']);
    try {
      const client = await opened.connect({ token });
      const created = await client.callTool({
        name: 'create_issue',
        arguments: { repo: 'octo/hello', title: 't' },
      });
      expect(created.isError).toBeFalsy();
      expect(calls(mutating(api.requests))).toEqual(['POST /repos/octo/hello/issues']);
    } finally {
      await opened.stop('SIGKILL');
    }
  });
});
