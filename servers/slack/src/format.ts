import { sanitizeName, stripUnsafeText, truncateUtf8, wrapUntrusted } from '@bulwark/hardening';
import * as z from 'zod';
import type { SlackDirectory } from './directory.js';
import type { SlackMessage } from './slack/types.js';

/** Output budgets of message listings. */
export const MESSAGE_LIMITS = {
  /** UTF-8 bytes of one message's text; longer text is cut and marked `text_truncated`. */
  messageBytes: 8 * 1024,
  /** UTF-8 bytes of message text in one page; a page that reaches it ends there with a cursor. */
  pageBytes: 128 * 1024,
  /** Attachments and files listed per message. */
  attachments: 5,
} as const;

/** One message as the tools return it. */
export const messageSchema = z.object({
  ts: z.string().describe('Message ID within the conversation'),
  time: z.string().describe('ISO 8601 UTC'),
  author: z.string().describe('Display name, else the ID'),
  author_id: z.string().optional(),
  author_kind: z.enum(['human', 'bot']),
  text: z.string().describe('Compact text: @name, #channel, label (url); hidden characters removed'),
  text_truncated: z.boolean().optional().describe('Cut at the per-message budget'),
  subtype: z.string().optional(),
  thread_ts: z.string().optional().describe('Thread parent ts'),
  reply_count: z.number().optional().describe('Replies, on a thread parent'),
  latest_reply: z.string().optional(),
  edited: z.boolean().optional(),
  reactions: z.array(z.object({ name: z.string(), count: z.number() })).optional(),
  files: z.array(z.object({ name: z.string(), mimetype: z.string().optional() })).optional(),
});

/** A message as the tools return it. */
export type MessageOut = z.infer<typeof messageSchema>;

/**
 * The user IDs a page of messages needs names for: authors and `<@U...>` mentions without a label.
 *
 * @param messages - raw messages
 */
export function userIdsOf(messages: readonly SlackMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const message of messages) {
    if (message.user) ids.add(message.user);
    for (const match of (message.text ?? '').matchAll(/<@([UW][A-Z0-9]{2,20})>/g))
      ids.add(match[1] as string);
  }
  return ids;
}

/**
 * Turns Slack's mrkdwn control sequences into compact plain text: `<@U123>` becomes `@name`,
 * `<#C123|general>` `#general`, `<!here>` `@here`, `<https://x|label>` `label (https://x)`,
 * `<mailto:a@b|a@b>` `a@b`, `<!date^...|fallback>` its fallback; then `&lt;`, `&gt;` and `&amp;`
 * are decoded (https://docs.slack.dev/messaging/formatting-message-text). Names come from the
 * directory's cache; an unknown one stays an ID.
 *
 * @param text - message text as Slack sends it
 * @param directory - cached names
 * @returns the compact text (hidden characters are removed later)
 */
export function compactText(
  text: string,
  directory: Pick<SlackDirectory, 'userName' | 'channelName'>,
): string {
  const replaced = text.replace(/<([^<>\n]{1,2000})>/g, (whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `@${label?.replace(/^@/, '') || directory.userName(id) || id}`;
    }
    if (target.startsWith('#')) {
      const id = target.slice(1);
      return `#${label || directory.channelName(id) || id}`;
    }
    if (target.startsWith('!')) {
      const command = target.slice(1);
      if (command === 'here' || command === 'channel' || command === 'everyone') return `@${command}`;
      if (command.startsWith('subteam^')) return label ? `@${label.replace(/^@/, '')}` : '@group';
      return label ?? whole;
    }
    const url = target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
    return !label || label === url || label === target ? url : `${label} (${url})`;
  });
  return replaced.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `1700000060.000100` as `2023-11-14T22:14:20Z` (whole seconds); the ts itself when malformed. */
export function timeOfTs(ts: string): string {
  const seconds = Number(ts);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 1e11) return ts;
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Shapes one raw message: author named (human or bot), text compacted, cleaned of invisible,
 * bidi and tag characters and cut to the per-message budget, thread and reactions marked, and
 * attachments and files summarised.
 *
 * @param message - raw message
 * @param directory - cached names
 * @returns the message
 */
export function shapeMessage(
  message: SlackMessage,
  directory: Pick<SlackDirectory, 'userName' | 'channelName'>,
): MessageOut {
  const isBot = Boolean(message.bot_id) || message.subtype === 'bot_message';
  const authorId = message.user ?? message.bot_id;
  const botName = message.bot_profile?.name || message.username;
  const author = sanitizeName(
    (message.user ? directory.userName(message.user) : undefined) ?? botName ?? authorId ?? 'unknown',
  ).name;
  const parts = [compactText(message.text ?? '', directory)];
  for (const attachment of (message.attachments ?? []).slice(0, MESSAGE_LIMITS.attachments)) {
    const body = attachment.text || attachment.fallback || attachment.title || attachment.pretext;
    if (body) parts.push(`[attachment] ${compactText(body, directory)}`);
  }
  const files = (message.files ?? []).slice(0, MESSAGE_LIMITS.attachments).map((file) => ({
    name: sanitizeName(file.name || file.title || 'file').name,
    ...(file.mimetype ? { mimetype: sanitizeName(file.mimetype).name } : {}),
  }));
  for (const file of files) parts.push(`[file: ${file.name}]`);
  const cut = truncateUtf8(
    stripUnsafeText(parts.filter(Boolean).join('\n')).text,
    MESSAGE_LIMITS.messageBytes,
  );
  const reactions = (message.reactions ?? [])
    .filter((reaction) => reaction.name)
    .map((reaction) => ({ name: sanitizeName(reaction.name as string).name, count: reaction.count ?? 0 }));
  const ts = message.ts ?? '';
  return {
    ts,
    time: timeOfTs(ts),
    author,
    ...(authorId ? { author_id: authorId } : {}),
    author_kind: isBot ? 'bot' : 'human',
    text: cut.text,
    ...(cut.truncated ? { text_truncated: true } : {}),
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.reply_count ? { reply_count: message.reply_count } : {}),
    ...(message.latest_reply ? { latest_reply: message.latest_reply } : {}),
    ...(message.edited ? { edited: true } : {}),
    ...(reactions.length > 0 ? { reactions } : {}),
    ...(files.length > 0 ? { files } : {}),
  };
}

/**
 * Shapes messages up to the page byte budget (always at least one).
 *
 * @param messages - raw messages in the order to return them
 * @param directory - cached names
 * @returns the shaped messages and whether the budget stopped the page early
 */
export function shapePage(
  messages: readonly SlackMessage[],
  directory: Pick<SlackDirectory, 'userName' | 'channelName'>,
): { messages: MessageOut[]; cut: boolean } {
  const shaped: MessageOut[] = [];
  let bytes = 0;
  for (const message of messages) {
    const out = shapeMessage(message, directory);
    bytes += Buffer.byteLength(out.text);
    if (shaped.length > 0 && bytes > MESSAGE_LIMITS.pageBytes) return { messages: shaped, cut: true };
    shaped.push(out);
  }
  return { messages: shaped, cut: false };
}

/**
 * Renders one message as an untrusted-content envelope that names the conversation, the author
 * and whether a human or a bot wrote it, the time, and its place in a thread.
 *
 * @param message - a shaped message
 * @param source - the conversation label (`#general`, `@alice`, `C0123`)
 * @param nonce - delimiter nonce shared by one answer's envelopes
 */
export function renderMessage(message: MessageOut, source: string, nonce: string): string {
  let thread: string | undefined;
  if (message.reply_count) thread = `starts a thread of ${message.reply_count} replies`;
  else if (message.thread_ts && message.thread_ts !== message.ts)
    thread = `reply in thread ${message.thread_ts}`;
  return wrapUntrusted(
    message.text,
    {
      source: `Slack ${source}`,
      author: message.author,
      ...(message.author_id ? { author_id: message.author_id } : {}),
      kind: message.author_kind,
      ts: message.ts,
      time: message.time,
      ...(thread ? { thread } : {}),
      ...(message.reactions
        ? { reactions: message.reactions.map((r) => `:${r.name}: ${r.count}`).join(' ') }
        : {}),
      ...(message.edited ? { edited: 'yes' } : {}),
    },
    nonce,
  );
}

/** A fresh delimiter nonce for one answer (8 hex digits, as `wrapUntrusted` makes). */
export function newNonce(): string {
  return crypto.randomUUID().slice(0, 8);
}
