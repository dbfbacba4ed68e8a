import * as z from 'zod';
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

/** Releases without their notes. */
export const listReleases = defineGitHubTool({
  name: 'list_releases',
  title: 'List releases',
  toolset: 'repos',
  scopes: [],
  description: 'Releases, newest first: tag, name, draft, prerelease, date; no notes. 30 per page.',
  input: z.object({ repo: repoArg, cursor: cursorArg }),
  output: z.object({
    ...pageOf(
      z.object({
        tag: z.string(),
        name: z.string(),
        draft: z.boolean(),
        prerelease: z.boolean(),
        published_at: z.string().nullable(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_releases', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/releases', {
      ...ref,
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.map((r) => ({
      tag: line(r.tag_name),
      name: line(r.name),
      draft: r.draft,
      prerelease: r.prerelease,
      published_at: r.published_at,
    }));
    const structured = { items, ...closePage('list_releases', page, hasNextPage(headers)) };
    const lines = items.map(
      (r) =>
        `${r.tag}${r.name && r.name !== r.tag ? ` "${r.name}"` : ''} ${r.published_at ?? 'unpublished'}${r.draft ? ' draft' : ''}${r.prerelease ? ' prerelease' : ''}`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(none)' };
  },
});
