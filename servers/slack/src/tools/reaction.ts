import type { SlackContext } from '../deps.js';
import { SlackCallError } from '../slack/errors.js';
import { resolveTarget } from '../target.js';
import { normalizeTs } from './schemas.js';
import { audited, emojiName } from './write.js';

/** A reaction change as `add_reaction` and `remove_reaction` report it. */
export interface ReactionChange {
  channel: string;
  channel_label: string;
  ts: string;
  name: string;
  /** False when the call changed nothing (already there, or not there). */
  changed: boolean;
}

/**
 * Adds or removes the app's reaction on a message, audited, in a conversation where posting is
 * allowed. Slack's "nothing to do" answers (`already_reacted`, `no_reaction`) are not failures:
 * they come back as `changed: false`.
 *
 * @param ctx - the tool context
 * @param tool - the calling tool's name, for the audit log
 * @param args - conversation, message ts and emoji name as the tool received them
 * @param method - `reactions.add` or `reactions.remove`
 * @returns what changed
 * @throws PolicyDenied when the conversation is not allowed; SlackCallError for other Slack errors
 */
export async function changeReaction(
  ctx: SlackContext,
  tool: 'add_reaction' | 'remove_reaction',
  args: { channel: string; ts: string; name: string },
  method: 'reactions.add' | 'reactions.remove',
): Promise<ReactionChange> {
  const ts = normalizeTs(args.ts);
  const name = emojiName(args.name);
  const unchangedCode = method === 'reactions.add' ? 'already_reacted' : 'no_reaction';
  const where = { target: `${args.channel}/${ts}` };
  return audited(ctx, tool, where, async () => {
    const target = await resolveTarget(ctx.deps, args.channel, 'post', ctx.signal);
    where.target = `${target.id}/${ts}`;
    let changed = true;
    try {
      await ctx.deps.api.call(
        method,
        { channel: target.id, timestamp: ts, name },
        { write: true, signal: ctx.signal },
      );
    } catch (error) {
      if (!(error instanceof SlackCallError) || error.code !== unchangedCode) throw error;
      changed = false;
    }
    return { channel: target.id, channel_label: target.label, ts, name, changed };
  });
}
