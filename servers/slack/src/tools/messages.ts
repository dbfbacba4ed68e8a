import type { ContentBlock } from '@modelcontextprotocol/server';
import type { SlackContext } from '../deps.js';
import { type MessageOut, newNonce, renderMessage, shapePage, userIdsOf } from '../format.js';
import type { SlackMessage } from '../slack/types.js';
import { labelOf, type Target } from '../target.js';
import { nextPage, type PageState } from './schemas.js';

/** Slack's largest `limit` for conversations.history and conversations.replies. */
const SLACK_MAX_LIMIT = 999;

/**
 * Reads one page of messages (`conversations.history` or `conversations.replies`) from `state`:
 * names the authors and mentioned users (cached, else a bounded batch of lookups), shapes the
 * messages and stops at the page byte budget. Learns the conversation's name in parallel when it
 * is not cached, for the envelopes.
 *
 * @param ctx - the tool context
 * @param method - the Web API method
 * @param target - the checked conversation
 * @param args - the method's other arguments (oldest, latest, ts, ...)
 * @param state - where to continue
 * @param limit - most messages to return
 * @returns the messages, where the next page starts (undefined at the end) and the conversation's label
 */
export async function readMessagePage(
  ctx: SlackContext,
  method: 'conversations.history' | 'conversations.replies',
  target: Target,
  args: Record<string, unknown>,
  state: PageState,
  limit: number,
): Promise<{ messages: MessageOut[]; next: PageState | undefined; label: string }> {
  const { api, directory } = ctx.deps;
  const naming =
    target.label === target.id
      ? directory.conversation(target.id, ctx.signal).catch(() => undefined)
      : undefined;
  const result = await api.call<{ messages?: SlackMessage[]; has_more?: boolean }>(
    method,
    {
      channel: target.id,
      ...args,
      limit: Math.min(limit + state.skip, SLACK_MAX_LIMIT),
      ...(state.slackCursor ? { cursor: state.slackCursor } : {}),
    },
    { signal: ctx.signal },
  );
  const raw = result.messages ?? [];
  directory.rememberAuthors(raw);
  const slice = raw.slice(state.skip, state.skip + limit);
  await Promise.all([directory.resolveUserNames(userIdsOf(slice), ctx.signal), naming]);
  const page = shapePage(slice, directory);
  const slackNext = result.response_metadata?.next_cursor || undefined;
  return {
    messages: page.messages,
    next: nextPage(state, page.messages.length, raw.length, slackNext),
    label: labelOf(ctx.deps, target),
  };
}

/**
 * The text content of a message listing: a header line, one envelope per message (the author,
 * human or bot, and the conversation in its attributes), and how to continue.
 *
 * @param header - first line (what this is)
 * @param messages - shaped messages
 * @param label - the conversation label
 * @param more - whether a next page exists
 * @param tool - the tool name, for the continuation hint
 * @returns the text and the extra content blocks
 */
export function renderMessages(
  header: string,
  messages: readonly MessageOut[],
  label: string,
  more: boolean,
  tool: string,
): { text: string; content: ContentBlock[] } {
  const nonce = newNonce();
  const content: ContentBlock[] = messages.map((message) => ({
    type: 'text',
    text: renderMessage(message, label, nonce),
  }));
  if (more) {
    content.push({
      type: 'text',
      text: `[More messages follow: call ${tool} again with the same arguments and cursor = next_cursor.]`,
    });
  }
  return { text: header, content };
}
