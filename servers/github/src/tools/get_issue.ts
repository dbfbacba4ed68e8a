import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  authored,
  closePage,
  cursorArg,
  hasNextPage,
  line,
  login,
  moreLine,
  numberArg,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';
import { renderAuthored } from './render.js';

/** One issue (or pull request conversation) with a page of its comments. */
export const getIssue = defineGitHubTool({
  name: 'get_issue',
  title: 'Get issue',
  toolset: 'issues',
  scopes: [],
  description:
    'An issue or PR conversation: the opening post (id 0, first page) then comments, 30 per page, each in an untrusted envelope with author, author_association, trusted.',
  input: z.object({ repo: repoArg, number: numberArg('Issue number'), cursor: cursorArg }),
  output: z.object({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    labels: z.array(z.string()),
    assignees: z.array(z.string()),
    pull_request: z.boolean(),
    ...pageOf(z.object({ id: z.number(), created_at: z.string(), ...authored })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('get_issue', args);
    const { gh, request, signal } = await api(ctx);
    const params = { ...ref, issue_number: args.number, request };
    const [{ data: issue }, { data: comments, headers }] = await Promise.all([
      gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}', params),
      gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...params,
        per_page: page.size,
        page: page.page,
      }),
    ]);
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const source = `${args.repo}#${args.number}`;
    const opening = page.page === 1;
    const posts = [
      ...(opening
        ? [
            {
              id: 0,
              created_at: issue.created_at,
              user: issue.user,
              author_association: issue.author_association,
              body: issue.body,
            },
          ]
        : []),
      ...comments.map((c) => ({ ...c, id: Number(c.id) })),
    ];
    const rendered = await ctx.deps.bodies.render(
      ref,
      [
        ...posts.map((c) => ({
          source: c.id ? `${source} comment ${c.id}` : source,
          author: c.user?.login,
          association: c.author_association,
          body: c.body,
        })),
      ],
      signal,
    );
    const structured = {
      number: issue.number,
      title: line(issue.title),
      state: issue.state,
      labels: issue.labels.map((label) => line(typeof label === 'string' ? label : label.name)),
      assignees: (issue.assignees ?? []).map(login),
      pull_request: Boolean(issue.pull_request),
      items: posts.map((c, index) => ({ id: c.id, created_at: c.created_at, ...rendered[index]! })),
      ...closePage('get_issue', page, hasNextPage(headers)),
    };
    const lines = [
      `#${structured.number} [${structured.state}] ${structured.title}${structured.labels.length ? ` (${structured.labels.join(', ')})` : ''}`,
      ...structured.items.map((c) => renderAuthored(c, c.created_at)),
      ...moreLine(structured),
    ];
    return { structured, text: lines.join('\n\n') };
  },
});
