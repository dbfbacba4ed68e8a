import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closePage,
  cursorArg,
  hasNextPage,
  line,
  login,
  moreLine,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** Pull requests of a repository, without bodies. */
export const listPullRequests = defineGitHubTool({
  name: 'list_pull_requests',
  title: 'List pull requests',
  toolset: 'pull_requests',
  scopes: [],
  description:
    'Pull requests, recently updated first: number, title, state, draft, author, head and base. 30 per page.',
  input: z.object({
    repo: repoArg,
    state: z.enum(['open', 'closed', 'all']).default('open').describe('Pull request state'),
    base: z.string().max(255).optional().describe('Only into this base branch'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({
        number: z.number(),
        title: z.string(),
        state: z.string(),
        draft: z.boolean(),
        author: z.string(),
        head: z.string(),
        base: z.string(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_pull_requests', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/pulls', {
      ...ref,
      state: args.state,
      ...(args.base ? { base: args.base } : {}),
      sort: 'updated',
      direction: 'desc',
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo, data[0]?.base.repo.private);
    const items = data.map((pr) => ({
      number: pr.number,
      title: line(pr.title),
      state: pr.merged_at ? 'merged' : pr.state,
      draft: pr.draft ?? false,
      author: login(pr.user),
      head: line(pr.head.label),
      base: line(pr.base.ref),
    }));
    const structured = { items, ...closePage('list_pull_requests', page, hasNextPage(headers)) };
    const lines = items.map(
      (pr) =>
        `#${pr.number} [${pr.state}${pr.draft ? ', draft' : ''}] ${pr.title} (${pr.author}; ${pr.head} -> ${pr.base})`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no pull requests)' };
  },
});
