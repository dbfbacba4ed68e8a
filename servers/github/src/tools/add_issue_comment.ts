import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, CREATE, numberArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Comments on an issue or pull request. */
export const addIssueComment = defineGitHubTool({
  name: 'add_issue_comment',
  title: 'Add comment',
  toolset: 'issues',
  scopes: ['repo', 'public_repo'],
  description: 'Comments on an issue or pull request.',
  input: z.object({
    repo: repoArg,
    number: numberArg('Issue or pull request number'),
    body: z.string().min(1).max(65_536).describe('Markdown comment'),
  }),
  output: z.object({ id: z.number(), url: z.string() }),
  annotations: CREATE,
  async handler(args, ctx: GhContext) {
    const data = await performWrite(
      ctx,
      'add_issue_comment',
      args.repo,
      (ref) => `${ref.owner}/${ref.repo}#${args.number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...ref,
            issue_number: args.number,
            body: args.body,
            request,
          })
        ).data;
      },
    );
    return { structured: { id: Number(data.id), url: data.html_url }, text: `Commented: ${data.html_url}` };
  },
});
