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
  refArg,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** Commit history, newest first, with the first line of each message. */
export const listCommits = defineGitHubTool({
  name: 'list_commits',
  title: 'List commits',
  toolset: 'repos',
  scopes: [],
  description:
    'Commits from a ref, newest first, optionally touching a path or by an author: SHA, first message line, author, date. 30 per page.',
  input: z.object({
    repo: repoArg,
    ref: refArg('Branch, tag or SHA (default branch if omitted)'),
    path: z.string().max(1024).optional().describe('Only commits touching this path'),
    author: z.string().max(256).optional().describe('Only commits by this login or email'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({ sha: z.string(), message: z.string(), author: z.string(), date: z.string().nullable() }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_commits', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/commits', {
      ...ref,
      ...(args.ref ? { sha: args.ref } : {}),
      ...(args.path ? { path: args.path } : {}),
      ...(args.author ? { author: args.author } : {}),
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.map((c) => ({
      sha: c.sha,
      message: line(c.commit.message.split('\n', 1)[0]),
      author: line(c.author?.login ?? c.commit.author?.name ?? 'unknown'),
      date: c.commit.author?.date ?? null,
    }));
    const structured = { items, ...closePage('list_commits', page, hasNextPage(headers)) };
    const lines = items.map(
      (c) => `${c.sha.slice(0, 7)} ${c.date?.slice(0, 10) ?? ''} ${c.author}: ${c.message}`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(none)' };
  },
});
