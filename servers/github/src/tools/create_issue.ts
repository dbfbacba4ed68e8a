import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, assigneesArg, bodyArg, CREATE, labelsArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Opens an issue. */
export const createIssue = defineGitHubTool({
  name: 'create_issue',
  title: 'Create issue',
  toolset: 'issues',
  scopes: ['repo', 'public_repo'],
  description: 'Opens an issue with title, Markdown body, labels and assignees.',
  input: z.object({
    repo: repoArg,
    title: z.string().min(1).max(256).describe('Title'),
    body: bodyArg('Markdown body').optional(),
    labels: labelsArg.optional().describe('Label names'),
    assignees: assigneesArg.optional().describe('Logins'),
  }),
  output: z.object({ number: z.number(), url: z.string() }),
  annotations: CREATE,
  async handler(args, ctx: GhContext) {
    const { repo, ...fields } = args;
    const data = await performWrite(
      ctx,
      'create_issue',
      repo,
      (ref) => `${ref.owner}/${ref.repo}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (await gh.request('POST /repos/{owner}/{repo}/issues', { ...ref, ...fields, request })).data;
      },
    );
    return {
      structured: { number: data.number, url: data.html_url },
      text: `Created #${data.number}: ${data.html_url}`,
    };
  },
});
