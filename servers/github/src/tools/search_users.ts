import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closeSearchPage,
  cursorArg,
  hasNextPage,
  login,
  moreLine,
  openPage,
  pageOf,
  READ,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** User and organization search. */
export const searchUsers = defineGitHubTool({
  name: 'search_users',
  title: 'Search users',
  toolset: 'users',
  scopes: [],
  description:
    'User and organization search (GitHub syntax, e.g. "jane location:berlin"): login and type. 30 per page, 1,000 at most.',
  input: z.object({
    query: z.string().min(1).max(256).describe('Search text with qualifiers'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(z.object({ login: z.string(), type: z.string() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const page = openPage('search_users', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /search/users', {
      q: args.query.trim(),
      per_page: page.size,
      page: page.page,
      request,
    });
    const items = data.items.map((user) => ({ login: login(user), type: user.type }));
    const structured = { items, ...closeSearchPage('search_users', page, hasNextPage(headers)) };
    const lines = items.map((user) => `${user.login} (${user.type})`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no matches)' };
  },
});
