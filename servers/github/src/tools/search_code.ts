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
  moreLine,
  openPage,
  pageOf,
  READ,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** Code search (GitHub's REST code search syntax). */
export const searchCode = defineGitHubTool({
  name: 'search_code',
  title: 'Search code',
  toolset: 'repos',
  scopes: [],
  description:
    'Code search on default branches (GitHub syntax, e.g. "parseArgs language:ts repo:o/r"): repo and path, 30 per page, 1,000 results at most.',
  input: z.object({
    query: z.string().min(1).max(256).describe('Search text with qualifiers'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(z.object({ repo: z.string(), path: z.string() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const { allowlist, session } = ctx.deps;
    const q = scopeSearchQuery(args.query, allowlist);
    const page = openPage('search_code', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /search/code', {
      q,
      per_page: page.size,
      page: page.page,
      request,
    });
    const items: { repo: string; path: string }[] = [];
    for (const hit of data.items) {
      const repo = parseRepo(hit.repository.full_name);
      if (!repo || !allowlist.allows(repo.owner, repo.repo)) continue;
      session.noteRead(repo.owner, repo.repo, hit.repository.private);
      items.push({ repo: hit.repository.full_name, path: line(hit.path) });
    }
    const structured = { items, ...closeSearchPage('search_code', page, hasNextPage(headers)) };
    const lines = items.map((hit) => `${hit.repo}/${hit.path}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no matches)' };
  },
});
