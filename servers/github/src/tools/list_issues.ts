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

/** Issues of a repository (pull requests left out), without bodies. */
export const listIssues = defineGitHubTool({
  name: 'list_issues',
  title: 'List issues',
  toolset: 'issues',
  scopes: [],
  description:
    'Issues (no pull requests), recently updated first: number, title, state, author, labels, comment count. 30 per page; bodies via get_issue.',
  input: z.object({
    repo: repoArg,
    state: z.enum(['open', 'closed', 'all']).default('open').describe('Issue state'),
    labels: z.string().max(1024).optional().describe('Comma-separated labels, all required'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({
        number: z.number(),
        title: z.string(),
        state: z.string(),
        author: z.string(),
        labels: z.array(z.string()),
        comments: z.number(),
        updated_at: z.string(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_issues', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/issues', {
      ...ref,
      state: args.state,
      ...(args.labels ? { labels: args.labels } : {}),
      sort: 'updated',
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data
      .filter((issue) => !issue.pull_request)
      .map((issue) => ({
        number: issue.number,
        title: line(issue.title),
        state: issue.state,
        author: login(issue.user),
        labels: issue.labels.map((label) => line(typeof label === 'string' ? label : label.name)),
        comments: issue.comments,
        updated_at: issue.updated_at,
      }));
    const structured = { items, ...closePage('list_issues', page, hasNextPage(headers)) };
    const lines = items.map(
      (i) =>
        `#${i.number} [${i.state}] ${i.title} (${i.author}${i.labels.length ? `; ${i.labels.join(', ')}` : ''}; ${i.comments} comments)`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no issues)' };
  },
});
