import type { AnyToolDefinition } from '@bulwark/runtime';
import type { SlackDeps } from '../deps.js';
import { addReaction } from './add_reaction.js';
import { deleteMessage } from './delete_message.js';
import { getChannelHistory } from './get_channel_history.js';
import { getThreadReplies } from './get_thread_replies.js';
import { getUserProfile } from './get_user_profile.js';
import { getUsers } from './get_users.js';
import { listChannels } from './list_channels.js';
import { postMessage } from './post_message.js';
import { removeReaction } from './remove_reaction.js';
import { replyToThread } from './reply_to_thread.js';
import { searchMessages } from './search_messages.js';
import { updateMessage } from './update_message.js';

/** Tools that read with the bot token: registered always. */
export const READ_TOOLS: readonly AnyToolDefinition<SlackDeps>[] = [
  listChannels,
  getChannelHistory,
  getThreadReplies,
  getUsers,
  getUserProfile,
];

/** Search, on the user token: registered only when SLACK_USER_TOKEN is set. */
export const SEARCH_TOOLS: readonly AnyToolDefinition<SlackDeps>[] = [searchMessages];

/** Posting, replying and reactions: registered only with --allow-post. */
export const POST_TOOLS: readonly AnyToolDefinition<SlackDeps>[] = [
  postMessage,
  replyToThread,
  addReaction,
  removeReaction,
];

/** Edits and deletes of the app's own messages: registered only with --allow-edit. */
export const EDIT_TOOLS: readonly AnyToolDefinition<SlackDeps>[] = [updateMessage, deleteMessage];
