import * as z from 'zod';
import { line } from './common.js';
import { defineRepoListTool, REPO_LIST_PAGE_SIZE } from './repo-list.js';

/** Branches with their head commit. */
export const listBranches = defineRepoListTool({
  name: 'list_branches',
  title: 'List branches',
  toolset: 'repos',
  description: `Branches with head SHA and protection, ${REPO_LIST_PAGE_SIZE} per page.`,
  item: z.object({ name: z.string(), sha: z.string(), protected: z.boolean() }),
  fetch: (gh, params) => gh.request('GET /repos/{owner}/{repo}/branches', params),
  toItem: (b) => ({ name: line(b.name), sha: b.commit.sha, protected: b.protected }),
  toLine: (b) => `${b.name} ${b.sha.slice(0, 7)}${b.protected ? ' (protected)' : ''}`,
  empty: '(none)',
});
