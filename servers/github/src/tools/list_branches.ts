import { z } from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closePage,
  cursorArg,
  hasNextPage,
  line,
  moreLine,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';

const SIZE = 100;

/** Branches with their head commit. */
export const listBranches = defineGitHubTool({
  name: 'list_branches',
  title: 'List branches',
  toolset: 'repos',
  scopes: [],
  description: `Branches with head SHA and protection, ${SIZE} per page.`,
  input: z.object({ repo: repoArg, cursor: cursorArg }),
  output: z.object({
    ...pageOf(z.object({ name: z.string(), sha: z.string(), protected: z.boolean() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_branches', args, SIZE);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/branches', {
      ...ref,
      per_page: SIZE,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.map((b) => ({ name: line(b.name), sha: b.commit.sha, protected: b.protected }));
    const structured = { items, ...closePage('list_branches', page, hasNextPage(headers)) };
    const lines = items.map((b) => `${b.name} ${b.sha.slice(0, 7)}${b.protected ? ' (protected)' : ''}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(none)' };
  },
});
