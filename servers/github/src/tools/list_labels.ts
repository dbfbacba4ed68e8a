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

/** The labels a repository defines. */
export const listLabels = defineGitHubTool({
  name: 'list_labels',
  title: 'List labels',
  toolset: 'issues',
  scopes: [],
  description: `A repository's labels: name, color, description. ${SIZE} per page.`,
  input: z.object({ repo: repoArg, cursor: cursorArg }),
  output: z.object({
    ...pageOf(z.object({ name: z.string(), color: z.string(), description: z.string().nullable() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_labels', args, SIZE);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/labels', {
      ...ref,
      per_page: SIZE,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.map((l) => ({
      name: line(l.name),
      color: l.color,
      description: l.description ? line(l.description) : null,
    }));
    const structured = { items, ...closePage('list_labels', page, hasNextPage(headers)) };
    const lines = items.map((l) => `${l.name} #${l.color}${l.description ? ` - ${l.description}` : ''}`);
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no labels)' };
  },
});
