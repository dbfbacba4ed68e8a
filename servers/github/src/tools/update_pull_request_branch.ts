import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { ADD, api, numberArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Merges the base branch into a pull request's head branch. */
export const updatePullRequestBranch = defineGitHubTool({
  name: 'update_pull_request_branch',
  title: 'Update pull request branch',
  toolset: 'pull_requests',
  scopes: ['repo', 'public_repo'],
  description:
    "Merges the base branch into a pull request's head branch, asynchronously; only at expected_head_sha when given.",
  input: z.object({
    repo: repoArg,
    number: numberArg('Pull request number'),
    expected_head_sha: z.string().max(64).optional().describe('Expected head SHA'),
  }),
  output: z.object({ message: z.string() }),
  annotations: ADD,
  async handler(args, ctx: GhContext) {
    const data = await performWrite(
      ctx,
      'update_pull_request_branch',
      args.repo,
      (ref) => `${ref.owner}/${ref.repo}#${args.number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch', {
            ...ref,
            pull_number: args.number,
            ...(args.expected_head_sha ? { expected_head_sha: args.expected_head_sha } : {}),
            request,
          })
        ).data;
      },
    );
    const message = String(data.message ?? 'Updating pull request branch.');
    return { structured: { message }, text: message };
  },
});
