import {
  ADDITIVE,
  ADDITIVE_REPEATABLE,
  DESTRUCTIVE,
  decodePageCursor,
  encodePageCursor,
  OVERWRITE_IDEMPOTENT,
  READ_ONLY_OPEN_WORLD,
  sanitizeName,
  type ToolHints,
} from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import type { Octokit } from '@octokit/rest';
import * as z from 'zod';
import type { GhContext } from '../deps.js';

/** Items per page of a listing (GitHub's default page size). */
export const PAGE_SIZE = 30;
/** Wall-clock limit of one tool call, retries included (milliseconds). */
export const CALL_TIMEOUT_MS = 120_000;

/** Annotations: every GitHub tool reaches the open world (other people's repositories). */
export const READ: ToolHints = READ_ONLY_OPEN_WORLD;
/** Creates something new; repeating creates another (issues, comments, pull requests, reviews). */
export const CREATE: ToolHints = { ...ADDITIVE_REPEATABLE, openWorldHint: true };
/** Adds to what exists; repeating changes nothing more (update a branch from its base). */
export const ADD: ToolHints = { ...ADDITIVE, openWorldHint: true };
/** Overwrites fields to given values (edit an issue or a pull request). */
export const UPDATE: ToolHints = { ...OVERWRITE_IDEMPOTENT, openWorldHint: true };
/** Irreversible (merge). */
export const IRREVERSIBLE: ToolHints = { ...DESTRUCTIVE, openWorldHint: true };

/** The `repo` argument of every repository tool. */
export const repoArg = z.string().max(140).describe('owner/name');
/** An issue or pull request number. */
export const numberArg = (what: string) => z.number().int().min(1).max(2_147_483_647).describe(what);
/** A numeric id (runs, jobs). */
export const idArg = (what: string) => z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe(what);
/** The continuation cursor of a paginated tool. */
export const cursorArg = z.string().max(8192).optional().describe('From next_cursor');
/** A branch, tag or commit SHA. */
export const refArg = (what: string) => z.string().min(1).max(255).optional().describe(what);

/** The pagination contract of every read tool: a page of items, the cursor that continues it, whether more exist. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return { items: z.array(item), next_cursor: z.string().optional(), truncated: z.boolean() };
}

/** Who wrote a text and the text in its envelope (see BodyRenderer). */
export const authored = {
  author: z.string(),
  author_association: z.string(),
  trusted: z.boolean(),
  body: z.string().nullable(),
  withheld: z.boolean().optional(),
};

/**
 * Where a page starts. The cursor is bound to the call's other arguments.
 *
 * @param tool - tool name (the cursor kind)
 * @param args - the call's arguments; `cursor` is read, the rest is the query
 * @param size - items per page
 * @returns the GitHub page number (1-based), the offset of its first item and the query
 * @throws InvalidCursorError for a cursor of another tool or other arguments
 */
export function openPage(tool: string, args: { cursor?: string | undefined }, size = PAGE_SIZE) {
  const { cursor, ...query } = args;
  const offset = decodePageCursor(tool, cursor, query);
  return { page: Math.floor(offset / size) + 1, offset: offset - (offset % size), query, size };
}

/**
 * The end of a page: `next_cursor` when more follow, and `truncated`.
 *
 * @param page - from {@link openPage}
 * @param more - whether GitHub has another page (see {@link hasNextPage})
 */
export function closePage(
  tool: string,
  page: ReturnType<typeof openPage>,
  more: boolean,
): { next_cursor?: string; truncated: boolean } {
  return more
    ? { next_cursor: encodePageCursor(tool, page.query, page.offset + page.size), truncated: true }
    : { truncated: false };
}

/** Whether a GitHub response's `Link` header names a next page. */
export function hasNextPage(headers: { link?: string | undefined }): boolean {
  return /rel="next"/.test(headers.link ?? '');
}

/** See {@link api}. */
export interface CallApi {
  gh: Octokit;
  /** Pass as `request` in every call's parameters. */
  request: { signal: AbortSignal };
  signal: AbortSignal;
}

/**
 * The Octokit client and per-request options for one tool call: the call's abort signal joined
 * with {@link CALL_TIMEOUT_MS}.
 */
export async function api(ctx: GhContext): Promise<CallApi> {
  const gh = await ctx.deps.client();
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]);
  return { gh, request: { signal }, signal };
}

/** Untrusted text shown on one line (titles, names, paths): hidden characters removed, line breaks escaped. */
export function line(text: string | null | undefined): string {
  return sanitizeName(text ?? '').name;
}

/** A login, or `ghost` for a deleted account. */
export function login(user: { login?: string } | null | undefined): string {
  return line(user?.login ?? 'ghost');
}

/** The text line that ends a listing: the cursor that continues it, or nothing. */
export function moreLine(result: { next_cursor?: string; truncated: boolean }): string[] {
  if (result.next_cursor) return [`(more: next_cursor ${result.next_cursor})`];
  return result.truncated ? ['(truncated; no continuation)'] : [];
}

/**
 * Checks one URL path segment taken from an argument (a ref, a branch). `.` and `..` are refused:
 * the URL parser would resolve them and the request could leave the repository it was checked for.
 *
 * @throws ToolError for `.`, `..` or an empty segment
 */
export function safeSegment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new ToolError(`"${value}" is not a valid ${what}.`);
  }
  return value;
}

/**
 * Percent-encodes a repository path segment by segment (slashes kept). Empty, `.` and `..`
 * segments are refused (see {@link safeSegment}); leading and trailing slashes are dropped.
 *
 * @param path - e.g. `src/index.ts`; empty for the repository root
 * @throws ToolError for a path with `.` or `..` segments or empty segments
 */
export function encodeRepoPath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  return trimmed
    .split('/')
    .map((segment) => encodeURIComponent(safeSegment(segment, 'path segment')))
    .join('/');
}

/** GitHub's search returns at most this many results per query. */
export const SEARCH_RESULT_LIMIT = 1000;

/** {@link closePage} for searches: no cursor past GitHub's {@link SEARCH_RESULT_LIMIT}. */
export function closeSearchPage(tool: string, page: ReturnType<typeof openPage>, more: boolean) {
  const result = closePage(tool, page, more);
  if (more && page.offset + page.size >= SEARCH_RESULT_LIMIT) return { truncated: true };
  return result;
}

/** Label names for create and update (each 1-50 characters, at most 100). */
export const labelsArg = z.array(z.string().min(1).max(50)).max(100);
/** Logins for assignees (at most 10, GitHub's limit). */
export const assigneesArg = z.array(z.string().min(1).max(39)).max(10);
/** A Markdown body (GitHub's limit is 65,536 characters). */
export const bodyArg = (what: string) => z.string().max(65_536).describe(what);
