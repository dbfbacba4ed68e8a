/**
 * The GitHub server with `--repos octo/* --toolsets all` against the loopback GitHub API
 * (`fakeGitHub` from the testkit). The repositories `octo/tags`, `octo/bidi` and
 * `octo/zero-width` answer issues, pull requests, reviews, commits, files, trees, releases and
 * branches whose text carries the payload of that name; every other repository answers the
 * testkit's sample data. After each case every request the API received must have stayed below
 * `/repos/octo/` (or `/search/`) and none may have been a write.
 */
import path from 'node:path';
import {
  fakeGitHub,
  type GitHubApiHandler,
  type GitHubApiReply,
  type GitHubApiRequest,
  type GitHubApiRoutes,
  githubRepository,
  githubUser,
  MUTATING_METHODS,
  startGitHubApi,
} from '@bulwark/testkit';
import { startServer } from '../lib/servers.js';
import { type Planted, plant, SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** The planted text of one payload kind, by where GitHub returns it. */
export type GitHubPlanted = Record<
  | 'title'
  | 'body'
  | 'label'
  | 'comment'
  | 'login'
  | 'prTitle'
  | 'prBody'
  | 'branch'
  | 'review'
  | 'reviewComment'
  | 'reviewPath'
  | 'diff'
  | 'message'
  | 'commitAuthor'
  | 'fileName'
  | 'fileContent'
  | 'entryName'
  | 'treePath'
  | 'releaseName'
  | 'releaseBody',
  Planted
>;

/** What the GitHub cases compute their arguments from. */
export interface GitHubFixture {
  /** Planted text by payload kind (repository `octo/<kind>`). */
  smuggle: Record<SmuggleKind, GitHubPlanted>;
}

/** Plants every field for one kind. */
function plantAll(kind: SmuggleKind): GitHubPlanted {
  const names = {
    title: 'title-',
    body: 'body-',
    label: 'label-',
    comment: 'comment-',
    login: 'login-',
    prTitle: 'prtitle-',
    prBody: 'prbody-',
    branch: 'branch-',
    review: 'review-',
    reviewComment: 'reviewcomment-',
    reviewPath: 'reviewpath-',
    diff: 'diffline-',
    message: 'message-',
    commitAuthor: 'commitauthor-',
    fileName: 'filename-',
    fileContent: 'filecontent-',
    entryName: 'entry-',
    treePath: 'treepath-',
    releaseName: 'release-',
    releaseBody: 'releasebody-',
  } as const;
  return Object.fromEntries(
    Object.entries(names).map(([field, label]) => [field, plant(label, kind)]),
  ) as GitHubPlanted;
}

/** Routes answering planted text for `octo/<kind>`, deferring to the sample data otherwise. */
function smuggleRoutes(smuggle: Record<SmuggleKind, GitHubPlanted>): GitHubApiRoutes {
  const base = fakeGitHub();
  const kindOf = (repo: string | undefined) => SMUGGLE_KINDS.find((kind) => kind === repo);
  const fallback = async (key: string, request: GitHubApiRequest): Promise<GitHubApiReply> => {
    const handler = base[key] as GitHubApiHandler | undefined;
    if (!handler) return { status: 404, body: { message: 'Not Found' } };
    return typeof handler === 'function' ? handler(request) : handler;
  };
  const planted =
    (
      key: string,
      answer: (p: GitHubPlanted, request: GitHubApiRequest) => GitHubApiReply,
    ): GitHubApiHandler =>
    (request) => {
      const kind = kindOf(request.params.repo);
      return kind ? answer(smuggle[kind], request) : fallback(key, request);
    };
  const html = (request: GitHubApiRequest, rest: string) =>
    `https://github.com/${request.params.owner}/${request.params.repo}/${rest}`;
  const issue = (p: GitHubPlanted, request: GitHubApiRequest, number: number) => ({
    id: 5000 + number,
    number,
    // Issue 2 hides the payload in its author's login only, so that field is judged alone.
    title: number === 2 ? 'Plain title' : p.title.raw,
    state: 'open',
    user: githubUser(number === 2 ? p.login.raw : 'mallory'),
    author_association: 'NONE',
    body: number === 2 ? 'Plain body' : p.body.raw,
    labels: number === 2 ? [] : [{ name: p.label.raw, color: 'd73a4a', description: 'planted' }],
    assignees: [],
    comments: number === 2 ? 0 : 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    html_url: html(request, `issues/${number}`),
    repository_url: `https://api.github.com/repos/${request.params.owner}/${request.params.repo}`,
  });
  const pull = (p: GitHubPlanted, request: GitHubApiRequest) => ({
    id: 6007,
    number: 7,
    title: p.prTitle.raw,
    state: 'open',
    draft: false,
    merged: false,
    merged_at: null,
    mergeable: true,
    user: githubUser('contributor'),
    author_association: 'CONTRIBUTOR',
    body: p.prBody.raw,
    head: { label: `contributor:${p.branch.raw}`, ref: p.branch.raw, sha: 'a'.repeat(40) },
    base: {
      label: 'octo:main',
      ref: 'main',
      sha: 'b'.repeat(40),
      repo: githubRepository(`octo/${request.params.repo}`),
    },
    additions: 1,
    deletions: 1,
    changed_files: 1,
    updated_at: '2026-01-03T00:00:00Z',
    html_url: html(request, 'pull/7'),
  });
  const commit = (p: GitHubPlanted) => ({
    sha: 'b'.repeat(40),
    commit: {
      message: `${p.message.raw}\n\nbody`,
      author: { name: p.commitAuthor.raw, date: '2026-01-01T00:00:00Z' },
    },
    author: githubUser('octocat'),
    stats: { additions: 1, deletions: 1, total: 2 },
    files: [{ filename: p.fileName.raw, status: 'modified', additions: 1, deletions: 1, changes: 2 }],
  });
  return {
    ...base,
    'GET /repos/:owner/:repo/issues/:number': planted(
      'GET /repos/:owner/:repo/issues/:number',
      (p, request) => ({
        body: issue(p, request, Number(request.params.number)),
      }),
    ),
    'GET /repos/:owner/:repo/issues': planted('GET /repos/:owner/:repo/issues', (p, request) => ({
      body: [issue(p, request, 1)],
    })),
    'GET /repos/:owner/:repo/issues/:number/comments': planted(
      'GET /repos/:owner/:repo/issues/:number/comments',
      (p, request) => ({
        body:
          request.params.number === '2'
            ? []
            : [
                {
                  id: 71,
                  user: githubUser('mallory'),
                  author_association: 'NONE',
                  body: p.comment.raw,
                  created_at: '2026-01-01T01:00:00Z',
                  html_url: html(request, 'issues/1#c71'),
                },
              ],
      }),
    ),
    'GET /search/issues': (request) => {
      const kind = SMUGGLE_KINDS.find((name) => (request.query.get('q') ?? '').includes(`repo:octo/${name}`));
      if (!kind) return fallback('GET /search/issues', request);
      const params = { owner: 'octo', repo: kind };
      return {
        body: {
          total_count: 1,
          incomplete_results: false,
          items: [issue(smuggle[kind], { ...request, params }, 1)],
        },
      };
    },
    'GET /repos/:owner/:repo/pulls/:number': planted('GET /repos/:owner/:repo/pulls/:number', (p, request) =>
      /diff/.test(String(request.headers.accept))
        ? {
            headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' },
            body: `diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-old\n+${p.diff.raw}\n`,
          }
        : { body: pull(p, request) },
    ),
    'GET /repos/:owner/:repo/pulls': planted('GET /repos/:owner/:repo/pulls', (p, request) => ({
      body: [pull(p, request)],
    })),
    'GET /repos/:owner/:repo/pulls/:number/reviews': planted(
      'GET /repos/:owner/:repo/pulls/:number/reviews',
      (p) => ({
        body: [
          {
            id: 81,
            user: githubUser('maintainer'),
            author_association: 'COLLABORATOR',
            state: 'COMMENTED',
            body: p.review.raw,
            commit_id: 'a'.repeat(40),
            submitted_at: '2026-01-04T00:00:00Z',
          },
        ],
      }),
    ),
    'GET /repos/:owner/:repo/pulls/:number/comments': planted(
      'GET /repos/:owner/:repo/pulls/:number/comments',
      (p) => ({
        body: [
          {
            id: 91,
            pull_request_review_id: 81,
            user: githubUser('mallory'),
            author_association: 'NONE',
            path: p.reviewPath.raw,
            line: 1,
            body: p.reviewComment.raw,
          },
        ],
      }),
    ),
    'GET /repos/:owner/:repo/commits/:ref': planted('GET /repos/:owner/:repo/commits/:ref', (p) => ({
      body: commit(p),
    })),
    'GET /repos/:owner/:repo/commits': planted('GET /repos/:owner/:repo/commits', (p) => ({
      body: [commit(p)],
    })),
    'GET /repos/:owner/:repo/contents/*': planted('GET /repos/:owner/:repo/contents/*', (p, request) =>
      request.params['*'] === 'docs'
        ? {
            body: [
              {
                name: p.entryName.raw,
                path: `docs/${p.entryName.raw}`,
                type: 'file',
                size: 4,
                sha: 'c'.repeat(40),
              },
            ],
          }
        : {
            headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' },
            body: `${p.fileContent.raw}\n`,
          },
    ),
    'GET /repos/:owner/:repo/git/trees/:sha': planted('GET /repos/:owner/:repo/git/trees/:sha', (p) => ({
      body: {
        sha: 'd'.repeat(40),
        truncated: false,
        tree: [{ path: p.treePath.raw, type: 'blob', size: 10, sha: 'e'.repeat(40) }],
      },
    })),
    'GET /repos/:owner/:repo/releases': planted('GET /repos/:owner/:repo/releases', (p) => ({
      body: [
        {
          id: 1,
          tag_name: 'v1.0.0',
          name: p.releaseName.raw,
          draft: false,
          prerelease: false,
          published_at: '2026-01-01T00:00:00Z',
          author: githubUser('octocat'),
          body: p.releaseBody.raw,
        },
      ],
    })),
    'GET /repos/:owner/:repo/branches': planted('GET /repos/:owner/:repo/branches', (p) => ({
      body: [{ name: p.branch.raw, commit: { sha: 'b'.repeat(40), url: '' }, protected: false }],
    })),
  };
}

/** The GitHub server against the loopback API (see the module comment). */
export const githubTarget: Target<GitHubFixture> = {
  name: 'github',
  server: 'github',
  description: 'github --repos octo/* --toolsets all, loopback API (GITHUB_API_URL)',
  async start(): Promise<StartedTarget<GitHubFixture>> {
    const smuggle = Object.fromEntries(SMUGGLE_KINDS.map((kind) => [kind, plantAll(kind)])) as Record<
      SmuggleKind,
      GitHubPlanted
    >;
    const api = await startGitHubApi(smuggleRoutes(smuggle));
    const session = await startServer('github', ['--repos', 'octo/*', '--toolsets', 'all'], {
      GITHUB_API_URL: api.url,
      GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bulwarkAttackCorpus000000000000000000',
      BULWARK_GITHUB_WAIT_SCALE: '0.001',
    });
    return {
      session,
      fixture: { smuggle },
      forbidden: [],
      async watch() {
        const seen = api.requests.length;
        return async () =>
          api.requests.slice(seen).flatMap((request) => {
            const normal = path.posix.normalize(request.path);
            if (MUTATING_METHODS.has(request.method))
              return [`the API received a write: ${request.method} ${request.path}`];
            if (normal.startsWith('/repos/octo/') || normal.startsWith('/search/')) return [];
            return [`the API received ${request.method} ${request.path} (outside /repos/octo/)`];
          });
      },
      async close() {
        await session.close();
        await api.close();
      },
    };
  },
};
