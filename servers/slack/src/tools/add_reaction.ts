import { ADDITIVE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { changeReaction } from './reaction.js';
import { channelArg, channelOutput, tsArg } from './schemas.js';
import { emojiArg } from './write.js';

/** Adds an emoji reaction, in a conversation where posting is allowed. */
export const addReaction = defineTool({
  name: 'add_reaction',
  title: 'Add reaction',
  description:
    "Adds an emoji reaction from the app to a message, in a conversation the server's --allow-post allows. Adding a reaction that is already there changes nothing (added: false). Recorded in the audit log.",
  input: z.object({
    channel: channelArg('The conversation of the message'),
    ts: tsArg('ts of the message'),
    name: emojiArg,
  }),
  output: z.object({
    ...channelOutput,
    ts: z.string(),
    name: z.string().describe('Emoji name'),
    added: z.boolean().describe('false when the app had already added this reaction'),
  }),
  annotations: { ...ADDITIVE, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const { changed, ...change } = await changeReaction(ctx, 'add_reaction', args, 'reactions.add');
    return {
      structured: { ...change, added: changed },
      text: changed
        ? `Added :${change.name}: to ${change.ts} in ${change.channel_label}.`
        : `:${change.name}: was already on ${change.ts} in ${change.channel_label}.`,
    };
  },
});
