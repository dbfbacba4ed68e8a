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

/** Tags with the commit they point at. */
export const listTags = defineGitHubTool({
  name: 'list_tags',
  title: 'List tags',
  toolset: 'repos',
  scopes: [],
  description: `Tags with commit SHA, newest first, ${SIZE} per page.`,
  input: z.object({ repo: repoArg, cursor: cursorArg }),
  output: z.object({
    ...pageOf(z.object({ name: z.string(), sha: z.string() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_tags', args, SIZE);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/tags', {
      ...ref,
      per_page: SIZE,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.map((t) => ({ name: line(t.name), sha: t.commit.sha }));
    const structured = { items, ...closePage('list_tags', page, hasNextPage(headers)) };
    const lines = items.map((t) => `${t.name} ${t.sha.slice(0, 7)}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(none)' };
  },
});
