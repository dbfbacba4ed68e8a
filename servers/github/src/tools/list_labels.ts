import * as z from 'zod';
import { line } from './common.js';
import { defineRepoListTool, REPO_LIST_PAGE_SIZE } from './repo-list.js';

/** The labels a repository defines. */
export const listLabels = defineRepoListTool({
  name: 'list_labels',
  title: 'List labels',
  toolset: 'issues',
  description: `A repository's labels: name, color, description. ${REPO_LIST_PAGE_SIZE} per page.`,
  item: z.object({ name: z.string(), color: z.string(), description: z.string().nullable() }),
  fetch: (gh, params) => gh.request('GET /repos/{owner}/{repo}/labels', params),
  toItem: (l) => ({
    name: line(l.name),
    color: l.color,
    description: l.description ? line(l.description) : null,
  }),
  toLine: (l) => `${l.name} #${l.color}${l.description ? ` - ${l.description}` : ''}`,
  empty: '(no labels)',
});
