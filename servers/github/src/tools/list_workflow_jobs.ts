import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closePage,
  cursorArg,
  hasNextPage,
  idArg,
  line,
  moreLine,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';

/** Jobs of a workflow run (latest attempt). */
export const listWorkflowJobs = defineGitHubTool({
  name: 'list_workflow_jobs',
  title: 'List workflow jobs',
  toolset: 'actions',
  scopes: [],
  description:
    "Jobs of a run's latest attempt: id, name, status, conclusion, times, failed step names. 30 per page.",
  input: z.object({ repo: repoArg, run_id: idArg('Run id'), cursor: cursorArg }),
  output: z.object({
    ...pageOf(
      z.object({
        id: z.number(),
        name: z.string(),
        status: z.string(),
        conclusion: z.string().nullable(),
        started_at: z.string().nullable(),
        completed_at: z.string().nullable(),
        failed_steps: z.array(z.string()),
      }),
    ),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const page = openPage('list_workflow_jobs', args);
    const { gh, request } = await api(ctx);
    const { data, headers } = await gh.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
      ...ref,
      run_id: args.run_id,
      filter: 'latest',
      per_page: page.size,
      page: page.page,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const items = data.jobs.map((job) => ({
      id: Number(job.id),
      name: line(job.name),
      status: job.status,
      conclusion: job.conclusion ?? null,
      started_at: job.started_at ?? null,
      completed_at: job.completed_at ?? null,
      failed_steps: (job.steps ?? [])
        .filter((step) => step.conclusion === 'failure')
        .map((step) => line(step.name)),
    }));
    const structured = { items, ...closePage('list_workflow_jobs', page, hasNextPage(headers)) };
    const lines = items.map(
      (job) =>
        `${job.id} ${job.name} [${job.conclusion ?? job.status}]${job.failed_steps.length ? ` failed: ${job.failed_steps.join(', ')}` : ''}`,
    );
    return { structured, text: [...lines, ...moreLine(structured)].join('\n') || '(no jobs)' };
  },
});
