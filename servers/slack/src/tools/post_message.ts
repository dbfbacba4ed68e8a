import { ADDITIVE_REPEATABLE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { resolveTarget } from '../target.js';
import { channelArg, channelOutput } from './schemas.js';
import { audited, messageTextArg } from './write.js';

/** Posts a new message in a conversation where posting is allowed. */
export const postMessage = defineTool({
  name: 'post_message',
  title: 'Post message',
  description:
    "Posts a new top-level message as the app, in a conversation the server's --allow-post allows (an @user opens a direct message). Link and media unfurling is off unless the operator enabled it. To answer in a thread, use reply_to_thread. Every post is recorded in the audit log (conversation and ts, not the text).",
  input: z.object({
    channel: channelArg('Where to post'),
    text: messageTextArg,
  }),
  output: z.object({
    ...channelOutput,
    ts: z.string().describe('ts of the new message'),
  }),
  annotations: { ...ADDITIVE_REPEATABLE, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const where = { target: args.channel };
    return audited(ctx, 'post_message', where, async () => {
      const target = await resolveTarget(ctx.deps, args.channel, 'post', ctx.signal);
      where.target = target.id;
      const unfurl = ctx.deps.config.unfurl;
      const result = await ctx.deps.api.call<{ ts?: string; channel?: string }>(
        'chat.postMessage',
        { channel: target.id, text: args.text, unfurl_links: unfurl, unfurl_media: unfurl },
        { write: true, signal: ctx.signal },
      );
      const ts = result.ts ?? '';
      where.target = `${target.id}/${ts}`;
      return {
        structured: { channel: target.id, channel_label: target.label, ts },
        text: `Posted to ${target.label} (${target.id}) as ts ${ts}.`,
      };
    });
  },
});
