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

/** Repository search. */
export const searchRepositories = defineGitHubTool({
  name: 'search_repositories',
  title: 'Search repositories',
  toolset: 'repos',
  scopes: [],
  description:
    'Repository search (GitHub syntax, e.g. "mcp stars:>100"): name, description, stars, language, visibility. 30 per page, 1,000 at most.',
  input: z.object({
    query: z.string().min(1).max(256).describe('Search text with qualifiers'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({
        repo: z.string(),
        description: z.string().nullable(),
        stars: z.number(),
        language: z.string().nullable(),
        private: z.boolean(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const { allowlist, session } = ctx.deps;
    const q = scopeSearchQuery(args.query, allowlist);
    const page = openPage('search_repositories', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /search/repositories', {
      q,
      per_page: page.size,
      page: page.page,
      request,
    });
    const items = [];
    for (const hit of data.items) {
      const repo = parseRepo(hit.full_name);
      if (!repo || !allowlist.allows(repo.owner, repo.repo)) continue;
      session.noteRead(repo.owner, repo.repo, hit.private);
      items.push({
        repo: hit.full_name,
        description: hit.description ? line(hit.description) : null,
        stars: hit.stargazers_count,
        language: hit.language ?? null,
        private: hit.private,
      });
    }
    const structured = { items, ...closeSearchPage('search_repositories', page, hasNextPage(headers)) };
    const lines = items.map(
      (r) =>
        `${r.repo} ★${r.stars}${r.language ? ` ${r.language}` : ''}${r.private ? ' (private)' : ''}${r.description ? ` - ${r.description}` : ''}`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no matches)' };
  },
});
