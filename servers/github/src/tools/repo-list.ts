import type { Octokit } from '@octokit/rest';
import * as z from 'zod';
import type { GhContext } from '../deps.js';
import {
  api,
  closePage,
  cursorArg,
  hasNextPage,
  moreLine,
  openPage,
  pageOf,
  READ,
  repoArg,
} from './common.js';
import { defineGitHubTool } from './define.js';
import type { ToolsetName } from './toolsets.js';

/** Items per page of a repository listing (GitHub's largest `per_page`). */
export const REPO_LIST_PAGE_SIZE = 100;

/**
 * The parameters every repository listing sends: the repository, the page, the call's signal.
 * A type alias rather than an interface, so that it fits Octokit's index-signature parameters.
 */
export type RepoListParams = {
  owner: string;
  repo: string;
  per_page: number;
  page: number;
  request: { signal: AbortSignal };
};

/**
 * A tool that lists one kind of thing in one repository (branches, tags, labels): its names, the
 * schema of one item, and how to fetch, convert and print items. Everything else is shared: the
 * allowlist check, the page cursor, the session guard's note of the read and the result shape.
 *
 * @typeParam Item - zod schema of one item of the structured result
 * @typeParam Raw - one element of GitHub's response array
 */
export interface RepoListSpec<Item extends z.ZodObject, Raw> {
  name: string;
  title: string;
  toolset: ToolsetName;
  /** What the tool lists, with the page size ({@link REPO_LIST_PAGE_SIZE}). */
  description: string;
  item: Item;
  /** The GET, e.g. `gh.request('GET /repos/{owner}/{repo}/tags', params)`, typed by its route. */
  fetch: (gh: Octokit, params: RepoListParams) => Promise<{ data: Raw[]; headers: { link?: string } }>;
  /** One item of the structured result; untrusted text goes through `line`. */
  toItem: (raw: Raw) => z.infer<Item>;
  /** One item's line of the text result. */
  toLine: (item: z.infer<Item>) => string;
  /** The text result when the repository has none. */
  empty: string;
}

/**
 * Declares a repository listing tool: input `{ repo, cursor }`, output `pageOf(item)`, read-only
 * and open-world, no token scope needed beyond reading the repository,
 * {@link REPO_LIST_PAGE_SIZE} items per call.
 *
 * @param spec - what differs between listings
 * @returns the GitHub tool
 * @throws (from the handler) ToolError for a repository outside the allowlist or a bad cursor;
 *   GitHub's errors become one-line results (see defineGitHubTool)
 */
export function defineRepoListTool<Item extends z.ZodObject, Raw>(spec: RepoListSpec<Item, Raw>) {
  return defineGitHubTool({
    name: spec.name,
    title: spec.title,
    toolset: spec.toolset,
    scopes: [],
    description: spec.description,
    input: z.object({ repo: repoArg, cursor: cursorArg }),
    output: z.object({ ...pageOf(spec.item) }),
    annotations: READ,
    async handler(args, ctx: GhContext) {
      const ref = ctx.deps.allowlist.check(args.repo);
      const page = openPage(spec.name, args, REPO_LIST_PAGE_SIZE);
      const { gh, request } = await api(ctx);
      const { data, headers } = await spec.fetch(gh, {
        ...ref,
        per_page: REPO_LIST_PAGE_SIZE,
        page: page.page,
        request,
      });
      ctx.deps.session.noteRead(ref.owner, ref.repo);
      const items = data.map(spec.toItem);
      const structured = { items, ...closePage(spec.name, page, hasNextPage(headers)) };
      const lines = items.map(spec.toLine);
      return { structured, text: [...lines, ...moreLine(structured)].join('\n') || spec.empty };
    },
  });
}
