import {
  fixtureRoutes,
  type LoopbackGitHubApi,
  type StdioSession,
  startGitHubApi,
  textOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, calls, fixture, startGitHub } from './helpers.js';

// Failure mapping: every expected failure is an isError result of one line that says what to do.
// Retry waits run 1000x faster (BULWARK_GITHUB_WAIT_SCALE=0.001), so GitHub's 60 s fallback for a
// secondary limit takes 60 ms here; the retry counts and the decisions are the production ones.
let api: LoopbackGitHubApi;
let session: StdioSession;

const BRANCHES = '/repos/octo/hello/branches';
const ok = { body: [{ name: 'main', commit: { sha: 'b'.repeat(40), url: '' }, protected: false }] };
const SECONDARY = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
};

/** A route that answers with `replies` in turn, then repeats the last one. */
function sequence(...replies: { status?: number; headers?: Record<string, string>; body?: unknown }[]) {
  let index = 0;
  return () => replies[Math.min(index++, replies.length - 1)]!;
}

function branchRequests(): number {
  return api.requests.filter((request) => request.path === BRANCHES).length;
}

beforeAll(async () => {
  api = await startGitHubApi(
    fixtureRoutes(fixture('errors'), {
      // The recorded 422 (an invalid label colour) answers an issue creation here.
      rewritePath: () => '/repos/octo/hello/issues',
    }),
  );
  session = await startGitHub(api, ['--allow-write']);
});

afterAll(async () => {
  await session?.close();
  await api?.close();
});

beforeEach(() => api.clear());

describe('GitHub errors become one-line isError results', () => {
  it('404: not found, with the private-repository hint', async () => {
    const result = await call(session, 'get_issue', { repo: 'octo/missing', number: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'octo/missing#1 was not found (404); check the name, number or path. Private repositories the token cannot see also answer 404.',
    );
  });

  it('422: the recorded validation failure names the field and the problem', async () => {
    const result = await call(session, 'create_issue', { repo: 'octo/hello', title: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'GitHub rejected the input for octo/hello (422: Validation Failed: color invalid); correct the arguments.',
    );
    expect(calls(api.requests)).toEqual(['POST /repos/octo/hello/issues']);
  });

  it('401: the token was refused', async () => {
    api.route({ 'GET /repos/:owner/:repo/tags': { status: 401, body: { message: 'Bad credentials' } } });
    const result = await call(session, 'list_tags', { repo: 'octo/hello' });
    expect(textOf(result)).toBe('GitHub refused the token (401); check GITHUB_PERSONAL_ACCESS_TOKEN.');
  });
});

describe('rate limits and retries', () => {
  it('403 with x-ratelimit-remaining: 0 and a distant reset fails at once, saying when it resets', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    api.route({
      [`GET ${BRANCHES}`]: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: { message: 'API rate limit exceeded for user ID 1.' },
      },
    });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`it resets at ${new Date(reset * 1000).toISOString()}`);
    expect(textOf(result)).toMatch(/\(in 60 min\); try again then\.$/);
    expect(branchRequests()).toBe(1);
  });

  it('403 with x-ratelimit-remaining: 0 and a close reset is waited out and retried once', async () => {
    api.route({
      [`GET ${BRANCHES}`]: sequence(
        {
          status: 403,
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2),
          },
          body: { message: 'API rate limit exceeded for user ID 1.' },
        },
        ok,
      ),
    });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(branchRequests()).toBe(2);
  });

  it('429 with retry-after is retried after the wait', async () => {
    api.route({
      [`GET ${BRANCHES}`]: sequence({ status: 429, headers: { 'retry-after': '1' }, body: SECONDARY }, ok),
    });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(branchRequests()).toBe(2);
  });

  it('429 with retry-after, twice retried, then says when to try again', async () => {
    api.route({ [`GET ${BRANCHES}`]: { status: 429, headers: { 'retry-after': '30' }, body: SECONDARY } });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^GitHub's secondary rate limit stopped octo\/hello; try again in 30 s \(after \d{4}-\d\d-\d\dT[\d:.]+Z\)\.$/,
    );
    expect(branchRequests()).toBe(3);
  });

  it('a secondary limit (403) without retry-after waits GitHub’s fallback minute and retries', async () => {
    api.route({ [`GET ${BRANCHES}`]: sequence({ status: 403, body: SECONDARY }, ok) });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(branchRequests()).toBe(2);
  });

  it('a secondary limit asking for more than a minute is not waited for', async () => {
    api.route({ [`GET ${BRANCHES}`]: { status: 403, headers: { 'retry-after': '600' }, body: SECONDARY } });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(textOf(result)).toMatch(/try again in 10 min/);
    expect(branchRequests()).toBe(1);
  });

  it('5xx answers are retried', async () => {
    api.route({
      [`GET ${BRANCHES}`]: sequence({ status: 502, body: 'bad gateway' }, { status: 503, body: {} }, ok),
    });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(branchRequests()).toBe(3);
  });

  it('5xx after every retry says to try again later', async () => {
    api.route({ [`GET ${BRANCHES}`]: { status: 503, body: { message: 'Service Unavailable' } } });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(textOf(result)).toBe('GitHub answered 503 for octo/hello after 3 retries; try again in a minute.');
    expect(branchRequests()).toBe(4);
  });

  it('4xx answers are never retried', async () => {
    api.route({ [`GET ${BRANCHES}`]: { status: 409, body: { message: 'Git Repository is empty.' } } });
    const result = await call(session, 'list_branches', { repo: 'octo/hello' });
    expect(textOf(result)).toBe(
      'GitHub reported a conflict for octo/hello (409: Git Repository is empty.); reload it and try again.',
    );
    expect(branchRequests()).toBe(1);
  });
});

describe('an unreachable API', () => {
  it('answers with a network error after the retries', async () => {
    const gone = await startGitHubApi();
    const url = gone.url;
    await gone.close();
    const offline = await startGitHub(undefined, [], { env: { GITHUB_API_URL: url } });
    try {
      const result = await call(offline, 'list_tags', { repo: 'octo/hello' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^Could not reach the GitHub API \(.+\) after 3 retries; check the network or GITHUB_API_URL\.$/,
      );
    } finally {
      await offline.close();
    }
  });
});
