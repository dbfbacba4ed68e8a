import { decodeCursor, encodeCursor, InvalidCursorError } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import * as z from 'zod';

/**
 * A conversation argument: an ID, `#name` or `@user` (direct message).
 *
 * @param description - what the conversation is for, for `.describe()`
 */
export function channelArg(description: string) {
  return z
    .string()
    .min(2)
    .max(120)
    .describe(`${description}: ID (C0123ABCD), #name, or @user for a direct message`);
}

/**
 * A message timestamp argument (`1712345678.000100`; the `p1712345678000100` form of permalinks
 * is accepted too).
 *
 * @param description - what the message is, for `.describe()`
 */
export function tsArg(description: string) {
  return z
    .string()
    .regex(/^p?\d{1,12}(\.\d{1,6})?$|^p?\d{16}$/, 'a Slack message ts such as 1712345678.000100')
    .describe(`${description} (Slack ts, e.g. 1712345678.000100)`);
}

/** The Slack `ts` a {@link tsArg} names: `p1712345678000100` becomes `1712345678.000100`. */
export function normalizeTs(raw: string): string {
  const digits = raw.replace(/^p/, '');
  if (digits.includes('.') || digits.length !== 16) return digits;
  return `${digits.slice(0, 10)}.${digits.slice(10)}`;
}

/** A time bound: a Slack ts or an ISO 8601 date-time. */
export function timeBoundArg(description: string) {
  return z.string().min(1).max(40).describe(`${description}: Slack ts or ISO 8601 date-time`);
}

/**
 * The Slack ts a {@link timeBoundArg} names.
 *
 * @param raw - a ts or an ISO 8601 date-time
 * @param field - the argument's name, for the error
 * @throws ToolError when it is neither
 */
export function tsOfTimeBound(raw: string, field: string): string {
  if (/^\d{1,12}(\.\d{1,6})?$/.test(raw)) return raw;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ToolError(
      `${field} must be a Slack ts (1712345678.000100) or an ISO 8601 date-time, not "${raw.slice(0, 40)}".`,
    );
  }
  return (ms / 1000).toFixed(6);
}

/** The cursor argument of paginated tools. */
export const cursorArg = z
  .string()
  .max(4096)
  .optional()
  .describe('next_cursor from the previous page of the same call');

/** Pagination fields of every listing's output. */
export const pageOutput = {
  truncated: z.boolean().describe('More follow; pass next_cursor with the same arguments'),
  next_cursor: z.string().optional(),
};

/**
 * Where a page continues: Slack's own cursor (undefined for the first Slack page) and how many
 * items of that Slack page were already returned (when an output budget cut it).
 */
export interface PageState {
  slackCursor?: string;
  skip: number;
}

/**
 * Encodes a continuation cursor bound to the tool and the arguments that define the listing, so
 * a cursor from another tool, conversation or filter is refused.
 *
 * @param kind - the tool name
 * @param query - the defining arguments (not the page size or cursor)
 * @param state - where to continue
 */
export function encodePage(kind: string, query: unknown, state: PageState): string {
  return encodeCursor(kind, {
    q: query,
    ...(state.slackCursor ? { c: state.slackCursor } : {}),
    s: state.skip,
  });
}

/**
 * Decodes a cursor from {@link encodePage}.
 *
 * @returns the state to continue from (the start without a cursor)
 * @throws InvalidCursorError when the cursor is malformed or belongs to another tool or listing
 */
export function decodePage(kind: string, cursor: string | undefined, query: unknown): PageState {
  if (cursor === undefined) return { skip: 0 };
  const state = decodeCursor(kind, cursor);
  if (JSON.stringify(state.q) !== JSON.stringify(query)) {
    throw new InvalidCursorError(
      `The cursor belongs to another ${kind} call; repeat the same arguments or drop the cursor.`,
    );
  }
  const { c, s } = state;
  if (
    (c !== undefined && (typeof c !== 'string' || c.length > 2048)) ||
    typeof s !== 'number' ||
    !Number.isSafeInteger(s) ||
    s < 0 ||
    s > 10_000
  ) {
    throw new InvalidCursorError('The cursor is malformed; pass the next_cursor value exactly as returned.');
  }
  return { ...(c ? { slackCursor: c } : {}), skip: s };
}

/**
 * Where the next page starts after taking `taken` items from a Slack page fetched at `state`.
 *
 * @param state - where this page started
 * @param taken - items of the Slack page returned now
 * @param fetched - items in the Slack page
 * @param nextSlackCursor - Slack's `response_metadata.next_cursor` ('' or undefined at the end)
 * @returns the next state, or undefined at the end
 */
export function nextPage(
  state: PageState,
  taken: number,
  fetched: number,
  nextSlackCursor: string | undefined,
): PageState | undefined {
  const consumed = state.skip + taken;
  if (consumed < fetched)
    return { ...(state.slackCursor ? { slackCursor: state.slackCursor } : {}), skip: consumed };
  return nextSlackCursor ? { slackCursor: nextSlackCursor, skip: 0 } : undefined;
}

/** A channel entry field of outputs: the ID and the label used in text. */
export const channelOutput = {
  channel: z.string().describe('Conversation ID'),
  channel_label: z.string().describe('#name, @user or the ID'),
};
