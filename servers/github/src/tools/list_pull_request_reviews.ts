import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  authored,
  closePage,
  cursorArg,
  hasNextPage,
  moreLine,
  numberArg,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';
import { renderAuthored } from './render.js';

/** Reviews of a pull request. */
export const listPullRequestReviews = defineGitHubTool({
  name: 'list_pull_request_reviews',
  title: 'List pull request reviews',
  toolset: 'pull_requests',
  scopes: [],
  description:
    'Reviews of a pull request: state, date, summary body (untrusted envelope with author, author_association, trusted). 30 per page.',
  input: z.object({ repo: repoArg, number: numberArg('Pull request number'), cursor: cursorArg }),
  output: z.object({
    ...pageOf(
      z.object({ id: z.number(), state: z.string(), submitted_at: z.string().nullable(), ...authored }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_pull_request_reviews', args);
    const { gh, request, signal } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...ref,
      pull_number: args.number,
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const rendered = await ctx.deps.bodies.render(
      ref,
      data.map((r) => ({
        source: `${args.repo}#${args.number} review ${r.id}`,
        author: r.user?.login,
        association: r.author_association,
        body: r.body,
      })),
      signal,
    );
    const items = data.map((r, index) => ({
      id: Number(r.id),
      state: r.state,
      submitted_at: r.submitted_at ?? null,
      ...rendered[index]!,
    }));
    const structured = { items, ...closePage('list_pull_request_reviews', page, hasNextPage(headers)) };
    const lines = items.map((r) => `[${r.state}] ${renderAuthored(r, r.submitted_at ?? undefined)}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n\n') || '(no reviews)' };
  },
});
