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

/** GitHub Actions workflow runs, newest first. */
export const listWorkflowRuns = defineGitHubTool({
  name: 'list_workflow_runs',
  title: 'List workflow runs',
  toolset: 'actions',
  scopes: [],
  description:
    'Actions runs of a repository or workflow, newest first, by branch or status: id, name, status, conclusion, event, branch, SHA. 30 per page.',
  input: z.object({
    repo: repoArg,
    workflow: z.string().max(255).optional().describe('Workflow file name (ci.yml) or id'),
    branch: z.string().max(255).optional().describe('Only runs on this branch'),
    status: z
      .enum(['queued', 'in_progress', 'completed', 'success', 'failure', 'cancelled'])
      .optional()
      .describe('Only runs with this status or conclusion'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...pageOf(
      z.object({
        id: z.number(),
        name: z.string(),
        status: z.string(),
        conclusion: z.string().nullable(),
        event: z.string(),
        branch: z.string(),
        sha: z.string(),
        created_at: z.string(),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_workflow_runs', args);
    const { gh, request } = await api(ctx);
    const params = {
      ...ref,
      ...(args.branch ? { branch: args.branch } : {}),
      ...(args.status ? { status: args.status } : {}),
      per_page: page.size,
      page: page.page,
      request,
    };
    const { data, headers } = args.workflow
      ? await gh.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
          ...params,
          workflow_id: safeSegment(args.workflow, 'workflow'),
        })
      : await gh.request('GET /repos/{owner}/{repo}/actions/runs', params);
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.workflow_runs.map((run) => ({
      id: Number(run.id),
      name: line(run.name ?? ''),
      status: run.status ?? 'unknown',
      conclusion: run.conclusion ?? null,
      event: run.event,
      branch: line(run.head_branch ?? ''),
      sha: run.head_sha,
      created_at: run.created_at,
    }));
    const structured = { items, ...closePage('list_workflow_runs', page, hasNextPage(headers)) };
    const lines = items.map(
      (run) =>
        `${run.id} ${run.name} [${run.conclusion ?? run.status}] ${run.event} ${run.branch}@${run.sha.slice(0, 7)} ${run.created_at}`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no runs)' };
  },
});
