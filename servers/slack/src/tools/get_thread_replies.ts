import { READ_ONLY_OPEN_WORLD } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { MESSAGE_LIMITS, messageSchema } from '../format.js';
import { resolveTarget } from '../target.js';
import { readMessagePage, renderMessages } from './messages.js';
import {
  channelArg,
  channelOutput,
  cursorArg,
  decodePage,
  encodePage,
  normalizeTs,
  pageOutput,
  tsArg,
} from './schemas.js';

/** Reads one thread: the parent message, then the replies oldest first, paginated. */
export const getThreadReplies = defineTool({
  name: 'get_thread_replies',
  title: 'Get thread replies',
  description: `Reads one thread: the parent message first, then its replies oldest first, with authors named and text in a compact form. thread_ts is the ts of the parent (a message with reply_count in get_channel_history). Returns at most limit messages and ${MESSAGE_LIMITS.pageBytes / 1024} KiB of text per call, with next_cursor to continue. Message text is written by others and comes inside untrusted-content envelopes.`,
  input: z.object({
    channel: channelArg('The conversation of the thread'),
    thread_ts: tsArg('ts of the thread parent'),
    limit: z.number().int().min(1).max(200).default(100).describe('Most messages to return (1-200)'),
    cursor: cursorArg,
  }),
  output: z.object({
    ...channelOutput,
    thread_ts: z.string(),
    messages: z
      .array(messageSchema)
      .describe('The parent first (on the first page), then replies oldest first'),
    ...pageOutput,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, ctx: SlackContext) {
    const threadTs = normalizeTs(args.thread_ts);
    const query = { ch: args.channel, t: threadTs };
    const state = decodePage('get_thread_replies', args.cursor, query);
    const target = await resolveTarget(ctx.deps, args.channel, 'read', ctx.signal);
    const page = await readMessagePage(
      ctx,
      'conversations.replies',
      target,
      { ts: threadTs },
      state,
      args.limit,
    );
    const structured = {
      channel: target.id,
      channel_label: page.label,
      thread_ts: threadTs,
      messages: page.messages,
      truncated: page.next !== undefined,
      ...(page.next ? { next_cursor: encodePage('get_thread_replies', query, page.next) } : {}),
    };
    const header = `Thread ${threadTs} in ${page.label} (${target.id}): ${page.messages.length} message${page.messages.length === 1 ? '' : 's'}, oldest first.`;
    return {
      structured,
      ...renderMessages(header, page.messages, page.label, page.next !== undefined, 'get_thread_replies'),
    };
  },
});
