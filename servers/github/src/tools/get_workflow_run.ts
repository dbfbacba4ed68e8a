import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, idArg, line, login, READ, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** One GitHub Actions workflow run. */
export const getWorkflowRun = defineGitHubTool({
  name: 'get_workflow_run',
  title: 'Get workflow run',
  toolset: 'actions',
  scopes: [],
  description:
    'An Actions run: workflow, title, status, conclusion, event, branch, SHA, attempt, actor, times, URL.',
  input: z.object({ repo: repoArg, run_id: idArg('Run id') }),
  output: z.object({
    id: z.number(),
    name: z.string(),
    title: z.string(),
    status: z.string(),
    conclusion: z.string().nullable(),
    event: z.string(),
    branch: z.string(),
    sha: z.string(),
    attempt: z.number(),
    actor: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    url: z.string(),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const { gh, request } = await api(ctx);
    const { data: run } = await gh.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      ...ref,
      run_id: args.run_id,
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo, run.repository?.private);
    const structured = {
      id: Number(run.id),
      name: line(run.name ?? ''),
      title: line(run.display_title),
      status: run.status ?? 'unknown',
      conclusion: run.conclusion ?? null,
      event: run.event,
      branch: line(run.head_branch ?? ''),
      sha: run.head_sha,
      attempt: run.run_attempt ?? 1,
      actor: login(run.actor),
      created_at: run.created_at,
      updated_at: run.updated_at,
      url: run.html_url,
    };
    return {
      structured,
      text: `${structured.name} #${structured.id} [${structured.conclusion ?? structured.status}] "${structured.title}" ${structured.event} ${structured.branch}@${structured.sha.slice(0, 7)} attempt ${structured.attempt} by ${structured.actor}\n${structured.url}`,
    };
  },
});
