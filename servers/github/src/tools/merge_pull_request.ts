import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, IRREVERSIBLE, numberArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Merges a pull request, after the user confirms. */
export const mergePullRequest = defineGitHubTool({
  name: 'merge_pull_request',
  title: 'Merge pull request',
  toolset: 'pull_requests',
  scopes: ['repo', 'public_repo'],
  description:
    'Merges a pull request (merge, squash or rebase), only at sha when given. Irreversible; asks the user to confirm when the client supports elicitation.',
  input: z.object({
    repo: repoArg,
    number: numberArg('Pull request number'),
    method: z.enum(['merge', 'squash', 'rebase']).default('merge').describe('Merge method'),
    sha: z.string().max(64).optional().describe('Expected head SHA'),
    commit_title: z.string().max(256).optional().describe('Merge commit title'),
  }),
  output: z.object({ merged: z.boolean(), sha: z.string() }),
  annotations: IRREVERSIBLE,
  async handler(args, ctx: GhContext) {
    const data = await performWrite(
      ctx,
      'merge_pull_request',
      args.repo,
      (ref) => `${ref.owner}/${ref.repo}#${args.number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
            ...ref,
            pull_number: args.number,
            merge_method: args.method,
            ...(args.sha ? { sha: args.sha } : {}),
            ...(args.commit_title ? { commit_title: args.commit_title } : {}),
            request,
          })
        ).data;
      },
      (ref) =>
        `Merge pull request ${ref.owner}/${ref.repo}#${args.number} (${args.method})? This cannot be undone.`,
    );
    return {
      structured: { merged: data.merged, sha: data.sha },
      text: data.merged ? `Merged #${args.number} as ${data.sha}.` : `Not merged: ${data.message}`,
    };
  },
});
