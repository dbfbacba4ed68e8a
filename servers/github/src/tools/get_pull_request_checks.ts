import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closePage,
  cursorArg,
  hasNextPage,
  line,
  moreLine,
  numberArg,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';

const SIZE = 100;

/** Check runs and commit statuses of a pull request's head commit. */
export const getPullRequestChecks = defineGitHubTool({
  name: 'get_pull_request_checks',
  title: 'Get pull request checks',
  toolset: 'pull_requests',
  scopes: [],
  description: `Combined status, check runs and commit statuses of a pull request's head commit; ${SIZE} check runs per page.`,
  input: z.object({ repo: repoArg, number: numberArg('Pull request number'), cursor: cursorArg }),
  output: z.object({
    sha: z.string(),
    state: z.string().describe('Combined commit status'),
    ...pageOf(z.object({ name: z.string(), kind: z.enum(['check', 'status']), state: z.string() })),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('get_pull_request_checks', args, SIZE);
    const { gh, request } = await api(ctx);
    const { data: pr } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...ref,
      pull_number: args.number,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo, pr.base.repo.private);
    const sha = pr.head.sha;
    const [{ data: status }, { data: checks, headers }] = await Promise.all([
      gh.request('GET /repos/{owner}/{repo}/commits/{ref}/status', {
        ...ref,
        ref: sha,
        per_page: 100,
        request,
      }),
      gh.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        ...ref,
        ref: sha,
        per_page: SIZE,
        page: page.page,
        request,
      }),
    ]);
    const items = [
      ...checks.check_runs.map((run) => ({
        name: line(run.name),
        kind: 'check' as const,
        state: run.conclusion ?? run.status,
      })),
      // Statuses come with the first page only.
      ...(page.page === 1
        ? status.statuses.map((s) => ({ name: line(s.context), kind: 'status' as const, state: s.state }))
        : []),
    ];
    const structured = {
      sha,
      state: status.state,
      items,
      ...closePage('get_pull_request_checks', page, hasNextPage(headers)),
    };
    const lines = [
      `${sha.slice(0, 7)} combined status: ${status.state}`,
      ...items.map((i) => `${i.state.padEnd(9)} ${i.kind} ${i.name}`),
    ];
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') };
  },
});
