import { wrapUntrusted } from '@bulwark/hardening';
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
  safeSegment,
} from './common.js';
import { defineGitHubTool } from './define.js';

const SIZE = 100;

/** One commit: message, author, stats and changed files (without patches). */
export const getCommit = defineGitHubTool({
  name: 'get_commit',
  title: 'Get commit',
  toolset: 'repos',
  scopes: [],
  description: `A commit: message (untrusted envelope), author, date, line stats, changed files ${SIZE} per page; no patches.`,
  input: z.object({
    repo: repoArg,
    sha: z.string().min(1).max(255).describe('Commit SHA, branch or tag'),
    cursor: cursorArg,
  }),
  output: z.object({
    sha: z.string(),
    message: z.string(),
    author: z.string(),
    date: z.string().nullable(),
    additions: z.number(),
    deletions: z.number(),
    ...pageOf(
      z.object({ path: z.string(), status: z.string(), additions: z.number(), deletions: z.number() }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('get_commit', args, SIZE);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/commits/{ref}', {
      ...ref,
      ref: safeSegment(args.sha, 'commit'),
      per_page: SIZE,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const author = line(data.author?.login ?? data.commit.author?.name ?? 'unknown');
    const structured = {
      sha: data.sha,
      message: wrapUntrusted(data.commit.message, { source: `${args.repo}@${data.sha}`, author }),
      author,
      date: data.commit.author?.date ?? null,
      additions: data.stats?.additions ?? 0,
      deletions: data.stats?.deletions ?? 0,
      items: (data.files ?? []).map((f) => ({
        path: line(f.filename),
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
      })),
      ...closePage('get_commit', page, hasNextPage(headers)),
    };
    const lines = [
      `${structured.sha} by ${author} ${structured.date ?? ''} (+${structured.additions} -${structured.deletions})`,
      structured.message,
      ...structured.items.map((f) => `${f.status} ${f.path} +${f.additions} -${f.deletions}`),
      ...moreLine(structured),
    ];
    return { structured, text: lines.join('\n') };
  },
});
