import { decodePageCursor, encodePageCursor } from '@bulwark/hardening';
import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, cursorArg, line, moreLine, pageOf, READ, refArg, repoArg, safeSegment } from './common.js';
import { defineGitHubTool } from './define.js';

/** Tree entries in one page. */
export const TREE_PAGE = 500;

/** The whole file tree of a ref, flat, filtered by a path prefix. */
export const getRepositoryTree = defineGitHubTool({
  name: 'get_repository_tree',
  title: 'Get repository tree',
  toolset: 'repos',
  scopes: [],
  description: `Every path of a branch, tag or SHA, recursively, optionally under a prefix; ${TREE_PAGE} per page. Trees GitHub cut (over 100,000 entries) stay truncated without next_cursor.`,
  input: z.object({
    repo: repoArg,
    ref: refArg('Branch, tag or SHA (default: HEAD)'),
    path_prefix: z.string().max(1024).optional().describe('Only paths under this directory'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(z.object({ path: z.string(), type: z.string(), size: z.number().optional() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const { cursor, ...query } = args;
    const offset = decodePageCursor('get_repository_tree', cursor, query);
    const { gh, request } = await api(ctx);
    const { data } = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      ...ref,
      tree_sha: safeSegment(args.ref ?? 'HEAD', 'ref'),
      recursive: '1',
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const prefix = args.path_prefix?.replace(/^\/+|\/+$/g, '');
    const all = data.tree.filter(
      (entry) => !prefix || entry.path === prefix || entry.path?.startsWith(`${prefix}/`),
    );
    const items = all.slice(offset, offset + TREE_PAGE).map((entry) => ({
      path: line(entry.path),
      type: entry.type ?? 'blob',
      ...(entry.size !== undefined ? { size: entry.size } : {}),
    }));
    const more = offset + items.length < all.length;
    const structured = {
      items,
      ...(more ? { next_cursor: encodePageCursor('get_repository_tree', query, offset + items.length) } : {}),
      truncated: more || data.truncated,
    };
    const lines = items.map(
      (entry) => `${entry.type === 'tree' ? 'dir ' : entry.type === 'commit' ? 'sub ' : '    '}${entry.path}`,
    );
    if (data.truncated && !more)
      lines.push('(GitHub cut this tree; list a subdirectory with get_file_contents)');
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(empty)' };
  },
});
