import { ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { SlackContext } from '../deps.js';
import { SlackCallError } from '../slack/errors.js';
import type { SlackMessage } from '../slack/types.js';
import { PolicyDenied } from '../target.js';

/** Where an audited write acts; the handler narrows it as it learns more (ID, then ID/ts). */
export interface AuditTarget {
  target: string;
}

/** Thrown when the user declines a confirmation; audited as `denied`. */
export class Declined extends ToolError {}

/**
 * Runs a write and records it in the audit log: the tool, the target (conversation ID and
 * message ts, never message text), and `ok`, `denied` (an allowlist, the authorship check or the
 * user refused) or `error` (with Slack's error code).
 *
 * @param ctx - the tool context (its `deps.audit` is the log)
 * @param tool - the tool name
 * @param where - the target, updated by `work` as it resolves it
 * @param work - the write
 * @returns what `work` returns
 * @throws whatever `work` throws, after recording it
 */
export async function audited<T>(
  ctx: SlackContext,
  tool: string,
  where: AuditTarget,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    ctx.deps.audit.record({ tool, target: where.target, outcome: 'ok' });
    return result;
  } catch (error) {
    const denied =
      error instanceof PolicyDenied || error instanceof Declined || error instanceof NotOwnMessage;
    const detail =
      error instanceof SlackCallError
        ? error.code
        : error instanceof ToolError
          ? firstLine(error.message)
          : 'internal error';
    ctx.deps.audit.record({ tool, target: where.target, outcome: denied ? 'denied' : 'error', detail });
    throw error;
  }
}

/** Thrown when a message to edit or delete was not written by this server's token. */
export class NotOwnMessage extends ToolError {}

/**
 * Checks that a message was written by the bot token's identity (`auth.test` user or bot ID),
 * reading just that message with `conversations.replies` (which finds top-level messages and
 * thread replies alike).
 *
 * @param ctx - the tool context
 * @param channel - conversation ID
 * @param ts - the message
 * @throws NotOwnMessage when someone else wrote it
 * @throws ToolError when there is no such message
 * @throws SlackCallError when Slack refuses the read
 */
export async function assertOwnMessage(ctx: SlackContext, channel: string, ts: string): Promise<void> {
  const { api, identities } = ctx.deps;
  const [identity, result] = await Promise.all([
    identities.bot(),
    api
      .call<{ messages?: SlackMessage[] }>(
        'conversations.replies',
        // Slack may put a thread's parent first, so room for two.
        { channel, ts, oldest: ts, latest: ts, inclusive: true, limit: 2 },
        { signal: ctx.signal },
      )
      .catch((error: unknown) => {
        if (error instanceof SlackCallError && error.code === 'thread_not_found') return { messages: [] };
        throw error;
      }),
  ]);
  const message = (result.messages ?? []).find((candidate) => candidate.ts === ts);
  if (!message) throw new ToolError(`No message with ts ${ts} in ${channel}; check the conversation and ts.`);
  const own =
    (message.user !== undefined && message.user === identity.userId) ||
    (identity.botId !== undefined && message.bot_id === identity.botId);
  if (!own) {
    throw new NotOwnMessage(
      `Message ${ts} was written by ${message.user ?? message.bot_id ?? 'someone else'}, not by this app (${identity.userId}); only its own messages can be edited or deleted.`,
    );
  }
}

/** Message text to post: bounded at Slack's 40,000 characters. */
export const messageTextArg = z
  .string()
  .min(1)
  .max(40_000)
  .describe('Message text in Slack mrkdwn (<@U0123ABCD> mentions a user); at most 40,000 characters');

/** An emoji name argument (`thumbsup`, `+1`, `:tada:`, `wave::skin-tone-3`). */
export const emojiArg = z
  .string()
  .min(1)
  .max(100)
  .regex(/^:?[a-z0-9_+'-]+(::skin-tone-[2-6])?:?$/, 'an emoji name such as thumbsup')
  .describe('Emoji name, with or without colons (thumbsup, :tada:)');

/** The emoji name Slack wants: no surrounding colons. */
export function emojiName(raw: string): string {
  return raw.replace(/^:/, '').replace(/:$/, '');
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
