import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { parseRepo } from '../safety/allowlist.js';
import { scopeSearchQuery } from '../safety/search-scope.js';
import {
  api,
  closeSearchPage,
  cursorArg,
  hasNextPage,
  line,
  login,
  moreLine,
  openPage,
  pageOf,
  READ,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** Issue and pull request search. */
export const searchIssues = defineGitHubTool({
  name: 'search_issues',
  title: 'Search issues and pull requests',
  toolset: 'issues',
  scopes: [],
  description:
    'Issue and pull request search (GitHub syntax, e.g. "crash is:open repo:o/r"): repo, number, title, state, author. 30 per page, 1,000 at most.',
  input: z.object({
    query: z.string().min(1).max(256).describe('Search text with qualifiers'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({
        repo: z.string(),
        number: z.number(),
        title: z.string(),
        state: z.string(),
        author: z.string(),
        pull_request: z.boolean(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const { allowlist, session } = ctx.deps;
    const q = scopeSearchQuery(args.query, allowlist);
    const page = openPage('search_issues', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /search/issues', {
      q,
      per_page: page.size,
      page: page.page,
      request,
    });
    const items = [];
    for (const hit of data.items) {
      const full = hit.repository_url.split('/').slice(-2).join('/');
      const repo = parseRepo(full);
      if (!repo || !allowlist.allows(repo.owner, repo.repo)) continue;
      session.noteRead(repo.owner, repo.repo);
      items.push({
        repo: full,
        number: hit.number,
        title: line(hit.title),
        state: hit.state,
        author: login(hit.user),
        pull_request: Boolean(hit.pull_request),
      });
    }
    const structured = { items, ...closeSearchPage('search_issues', page, hasNextPage(headers)) };
    const lines = items.map(
      (i) => `${i.repo}#${i.number} [${i.pull_request ? 'PR ' : ''}${i.state}] ${i.title} (${i.author})`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no matches)' };
  },
});
