/**
 * The fields of Slack's objects that the server reads, as documented at
 * https://docs.slack.dev/reference/objects (user, conversation, message). Everything is optional:
 * answers differ by method, conversation type and workspace settings, and the server must not
 * trust any field to be present.
 */

/** A user object (users.list, users.info, users.lookupByEmail). */
export interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  tz?: string;
  tz_offset?: number;
  team_id?: string;
  profile?: {
    display_name?: string;
    real_name?: string;
    email?: string;
    title?: string;
    phone?: string;
    status_text?: string;
    status_emoji?: string;
    bot_id?: string;
  };
}

/** A conversation object (conversations.list, conversations.info). */
export interface SlackConversation {
  id?: string;
  name?: string;
  is_channel?: boolean;
  is_group?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  user?: string;
  num_members?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
}

/** A message object (conversations.history, conversations.replies, search.messages matches). */
export interface SlackMessage {
  type?: string;
  ts?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  subtype?: string;
  text?: string;
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  edited?: { user?: string; ts?: string };
  reactions?: { name?: string; count?: number }[];
  files?: { name?: string; title?: string; mimetype?: string }[];
  attachments?: { fallback?: string; text?: string; title?: string; pretext?: string }[];
  bot_profile?: { id?: string; name?: string };
  user_profile?: { display_name?: string; real_name?: string; name?: string };
}
