import { OVERWRITE_IDEMPOTENT } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { changeReaction } from './reaction.js';
import { channelArg, channelOutput, tsArg } from './schemas.js';
import { emojiArg } from './write.js';

/** Removes the app's own emoji reaction, in a conversation where posting is allowed. */
export const removeReaction = defineTool({
  name: 'remove_reaction',
  title: 'Remove reaction',
  description:
    "Removes an emoji reaction that the app added to a message (never anyone else's), in a conversation the server's --allow-post allows. Removing a reaction that is not there changes nothing (removed: false). Recorded in the audit log.",
  input: z.object({
    channel: channelArg('The conversation of the message'),
    ts: tsArg('ts of the message'),
    name: emojiArg,
  }),
  output: z.object({
    ...channelOutput,
    ts: z.string(),
    name: z.string().describe('Emoji name'),
    removed: z.boolean().describe('false when the app had no such reaction on the message'),
  }),
  annotations: { ...OVERWRITE_IDEMPOTENT, openWorldHint: true },
  async handler(args, ctx: SlackContext) {
    const { changed, ...change } = await changeReaction(ctx, 'remove_reaction', args, 'reactions.remove');
    return {
      structured: { ...change, removed: changed },
      text: changed
        ? `Removed :${change.name}: from ${change.ts} in ${change.channel_label}.`
        : `The app had no :${change.name}: on ${change.ts} in ${change.channel_label}.`,
    };
  },
});
