import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  truncateUtf8,
  wrapUntrusted,
} from '@bulwark/hardening';
import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, cursorArg, idArg, moreLine, READ, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Most bytes of log text in one result. */
export const LOG_PAGE_BYTES = 64 * 1024;

/** The end of a job's log. */
export const getJobLogs = defineGitHubTool({
  name: 'get_job_logs',
  title: 'Get job logs',
  toolset: 'actions',
  scopes: [],
  description: `The last tail_lines lines of a job's log (${LOG_PAGE_BYTES / 1024} KiB at most) in an untrusted envelope; next_cursor pages back.`,
  input: z.object({
    repo: repoArg,
    job_id: idArg('Job id'),
    tail_lines: z.number().int().min(1).max(5000).default(200).describe('Lines from the end'),
    cursor: cursorArg,
  }),
  output: z.object({
    log: z.string(),
    first_line: z.number().describe('1-based number of the first line shown'),
    total_lines: z.number(),
    next_cursor: z.string().optional(),
    truncated: z.boolean(),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const end = endFromCursor(args);
    const { gh, request } = await api(ctx);
    const { data } = await gh.request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', {
      ...ref,
      job_id: args.job_id,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
    const all = text.replace(/\n$/, '').split('\n');
    const stop = Math.min(end ?? all.length, all.length);
    // Walk back from the end while the line count and the byte budget allow.
    let start = stop;
    let bytes = 0;
    while (start > 0 && stop - start < args.tail_lines) {
      const size = Buffer.byteLength(all[start - 1] ?? '') + 1;
      if (bytes + size > LOG_PAGE_BYTES && start < stop) break;
      bytes += size;
      start--;
    }
    const shown = truncateUtf8(all.slice(start, stop).join('\n'), LOG_PAGE_BYTES).text;
    const structured = {
      log: wrapUntrusted(shown, { source: `${args.repo} job ${args.job_id} log` }),
      first_line: start + 1,
      total_lines: all.length,
      ...(start > 0
        ? {
            next_cursor: encodeCursor('get_job_logs', { q: [args.repo, args.job_id], end: start }),
            truncated: true,
          }
        : { truncated: false }),
    };
    return {
      structured,
      text: [
        `lines ${structured.first_line}-${stop} of ${structured.total_lines}`,
        structured.log,
        ...moreLine(structured),
      ].join('\n'),
    };
  },
});

function endFromCursor(args: {
  repo: string;
  job_id: number;
  cursor?: string | undefined;
}): number | undefined {
  if (args.cursor === undefined) return undefined;
  const state = decodeCursor('get_job_logs', args.cursor);
  const end = state.end;
  if (
    JSON.stringify(state.q) !== JSON.stringify([args.repo, args.job_id]) ||
    typeof end !== 'number' ||
    end < 1
  ) {
    throw new InvalidCursorError(
      'The cursor belongs to another job; repeat the same arguments or drop the cursor.',
    );
  }
  return end;
}
