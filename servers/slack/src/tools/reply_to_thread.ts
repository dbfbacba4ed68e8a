import { ADDITIVE_REPEATABLE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { resolveTarget } from '../target.js';
import { channelArg, channelOutput, normalizeTs, tsArg } from './schemas.js';
import { audited, messageTextArg } from './write.js';

/** Replies in a thread, in a conversation where posting is allowed. */
export const replyToThread = defineTool({
  name: 'reply_to_thread',
  title: 'Reply to thread',
  description:
    "Posts a reply in the thread of a message, as the app, in a conversation the server's --allow-post allows. thread_ts is the ts of the thread parent (a top-level message); broadcast also shows the reply in the conversation. Link and media unfurling is off unless the operator enabled it. Every reply is recorded in the audit log (conversation and ts, not the text).",
  input: z.object({
    channel: channelArg('The conversation of the thread'),
    thread_ts: tsArg('ts of the thread parent'),
    text: messageTextArg,
    broadcast: z.boolean().default(false).describe('Also show the reply in the conversation'),
  }),
  output: z.object({
    ...channelOutput,
    thread_ts: z.string(),
    ts: z.string().describe('ts of the reply'),
  }),
  annotations: { ...ADDITIVE_REPEATABLE, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const threadTs = normalizeTs(args.thread_ts);
    const where = { target: `${args.channel}/${threadTs}` };
    return audited(ctx, 'reply_to_thread', where, async () => {
      const target = await resolveTarget(ctx.deps, args.channel, 'post', ctx.signal);
      where.target = `${target.id}/${threadTs}`;
      const unfurl = ctx.deps.config.unfurl;
      const result = await ctx.deps.api.call<{ ts?: string }>(
        'chat.postMessage',
        {
          channel: target.id,
          thread_ts: threadTs,
          text: args.text,
          reply_broadcast: args.broadcast,
          unfurl_links: unfurl,
          unfurl_media: unfurl,
        },
        { write: true, signal: ctx.signal },
      );
      const ts = result.ts ?? '';
      where.target = `${target.id}/${ts}`;
      return {
        structured: { channel: target.id, channel_label: target.label, thread_ts: threadTs, ts },
        text: `Replied in thread ${threadTs} of ${target.label} (${target.id}) as ts ${ts}.`,
      };
    });
  },
});
