import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  authored,
  closePage,
  cursorArg,
  hasNextPage,
  line,
  moreLine,
  numberArg,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';
import { renderAuthored } from './render.js';

const SIZE = 100;

/** One pull request with a page of its changed files. */
export const getPullRequest = defineGitHubTool({
  name: 'get_pull_request',
  title: 'Get pull request',
  toolset: 'pull_requests',
  scopes: [],
  description: `A pull request: state, branches, head SHA, mergeability, line stats, body (untrusted envelope) and changed files, ${SIZE} per page.`,
  input: z.object({ repo: repoArg, number: numberArg('Pull request number'), cursor: cursorArg }),
  output: z.object({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    draft: z.boolean(),
    head: z.string(),
    head_sha: z.string(),
    base: z.string(),
    mergeable: z.boolean().nullable(),
    additions: z.number(),
    deletions: z.number(),
    ...authored,
    ...pageOf(
      z.object({ path: z.string(), status: z.string(), additions: z.number(), deletions: z.number() }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('get_pull_request', args, SIZE);
    const { gh, request, signal } = await api(ctx);
    const params = { ...ref, pull_number: args.number, request };
    const [{ data: pr }, { data: files, headers }] = await Promise.all([
      gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', params),
      gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
        ...params,
        per_page: SIZE,
        page: page.page,
      }),
    ]);
    ctx.deps.session.noteRead(ref.owner, ref.repo, pr.base.repo.private);
    const [body] = await ctx.deps.bodies.render(
      ref,
      [
        {
          source: `${args.repo}#${args.number}`,
          author: pr.user?.login,
          association: pr.author_association,
          body: pr.body,
        },
      ],
      signal,
    );
    const structured = {
      number: pr.number,
      title: line(pr.title),
      state: pr.merged ? 'merged' : pr.state,
      draft: pr.draft ?? false,
      head: line(pr.head.label),
      head_sha: pr.head.sha,
      base: line(pr.base.ref),
      mergeable: pr.mergeable,
      additions: pr.additions,
      deletions: pr.deletions,
      ...body!,
      items: files.map((f) => ({
        path: line(f.filename),
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
      })),
      ...closePage('get_pull_request', page, hasNextPage(headers)),
    };
    const lines = [
      `#${structured.number} [${structured.state}${structured.draft ? ', draft' : ''}] ${structured.title}`,
      `${structured.head} (${structured.head_sha.slice(0, 7)}) -> ${structured.base}; +${structured.additions} -${structured.deletions}; mergeable: ${structured.mergeable ?? 'unknown'}`,
      renderAuthored(structured),
      ...structured.items.map((f) => `${f.status} ${f.path} +${f.additions} -${f.deletions}`),
      ...moreLine(structured),
    ];
    return { structured, text: lines.join('\n') };
  },
});
