import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, bodyArg, numberArg, repoArg, UPDATE } from './common.js';
import { defineGitHubTool } from './define.js';

/** Edits a pull request: title, body, state, base. */
export const updatePullRequest = defineGitHubTool({
  name: 'update_pull_request',
  title: 'Update pull request',
  toolset: 'pull_requests',
  scopes: ['repo', 'public_repo'],
  description: 'Sets the given fields of a pull request: title, body, state, base.',
  input: z.object({
    repo: repoArg,
    number: numberArg('Pull request number'),
    title: z.string().min(1).max(256).optional().describe('New title'),
    body: bodyArg('New Markdown description').optional(),
    state: z.enum(['open', 'closed']).optional().describe('New state'),
    base: z.string().min(1).max(255).optional().describe('New base branch'),
  }),
  output: z.object({ number: z.number(), state: z.string(), url: z.string() }),
  annotations: UPDATE,
  async handler(args, ctx: GhContext) {
    const { repo, number, ...fields } = args;
    const data = await performWrite(
      ctx,
      'update_pull_request',
      repo,
      (ref) => `${ref.owner}/${ref.repo}#${number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
            ...ref,
            pull_number: number,
            ...fields,
            request,
          })
        ).data;
      },
    );
    return {
      structured: { number: data.number, state: data.state, url: data.html_url },
      text: `Updated #${data.number} (${data.state}): ${data.html_url}`,
    };
  },
});
