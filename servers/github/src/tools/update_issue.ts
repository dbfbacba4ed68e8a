import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, assigneesArg, bodyArg, labelsArg, numberArg, repoArg, UPDATE } from './common.js';
import { defineGitHubTool } from './define.js';

/** Edits an issue: title, body, state, labels, assignees. */
export const updateIssue = defineGitHubTool({
  name: 'update_issue',
  title: 'Update issue',
  toolset: 'issues',
  scopes: ['repo', 'public_repo'],
  description:
    'Sets the given fields of an issue or PR conversation; labels and assignees replace the current sets.',
  input: z.object({
    repo: repoArg,
    number: numberArg('Issue number'),
    title: z.string().min(1).max(256).optional().describe('New title'),
    body: bodyArg('New Markdown body').optional(),
    state: z.enum(['open', 'closed']).optional().describe('New state'),
    state_reason: z
      .enum(['completed', 'not_planned', 'reopened'])
      .optional()
      .describe('Why it was closed or reopened'),
    labels: labelsArg.optional().describe('All labels after the change'),
    assignees: assigneesArg.optional().describe('All assignees after the change'),
  }),
  output: z.object({ number: z.number(), state: z.string(), url: z.string() }),
  annotations: UPDATE,
  async handler(args, ctx: GhContext) {
    const { repo, number, ...fields } = args;
    const data = await performWrite(
      ctx,
      'update_issue',
      repo,
      (ref) => `${ref.owner}/${ref.repo}#${number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
            ...ref,
            issue_number: number,
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
