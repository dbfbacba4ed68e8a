import { DESTRUCTIVE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { resolveTarget } from '../target.js';
import { channelArg, channelOutput, normalizeTs, tsArg } from './schemas.js';
import { assertOwnMessage, audited, Declined } from './write.js';

/** Deletes one of the app's own messages. */
export const deleteMessage = defineTool({
  name: 'delete_message',
  title: 'Delete message',
  description:
    "Deletes a message the app itself posted (checked against the token's auth.test identity first; other people's messages are refused), in a conversation the server's --allow-post allows. When the client supports elicitation the user is asked to confirm. Deletion is permanent. Available only with --allow-edit. Recorded in the audit log.",
  input: z.object({
    channel: channelArg('The conversation of the message'),
    ts: tsArg('ts of the message to delete'),
  }),
  output: z.object({
    ...channelOutput,
    ts: z.string(),
    deleted: z.literal(true),
  }),
  annotations: { ...DESTRUCTIVE, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const ts = normalizeTs(args.ts);
    const where = { target: `${args.channel}/${ts}` };
    return audited(ctx, 'delete_message', where, async () => {
      const target = await resolveTarget(ctx.deps, args.channel, 'edit', ctx.signal);
      where.target = `${target.id}/${ts}`;
      await assertOwnMessage(ctx, target.id, ts);
      if (!(await ctx.confirm(`Delete the app's message ${ts} in ${target.label}? This cannot be undone.`))) {
        throw new Declined('Deletion declined by the user.');
      }
      await ctx.deps.api.call('chat.delete', { channel: target.id, ts }, { write: true, signal: ctx.signal });
      return {
        structured: { channel: target.id, channel_label: target.label, ts, deleted: true as const },
        text: `Deleted ${ts} in ${target.label} (${target.id}).`,
      };
    });
  },
});
