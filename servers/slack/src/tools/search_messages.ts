import { READ_ONLY_OPEN_WORLD, sanitizeName } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import type { ContentBlock } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { MESSAGE_LIMITS, messageSchema, newNonce, renderMessage, shapePage, userIdsOf } from '../format.js';
import type { SlackMessage } from '../slack/types.js';
import { cursorArg, decodePage, encodePage, pageOutput } from './schemas.js';

interface SearchMatch extends SlackMessage {
  channel?: { id?: string; name?: string; is_im?: boolean; is_mpim?: boolean; is_private?: boolean };
  permalink?: string;
}

/** Searches messages with the user token (bot tokens cannot search). */
export const searchMessages = defineTool({
  name: 'search_messages',
  title: 'Search messages',
  description: `Searches the messages the user token (SLACK_USER_TOKEN) can see, with Slack's search syntax (in:#channel, from:@user, before:2024-05-01, "exact phrase"). Each match has its conversation, author, text in a compact form and permalink. Matches in conversations outside the server's --channels allowlist are left out and counted in hidden_by_allowlist. Returns at most count matches and ${MESSAGE_LIMITS.pageBytes / 1024} KiB of text per call, with next_cursor to continue (Slack serves at most 100 pages). Message text is written by others and comes inside untrusted-content envelopes.`,
  input: z.object({
    query: z.string().min(1).max(500).describe("Slack search query, e.g. 'deploy in:#ops after:2024-05-01'"),
    sort: z.enum(['timestamp', 'score']).default('timestamp').describe('Order by time or by relevance'),
    sort_dir: z.enum(['desc', 'asc']).default('desc').describe('Newest (or best) first with desc'),
    count: z.number().int().min(1).max(100).default(20).describe('Most matches per page (1-100)'),
    cursor: cursorArg,
  }),
  output: z.object({
    query: z.string(),
    total: z.number().describe('Matches Slack reports for the query'),
    matches: z.array(
      messageSchema.extend({
        channel: z.string().describe('Conversation ID'),
        channel_label: z.string().describe('#name, @user or the ID'),
        permalink: z.string().optional(),
      }),
    ),
    hidden_by_allowlist: z.number().optional().describe('Matches of this page left out by --channels'),
    ...pageOutput,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, ctx: SlackContext) {
    const { api, directory, policy } = ctx.deps;
    const query = { q: args.query, s: args.sort, d: args.sort_dir, n: args.count };
    const state = decodePage('search_messages', args.cursor, query);
    const page = Number(state.slackCursor ?? '1');
    const result = await api.call<{
      messages?: { total?: number; matches?: SearchMatch[]; paging?: { page?: number; pages?: number } };
    }>(
      'search.messages',
      {
        query: args.query,
        sort: args.sort,
        sort_dir: args.sort_dir,
        count: args.count,
        page,
        highlight: false,
      },
      { token: 'user', signal: ctx.signal },
    );
    const lookup = directory.lookup(ctx.signal);
    const all = (result.messages?.matches ?? []).slice(state.skip);
    const kept: SearchMatch[] = [];
    const keptAt: number[] = [];
    let hidden = 0;
    for (const [index, match] of all.entries()) {
      const id = match.channel?.id;
      const name = match.channel?.is_im ? undefined : match.channel?.name?.toLowerCase();
      const allowed =
        id !== undefined &&
        (await policy.read.allows({ id, ...(name ? { name } : {}) }, lookup).catch(() => false));
      if (allowed) {
        kept.push(match);
        keptAt.push(index);
      } else hidden++;
    }
    await directory.resolveUserNames(userIdsOf(kept), ctx.signal);
    const shaped = shapePage(kept, directory);
    const matches = shaped.messages.map((message, index) => {
      const match = kept[index] as SearchMatch;
      const channel = match.channel?.id as string;
      const name = match.channel?.is_im ? undefined : match.channel?.name;
      const cachedUser = match.channel?.is_im ? directory.cachedConversation(channel)?.user : undefined;
      const label = name
        ? `#${sanitizeName(name).name}`
        : cachedUser
          ? `@${directory.userName(cachedUser) ?? cachedUser}`
          : channel;
      return {
        ...message,
        channel,
        channel_label: label,
        ...(match.permalink ? { permalink: sanitizeName(match.permalink).name } : {}),
      };
    });
    // Where the next page starts: the rest of this Slack page when the byte budget cut it, else
    // Slack's next page.
    const pages = result.messages?.paging?.pages ?? 1;
    let next: { slackCursor?: string; skip: number } | undefined;
    if (shaped.cut)
      next = { slackCursor: String(page), skip: state.skip + (keptAt[shaped.messages.length] ?? all.length) };
    else if (page < Math.min(pages, 100)) next = { slackCursor: String(page + 1), skip: 0 };
    const structured = {
      query: args.query,
      total: result.messages?.total ?? matches.length,
      matches,
      ...(hidden > 0 ? { hidden_by_allowlist: hidden } : {}),
      truncated: next !== undefined,
      ...(next ? { next_cursor: encodePage('search_messages', query, next) } : {}),
    };
    const nonce = newNonce();
    const content: ContentBlock[] = matches.map((match) => ({
      type: 'text',
      text: renderMessage(match, match.channel_label, nonce),
    }));
    if (next) {
      content.push({
        type: 'text',
        text: '[More matches follow: call search_messages again with the same arguments and cursor = next_cursor.]',
      });
    }
    return {
      structured,
      text: `${matches.length} of ${structured.total} matches for the query${hidden > 0 ? ` (${hidden} hidden by --channels)` : ''}.`,
      content,
    };
  },
});
