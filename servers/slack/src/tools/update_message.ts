import { OVERWRITE_IDEMPOTENT } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { resolveTarget } from '../target.js';
import { channelArg, channelOutput, normalizeTs, tsArg } from './schemas.js';
import { assertOwnMessage, audited, messageTextArg } from './write.js';

/** Replaces the text of one of the app's own messages. */
export const updateMessage = defineTool({
  name: 'update_message',
  title: 'Edit message',
  description:
    "Replaces the text of a message the app itself posted (checked against the token's auth.test identity before editing; other people's messages are refused), in a conversation the server's --allow-post allows. Available only with --allow-edit. Recorded in the audit log (conversation and ts, not the text).",
  input: z.object({
    channel: channelArg('The conversation of the message'),
    ts: tsArg('ts of the message to edit'),
    text: messageTextArg,
  }),
  output: z.object({
    ...channelOutput,
    ts: z.string(),
    updated: z.literal(true),
  }),
  annotations: { ...OVERWRITE_IDEMPOTENT, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const ts = normalizeTs(args.ts);
    const where = { target: `${args.channel}/${ts}` };
    return audited(ctx, 'update_message', where, async () => {
      const target = await resolveTarget(ctx.deps, args.channel, 'edit', ctx.signal);
      where.target = `${target.id}/${ts}`;
      await assertOwnMessage(ctx, target.id, ts);
      await ctx.deps.api.call(
        'chat.update',
        { channel: target.id, ts, text: args.text },
        { write: true, signal: ctx.signal },
      );
      return {
        structured: { channel: target.id, channel_label: target.label, ts, updated: true as const },
        text: `Edited ${ts} in ${target.label} (${target.id}).`,
      };
    });
  },
});
