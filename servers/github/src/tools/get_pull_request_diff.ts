import { decodePageCursor, encodePageCursor, truncateUtf8, wrapUntrusted } from '@bulwark/hardening';
import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, cursorArg, moreLine, numberArg, READ, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Bytes of diff in one page. */
export const DIFF_PAGE_BYTES = 100 * 1024;

/** The unified diff of a pull request, paged by bytes. */
export const getPullRequestDiff = defineGitHubTool({
  name: 'get_pull_request_diff',
  title: 'Get pull request diff',
  toolset: 'pull_requests',
  scopes: [],
  description: `A pull request's unified diff in an untrusted envelope, ${DIFF_PAGE_BYTES / 1024} KiB per page. GitHub refuses diffs over 1 MB or 20,000 lines.`,
  input: z.object({ repo: repoArg, number: numberArg('Pull request number'), cursor: cursorArg }),
  output: z.object({
    diff: z.string(),
    size: z.number(),
    next_cursor: z.string().optional(),
    truncated: z.boolean(),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const { cursor, ...query } = args;
    const offset = decodePageCursor('get_pull_request_diff', cursor, query);
    const { gh, request } = await api(ctx);
    const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...ref,
      pull_number: args.number,
      mediaType: { format: 'diff' },
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const bytes = Buffer.from(data as unknown as string, 'utf8');
    const page = truncateUtf8(bytes.subarray(offset).toString('utf8'), DIFF_PAGE_BYTES);
    const structured = {
      diff: wrapUntrusted(page.text, { source: `${args.repo}#${args.number} diff` }),
      size: bytes.length,
      ...(page.truncated
        ? {
            next_cursor: encodePageCursor('get_pull_request_diff', query, offset + page.bytes),
            truncated: true,
          }
        : { truncated: false }),
    };
    return { structured, text: [structured.diff, ...moreLine(structured)].join('\n') };
  },
});
