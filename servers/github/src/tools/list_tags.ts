import * as z from 'zod';
import { line } from './common.js';
import { defineRepoListTool, REPO_LIST_PAGE_SIZE } from './repo-list.js';

/** Tags with the commit they point at. */
export const listTags = defineRepoListTool({
  name: 'list_tags',
  title: 'List tags',
  toolset: 'repos',
  description: `Tags with commit SHA, newest first, ${REPO_LIST_PAGE_SIZE} per page.`,
  item: z.object({ name: z.string(), sha: z.string() }),
  fetch: (gh, params) => gh.request('GET /repos/{owner}/{repo}/tags', params),
  toItem: (t) => ({ name: line(t.name), sha: t.commit.sha }),
  toLine: (t) => `${t.name} ${t.sha.slice(0, 7)}`,
  empty: '(none)',
});
