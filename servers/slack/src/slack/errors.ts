import { ToolError } from '@bulwark/runtime';

/**
 * What Slack's common `ok: false` error codes mean, and what to do, in one line each. Sources:
 * the "Errors" sections of https://docs.slack.dev/reference/methods (conversations.*, chat.*,
 * reactions.*, users.*, search.messages, auth.test) and the common errors every method shares.
 */
export const SLACK_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  channel_not_found:
    'the conversation does not exist or the token cannot see it (private channels need the app as a member)',
  not_in_channel: 'the app is not a member of this channel; invite it with /invite in Slack',
  missing_scope: 'the token lacks a scope this method needs; add it to the Slack app and reinstall',
  invalid_auth: 'the token is invalid; check SLACK_BOT_TOKEN / SLACK_USER_TOKEN',
  not_authed: 'no token was sent; set SLACK_BOT_TOKEN',
  account_inactive: 'the token belongs to a deactivated user or an uninstalled app',
  token_revoked: 'the token has been revoked; reinstall the app',
  token_expired: 'the token has expired; refresh or reinstall',
  no_permission: 'the token has no permission for this action',
  team_access_not_granted: 'the token has not been granted access to this workspace',
  access_denied: 'access to this resource is denied',
  ekm_access_denied: 'an administrator has suspended access to this content',
  restricted_action: 'a workspace preference prevents this action',
  is_archived: 'the channel is archived; unarchive it in Slack first',
  msg_too_long: 'the message text is too long (at most 40,000 characters)',
  no_text: 'the message text is empty',
  too_many_attachments: 'the message has too many attachments',
  rate_limited: 'Slack rate-limited the call; wait and try again',
  ratelimited: 'Slack rate-limited the call; wait and try again',
  cant_update_message: "only a message's author can edit it, and this token did not write it",
  cant_delete_message: "only a message's author can delete it, and this token did not write it",
  edit_window_closed: "the workspace's time limit for editing this message has passed",
  message_not_found: 'no message with that ts in this conversation; check the channel and ts',
  thread_not_found: 'no message with that thread_ts in this conversation; check the channel and thread_ts',
  invalid_thread_ts: 'thread_ts must be the ts of a top-level message (a thread parent), not of a reply',
  already_reacted: 'the token has already added this reaction',
  no_reaction: 'the token has not added this reaction',
  invalid_name: 'there is no emoji with this name in the workspace',
  too_many_emoji: 'the message has too many distinct reactions',
  too_many_reactions: 'the message has too many reactions',
  user_not_found: 'no user with that ID',
  users_not_found: 'no user with that email address',
  user_not_visible: 'the token may not see this user',
  user_disabled: 'the user has been deactivated',
  not_allowed_token_type: 'this method does not accept this kind of token (search needs a user token)',
  invalid_cursor: 'the cursor is invalid or has expired; start again without a cursor',
  invalid_ts_latest: 'latest is not a valid Slack timestamp',
  invalid_ts_oldest: 'oldest is not a valid Slack timestamp',
  invalid_types: 'the conversation types are not valid',
  invalid_arguments: 'Slack rejected the arguments',
  invalid_blocks: 'Slack rejected the message blocks',
  method_not_supported_for_channel_type: 'this kind of conversation does not support this method',
  channel_is_archived: 'the channel is archived',
  posting_to_general_channel_denied: 'only administrators may post in this channel',
  cannot_reply_to_message: 'this message cannot be replied to in a thread',
  duplicate_message_not_found: 'Slack could not find the message to check for duplicates',
  fatal_error: 'Slack had an internal error; try again',
  internal_error: 'Slack had an internal error; try again',
  service_unavailable: 'Slack is temporarily unavailable; try again shortly',
  request_timeout: 'Slack timed out handling the request; try again',
  unknown_method: 'the Slack API does not know this method (check SLACK_API_URL)',
};

/** An `ok: false` answer (or a transport failure) from Slack, as an expected tool failure. */
export class SlackCallError extends ToolError {
  /**
   * @param message - one line of cause and remedy, shown to the client
   * @param code - Slack's error code (`channel_not_found`), or `ratelimited`, `http_error`, `request_error`
   * @param method - the Web API method that failed
   * @param retryAfterSeconds - for `ratelimited`: seconds Slack asked to wait
   */
  constructor(
    message: string,
    readonly code: string,
    readonly method: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The one-line message for an `ok: false` answer: the method, Slack's code, and what it means.
 *
 * @param method - the Web API method
 * @param data - Slack's answer (`error`, and for `missing_scope` `needed` and `provided`)
 * @returns the error to throw
 */
export function slackPlatformError(method: string, data: Record<string, unknown>): SlackCallError {
  const code = typeof data.error === 'string' ? data.error : 'unknown_error';
  const meaning = SLACK_ERROR_MEANINGS[code] ?? 'see https://docs.slack.dev/reference/methods for this code';
  let detail = '';
  if (code === 'missing_scope' && typeof data.needed === 'string') {
    detail = ` (needs ${data.needed}${typeof data.provided === 'string' ? `; the token has ${truncate(data.provided, 200)}` : ''})`;
  }
  return new SlackCallError(`Slack refused ${method}: ${code}: ${meaning}${detail}.`, code, method);
}

/**
 * The error for a call that was still rate-limited when the retries ran out, saying when to try again.
 *
 * @param method - the Web API method
 * @param retryAfterSeconds - Slack's last `Retry-After`, in seconds
 * @param now - clock, for tests
 */
export function rateLimitError(
  method: string,
  retryAfterSeconds: number,
  now: number = Date.now(),
): SlackCallError {
  const at = new Date(now + retryAfterSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return new SlackCallError(
    `Slack rate-limited ${method}; try again in ${retryAfterSeconds} s (after ${at}).`,
    'ratelimited',
    method,
    retryAfterSeconds,
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
