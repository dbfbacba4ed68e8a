import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, bodyArg, CREATE, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Opens a pull request. */
export const createPullRequest = defineGitHubTool({
  name: 'create_pull_request',
  title: 'Create pull request',
  toolset: 'pull_requests',
  scopes: ['repo', 'public_repo'],
  description: 'Opens a pull request from a head branch (owner:branch for forks) into a base branch.',
  input: z.object({
    repo: repoArg,
    title: z.string().min(1).max(256).describe('Title'),
    head: z.string().min(1).max(300).describe('Branch with the changes'),
    base: z.string().min(1).max(255).describe('Branch to merge into'),
    body: bodyArg('Markdown description').optional(),
    draft: z.boolean().default(false).describe('Open as a draft'),
  }),
  output: z.object({ number: z.number(), url: z.string() }),
  annotations: CREATE,
  async handler(args, ctx: GhContext) {
    const { repo, ...fields } = args;
    const data = await performWrite(
      ctx,
      'create_pull_request',
      repo,
      (ref) => `${ref.owner}/${ref.repo}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (await gh.request('POST /repos/{owner}/{repo}/pulls', { ...ref, ...fields, request })).data;
      },
    );
    return {
      structured: { number: data.number, url: data.html_url },
      text: `Opened #${data.number}: ${data.html_url}`,
    };
  },
});
