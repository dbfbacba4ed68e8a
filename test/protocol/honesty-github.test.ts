// Annotation honesty of the GitHub server, against the loopback GitHub API (which records every
// request). Every read-only tool is called with valid arguments, with the default read-only
// configuration and with --allow-write, and none of the requests it caused may use a method that
// changes something on GitHub (MUTATING_METHODS: POST, PUT, PATCH, DELETE; every create, edit,
// delete and merge is one of them). The non-destructive write tools must send exactly the one
// request that adds something (a new issue, comment, pull request or review, or the merge commit
// of update-branch), and never an edit (PATCH) or a delete (DELETE).
import {
  fakeGitHub,
  type LoopbackGitHubApi,
  MUTATING_METHODS,
  type StdioSession,
  startGitHubApi,
  structuredOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import { callTool, GITHUB_TEST_TOKEN, type Mode, resultText, startServer } from './servers.js';

const REPO = 'octo/hello';
const SHA = 'b'.repeat(40);

/**
 * Valid arguments for every read-only tool of the GitHub server (all toolsets), answered by the
 * loopback API's sample data. A tool listed with readOnlyHint: true but missing here fails the
 * coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  get_me: [{ args: {} }],
  get_file_contents: [
    { args: { repo: REPO, path: 'README.md' } },
    { args: { repo: REPO, path: 'src', ref: 'main' } },
  ],
  get_repository_tree: [{ args: { repo: REPO } }, { args: { repo: REPO, ref: 'main', path_prefix: 'src' } }],
  list_branches: [{ args: { repo: REPO } }],
  list_commits: [
    { args: { repo: REPO } },
    { args: { repo: REPO, ref: 'main', path: 'src/a.ts', author: 'octocat' } },
  ],
  get_commit: [{ args: { repo: REPO, sha: SHA } }],
  list_tags: [{ args: { repo: REPO } }],
  list_releases: [{ args: { repo: REPO } }],
  search_code: [{ args: { query: 'hello repo:octo/hello' } }],
  search_repositories: [{ args: { query: 'hello' } }],
  list_issues: [{ args: { repo: REPO } }, { args: { repo: REPO, state: 'all', labels: 'bug' } }],
  get_issue: [{ args: { repo: REPO, number: 1 } }],
  search_issues: [{ args: { query: 'crash repo:octo/hello' } }],
  list_labels: [{ args: { repo: REPO } }],
  list_pull_requests: [{ args: { repo: REPO } }, { args: { repo: REPO, state: 'open', base: 'main' } }],
  get_pull_request: [{ args: { repo: REPO, number: 7 } }],
  get_pull_request_diff: [{ args: { repo: REPO, number: 7 } }],
  list_pull_request_reviews: [{ args: { repo: REPO, number: 7 } }],
  list_pull_request_review_comments: [{ args: { repo: REPO, number: 7 } }],
  get_pull_request_checks: [{ args: { repo: REPO, number: 7 } }],
  list_workflow_runs: [
    { args: { repo: REPO } },
    { args: { repo: REPO, workflow: 'ci.yml', branch: 'main' } },
  ],
  get_workflow_run: [{ args: { repo: REPO, run_id: 61 } }],
  list_workflow_jobs: [{ args: { repo: REPO, run_id: 61 } }],
  get_job_logs: [{ args: { repo: REPO, job_id: 71 } }, { args: { repo: REPO, job_id: 71, tail_lines: 20 } }],
  search_users: [{ args: { query: 'octo' } }],
};

let api: LoopbackGitHubApi;
const sessions = new Map<Mode, StdioSession>();
const session = (mode: Mode): StdioSession => {
  const found = sessions.get(mode);
  if (!found) throw new Error(`no ${mode} session`);
  return found;
};

beforeAll(async () => {
  api = await startGitHubApi(fakeGitHub());
  const env = {
    GITHUB_API_URL: api.url,
    GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TEST_TOKEN,
    BULWARK_GITHUB_WAIT_SCALE: '0.001',
  };
  sessions.set('read', await startServer('github', ['--toolsets', 'all'], env));
  sessions.set('write', await startServer('github', ['--toolsets', 'all', '--allow-write'], env));
});

afterAll(async () => {
  for (const running of sessions.values()) await running.close();
  await api?.close();
});

/** `METHOD /path` of the requests recorded from index `from` on. */
function requestsSince(from: number): string[] {
  return api.requests.slice(from).map((request) => `${request.method} ${request.path}`);
}

/** The mutating requests recorded from index `from` on. */
function mutatingSince(from: number): string[] {
  return api.requests
    .slice(from)
    .filter((request) => MUTATING_METHODS.has(request.method))
    .map((request) => `${request.method} ${request.path}`);
}

/** A checkpoint of the request log, and the check that no request since changes anything. */
async function requestWitness() {
  const from = api.requests.length;
  return async (label: string) => {
    expect(mutatingSince(from), `${label} sent requests that change something`).toEqual([]);
  };
}

describe('honesty:github — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'github',
    modes: ['read', 'write'],
    session,
    calls: READ_ONLY_CALLS,
    witness: requestWitness,
  });
});

describe('honesty:github — destructiveHint: false', () => {
  const ADDITIVE: [string, Record<string, unknown>, string][] = [
    [
      'create_issue',
      { repo: REPO, title: 'Probe', body: 'Filed by the honesty suite', labels: ['bug'] },
      `POST /repos/${REPO}/issues`,
    ],
    [
      'add_issue_comment',
      { repo: REPO, number: 1, body: 'A comment' },
      `POST /repos/${REPO}/issues/1/comments`,
    ],
    [
      'create_pull_request',
      { repo: REPO, title: 'Probe PR', head: 'feature', base: 'main', body: 'Body', draft: true },
      `POST /repos/${REPO}/pulls`,
    ],
    [
      'create_pull_request_review',
      { repo: REPO, number: 7, event: 'REQUEST_CHANGES', body: 'Please rename' },
      `POST /repos/${REPO}/pulls/7/reviews`,
    ],
    ['update_pull_request_branch', { repo: REPO, number: 7 }, `PUT /repos/${REPO}/pulls/7/update-branch`],
  ];

  describeAdditiveCoverage(
    'github',
    'write',
    () => session('write'),
    ADDITIVE.map(([tool]) => tool),
  );

  it.each(ADDITIVE)(
    'honesty:github:%s — sends only the request that adds, never an edit or a delete',
    async (tool, args, expected) => {
      const from = api.requests.length;
      const result = await callTool(session('write'), tool, args);
      expect(result.isError, resultText(result)).toBeFalsy();
      structuredOf(result);
      expect(mutatingSince(from)).toEqual([expected]);
      expect(requestsSince(from).filter((request) => /^(PATCH|DELETE) /.test(request))).toEqual([]);
    },
  );
});

describe('honesty:github — the witness', () => {
  it('honesty:github:witness — an edit through update_issue is seen as a change', async () => {
    const check = await requestWitness();
    const result = await callTool(session('write'), 'update_issue', {
      repo: REPO,
      number: 2,
      state: 'closed',
    });
    expect(result.isError, resultText(result)).toBeFalsy();
    await expect(check('update_issue')).rejects.toThrow(/change something/);
  });
});
