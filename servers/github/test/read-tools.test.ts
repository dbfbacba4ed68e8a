import {
  fakeGitHub,
  fixtureRoutes,
  GITHUB_INJECTION,
  type LoopbackGitHubApi,
  type StdioSession,
  startGitHubApi,
  structuredOf,
  textOf,
  unwrapUntrusted,
} from '@bulwark/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, calls, fixture, mutating, startGitHub } from './helpers.js';

// Read tools against the loopback API: recorded api.github.com responses from @octokit/fixtures
// where they cover a tool, the fake's documented shapes elsewhere. The client validates every
// structuredContent against the tool's outputSchema, so a shape drift fails here.
let api: LoopbackGitHubApi;
let session: StdioSession;

const FIXTURE_ORG = 'octokit-fixture-org';

beforeAll(async () => {
  api = await startGitHubApi({
    ...fakeGitHub(),
    ...fixtureRoutes(fixture('get-content')),
    ...fixtureRoutes(fixture('search-issues')),
    ...fixtureRoutes(fixture('labels').filter((recording) => recording.method === 'get')),
    ...fixtureRoutes(fixture('paginate-issues'), {
      // The recording follows GitHub's Link header to /repositories/1000/...; the server builds
      // page URLs from the repository name instead.
      rewritePath: (path) => path.replace('/repositories/1000/', `/repos/${FIXTURE_ORG}/paginate-issues/`),
      ignoreQuery: ['per_page'],
    }),
  });
  session = await startGitHub(api, ['--toolsets', 'all']);
});

afterAll(async () => {
  await session?.close();
  await api?.close();
});

beforeEach(() => api.clear());

describe('recorded responses (@octokit/fixtures)', () => {
  it('get_file_contents lists a directory and reads a file into an envelope', async () => {
    const dir = structuredOf<{ type: string; items: { name: string; type: string }[] }>(
      await call(session, 'get_file_contents', { repo: `${FIXTURE_ORG}/hello-world` }),
    );
    expect(dir.type).toBe('dir');
    expect(dir.items).toEqual([{ name: 'README.md', type: 'file', size: 13 }]);
    const file = structuredOf<{ type: string; text: string; size: number; truncated: boolean }>(
      await call(session, 'get_file_contents', { repo: `${FIXTURE_ORG}/hello-world`, path: 'README.md' }),
    );
    expect(file).toMatchObject({ type: 'file', size: 13, truncated: false });
    expect(unwrapUntrusted(file.text)).toBe('# hello-world');
    expect(calls(api.requests)).toEqual([
      `GET /repos/${FIXTURE_ORG}/hello-world/contents`,
      `GET /repos/${FIXTURE_ORG}/hello-world/contents/README.md`,
    ]);
  });

  it('list_issues pages through the recorded pages with one cursor contract', async () => {
    const numbers: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structuredOf<{ items: { number: number }[]; next_cursor?: string; truncated: boolean }>(
        await call(session, 'list_issues', {
          repo: `${FIXTURE_ORG}/paginate-issues`,
          ...(cursor ? { cursor } : {}),
        }),
      );
      numbers.push(...page.items.map((item) => item.number));
      expect(page.truncated).toBe(page.next_cursor !== undefined);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(numbers).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(api.requests.map((request) => new URLSearchParams(request.query).get('page'))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('refuses a cursor from another tool or other arguments', async () => {
    const first = structuredOf<{ next_cursor: string }>(
      await call(session, 'list_issues', { repo: `${FIXTURE_ORG}/paginate-issues` }),
    );
    const other = await call(session, 'list_issues', {
      repo: `${FIXTURE_ORG}/paginate-issues`,
      state: 'closed',
      cursor: first.next_cursor,
    });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(/another list_issues call/);
    const foreign = await call(session, 'list_commits', { repo: 'octo/hello', cursor: first.next_cursor });
    expect(textOf(foreign)).toMatch(/does not belong to list_commits/);
  });

  it('search_issues sends the query and projects the recorded items', async () => {
    const result = structuredOf<{ items: { repo: string; number: number; title: string }[] }>(
      await call(session, 'search_issues', { query: `sesame repo:${FIXTURE_ORG}/search-issues` }),
    );
    expect(result.items.map((item) => [item.repo, item.number])).toEqual([
      [`${FIXTURE_ORG}/search-issues`, 2],
      [`${FIXTURE_ORG}/search-issues`, 1],
    ]);
    expect(new URLSearchParams(api.requests[0]?.query).get('q')).toBe(
      `sesame repo:${FIXTURE_ORG}/search-issues`,
    );
  });

  it('list_labels projects name, color and description', async () => {
    const result = structuredOf<{ items: { name: string; color: string }[]; truncated: boolean }>(
      await call(session, 'list_labels', { repo: `${FIXTURE_ORG}/labels` }),
    );
    expect(result.items.length).toBe(9);
    expect(result.items[0]).toEqual({ name: 'bug', color: 'd73a4a', description: "Something isn't working" });
    expect(result.truncated).toBe(false);
  });
});

describe('untrusted text', () => {
  it('get_issue puts every body in an envelope with author, association and trust', async () => {
    const result = await call(session, 'get_issue', { repo: 'octo/hello', number: 1 });
    const issue = structuredOf<{
      title: string;
      items: { id: number; author: string; author_association: string; trusted: boolean; body: string }[];
    }>(result);
    expect(issue.title).toBe('Crash on start');
    expect(issue.items.map((item) => [item.id, item.author, item.author_association, item.trusted])).toEqual([
      [0, 'mallory', 'NONE', false],
      [11, 'octocat', 'OWNER', true],
      [12, 'mallory', 'NONE', false],
      [13, 'member1', 'MEMBER', true],
    ]);
    const opening = issue.items[0]!.body;
    expect(opening).toMatch(
      /^<untrusted-content-[0-9a-f]+ source="octo\/hello#1" author="mallory" author_association="NONE" trusted="false">/,
    );
    // Bidi override and tag characters are gone; the words stay as written.
    expect(unwrapUntrusted(opening)).toBe(
      GITHUB_INJECTION.replace('\u202E', '').replace(/[\u{E0000}-\u{E007F}]/gu, ''),
    );
    expect(textOf(result)).toContain('mallory (NONE)');
  });

  it('pull request bodies, reviews and review comments are enveloped too', async () => {
    const pr = structuredOf<{ body: string; author: string; trusted: boolean; items: { path: string }[] }>(
      await call(session, 'get_pull_request', { repo: 'octo/hello', number: 7 }),
    );
    expect(pr.author).toBe('contributor');
    expect(pr.trusted).toBe(false);
    expect(unwrapUntrusted(pr.body)).toContain('Please merge.');
    expect(pr.items).toEqual([{ path: 'src/a.ts', status: 'modified', additions: 10, deletions: 2 }]);
    const reviews = structuredOf<{ items: { state: string; trusted: boolean; body: string }[] }>(
      await call(session, 'list_pull_request_reviews', { repo: 'octo/hello', number: 7 }),
    );
    expect(reviews.items[0]).toMatchObject({ state: 'APPROVED', author: 'maintainer', trusted: true });
    expect(unwrapUntrusted(reviews.items[0]!.body)).toBe('LGTM');
    const comments = structuredOf<{ items: { path: string; line: number; body: string }[] }>(
      await call(session, 'list_pull_request_review_comments', { repo: 'octo/hello', number: 7 }),
    );
    expect(comments.items[0]).toMatchObject({ path: 'src/a.ts', line: 1, trusted: false });
    expect(unwrapUntrusted(comments.items[0]!.body)).toBe('nit: rename');
  });

  it('the diff and job logs are enveloped; the log is a tail with a cursor back', async () => {
    const diff = structuredOf<{ diff: string; truncated: boolean }>(
      await call(session, 'get_pull_request_diff', { repo: 'octo/hello', number: 7 }),
    );
    expect(unwrapUntrusted(diff.diff)).toContain('+new');
    const tail = structuredOf<{ log: string; first_line: number; total_lines: number; next_cursor: string }>(
      await call(session, 'get_job_logs', { repo: 'octo/hello', job_id: 71, tail_lines: 10 }),
    );
    expect(tail).toMatchObject({ first_line: 491, total_lines: 500, truncated: true });
    expect(unwrapUntrusted(tail.log).split('\n')).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${491 + i}`),
    );
    const before = structuredOf<{ log: string; first_line: number }>(
      await call(session, 'get_job_logs', {
        repo: 'octo/hello',
        job_id: 71,
        tail_lines: 10,
        cursor: tail.next_cursor,
      }),
    );
    expect(before.first_line).toBe(481);
    expect(unwrapUntrusted(before.log).split('\n').at(-1)).toBe('line 490');
  });
});

describe('every read tool', () => {
  const CASES: [string, Record<string, unknown>][] = [
    ['get_me', {}],
    ['get_file_contents', { repo: 'octo/hello', path: 'src' }],
    ['get_repository_tree', { repo: 'octo/hello', path_prefix: 'src' }],
    ['list_branches', { repo: 'octo/hello' }],
    ['list_commits', { repo: 'octo/hello', path: 'src' }],
    ['get_commit', { repo: 'octo/hello', sha: 'main' }],
    ['list_tags', { repo: 'octo/hello' }],
    ['list_releases', { repo: 'octo/hello' }],
    ['search_code', { query: 'crash' }],
    ['search_repositories', { query: 'hello' }],
    ['list_issues', { repo: 'octo/hello', state: 'all' }],
    ['get_issue', { repo: 'octo/hello', number: 2 }],
    ['search_issues', { query: `sesame repo:${FIXTURE_ORG}/search-issues` }],
    ['list_labels', { repo: 'octo/hello' }],
    ['list_pull_requests', { repo: 'octo/hello' }],
    ['get_pull_request', { repo: 'octo/hello', number: 7 }],
    ['get_pull_request_diff', { repo: 'octo/hello', number: 7 }],
    ['list_pull_request_reviews', { repo: 'octo/hello', number: 7 }],
    ['list_pull_request_review_comments', { repo: 'octo/hello', number: 7 }],
    ['get_pull_request_checks', { repo: 'octo/hello', number: 7 }],
    ['list_workflow_runs', { repo: 'octo/hello', workflow: 'ci.yml', branch: 'main' }],
    ['get_workflow_run', { repo: 'octo/hello', run_id: 61 }],
    ['list_workflow_jobs', { repo: 'octo/hello', run_id: 61 }],
    ['get_job_logs', { repo: 'octo/hello', job_id: 71 }],
    ['search_users', { query: 'octo' }],
  ];

  it('answers with output that matches its schema, and never sends a mutating request', async () => {
    const { tools } = await session.client.listTools();
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name);
    expect(CASES.map(([name]) => name).sort()).toEqual([...readOnly].sort());
    for (const [name, args] of CASES) {
      const result = await call(session, name, args);
      expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
      expect(textOf(result).length, name).toBeGreaterThan(0);
    }
    expect(api.requests.length).toBeGreaterThan(CASES.length);
    expect(mutating(api.requests)).toEqual([]);
  });

  it('projects minimal fields: issues without pull requests, checks from both sources', async () => {
    const issues = structuredOf<{ items: { number: number; labels: string[] }[] }>(
      await call(session, 'list_issues', { repo: 'octo/hello' }),
    );
    expect(issues.items).toEqual([
      {
        number: 1,
        title: 'Crash on start',
        state: 'open',
        author: 'mallory',
        labels: ['bug'],
        comments: 3,
        updated_at: '2026-01-02T00:00:00Z',
      },
    ]);
    const checks = structuredOf<{ state: string; items: unknown[] }>(
      await call(session, 'get_pull_request_checks', { repo: 'octo/hello', number: 7 }),
    );
    expect(checks).toMatchObject({
      state: 'success',
      items: [
        { name: 'test', kind: 'check', state: 'success' },
        { name: 'ci/lint', kind: 'status', state: 'success' },
      ],
    });
    const jobs = structuredOf<{ items: { failed_steps: string[] }[] }>(
      await call(session, 'list_workflow_jobs', { repo: 'octo/hello', run_id: 61 }),
    );
    expect(jobs.items[0]?.failed_steps).toEqual(['test']);
  });

  it('refuses . and .. path segments before any request', async () => {
    for (const path of ['../../user', 'src/../..', 'a//b/./c']) {
      const result = await call(session, 'get_file_contents', { repo: 'octo/hello', path });
      expect(result.isError, path).toBe(true);
    }
    const tree = await call(session, 'get_repository_tree', { repo: 'octo/hello', ref: '..' });
    expect(tree.isError).toBe(true);
    expect(api.requests).toEqual([]);
  });
});
