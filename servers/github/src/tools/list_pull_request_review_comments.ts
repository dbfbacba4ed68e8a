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

/** Inline review comments of a pull request. */
export const listPullRequestReviewComments = defineGitHubTool({
  name: 'list_pull_request_review_comments',
  title: 'List review comments',
  toolset: 'pull_requests',
  scopes: [],
  description:
    'Inline review comments of a pull request: file, line, replied-to id, body (untrusted envelope). 30 per page.',
  input: z.object({ repo: repoArg, number: numberArg('Pull request number'), cursor: cursorArg }),
  output: z.object({
    ...pageOf(
      z.object({
        id: z.number(),
        in_reply_to: z.number().nullable(),
        path: z.string(),
        line: z.number().nullable(),
        ...authored,
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_pull_request_review_comments', args);
    const { gh, request, signal } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
      ...ref,
      pull_number: args.number,
      sort: 'created',
      direction: 'asc',
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const rendered = await ctx.deps.bodies.render(
      ref,
      data.map((c) => ({
        source: `${args.repo}#${args.number} review comment ${c.id}`,
        author: c.user?.login,
        association: c.author_association,
        body: c.body,
      })),
      signal,
    );
    const items = data.map((c, index) => ({
      id: Number(c.id),
      in_reply_to: c.in_reply_to_id ?? null,
      path: line(c.path),
      line: c.line ?? c.original_line ?? null,
      ...rendered[index]!,
    }));
    const structured = {
      items,
      ...closePage('list_pull_request_review_comments', page, hasNextPage(headers)),
    };
    const lines = items.map((c) => `${c.path}:${c.line ?? '?'} ${renderAuthored(c)}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n\n') || '(no review comments)' };
  },
});
