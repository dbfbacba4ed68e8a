import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { performWrite } from '../safety/writes.js';
import { api, bodyArg, CREATE, numberArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Submits a review, optionally with inline comments. */
export const createPullRequestReview = defineGitHubTool({
  name: 'create_pull_request_review',
  title: 'Review pull request',
  toolset: 'pull_requests',
  scopes: ['repo', 'public_repo'],
  description:
    'Submits a review (approve, request changes or comment) with a summary and up to 50 line comments.',
  input: z.object({
    repo: repoArg,
    number: numberArg('Pull request number'),
    event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']).describe('Verdict'),
    body: bodyArg('Markdown summary (required unless APPROVE)').optional(),
    commit_id: z.string().max(64).optional().describe('Head SHA the review is for'),
    comments: z
      .array(
        z.object({
          path: z.string().min(1).max(1024).describe('File path'),
          line: z.number().int().min(1).describe('Line in the new file (LEFT side: old file)'),
          side: z.enum(['LEFT', 'RIGHT']).default('RIGHT').describe('Diff side'),
          body: z.string().min(1).max(65_536).describe('Markdown comment'),
        }),
      )
      .max(50)
      .optional()
      .describe('Inline comments'),
  }),
  output: z.object({ id: z.number(), state: z.string(), url: z.string() }),
  annotations: CREATE,
  async handler(args, ctx: GhContext) {
    const { repo, number, ...fields } = args;
    const data = await performWrite(
      ctx,
      'create_pull_request_review',
      repo,
      (ref) => `${ref.owner}/${ref.repo}#${number}`,
      async (ref) => {
        const { gh, request } = await api(ctx);
        return (
          await gh.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
            ...ref,
            pull_number: number,
            ...fields,
            request,
          })
        ).data;
      },
    );
    return {
      structured: { id: Number(data.id), state: data.state, url: data.html_url },
      text: `Review ${data.state}: ${data.html_url}`,
    };
  },
});
