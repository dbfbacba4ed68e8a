import { sanitizeName } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import { BoundedCache } from './cache.js';
import type { PolicyLookup, UserRef } from './policy.js';
import type { SlackApi } from './slack/api.js';
import { SlackCallError } from './slack/errors.js';
import type { SlackConversation, SlackMessage, SlackUser } from './slack/types.js';

/** What the server remembers about a user. */
export interface UserEntry {
  id: string;
  /** The handle (`name`), lower-cased by Slack. */
  handle?: string;
  /** The name to show: display name, else real name, else handle, else the ID; hidden characters removed. */
  display: string;
  isBot: boolean;
}

/** What the server remembers about a conversation. */
export interface ConversationEntry {
  id: string;
  /** Channel name without `#` (absent for direct messages). */
  name?: string;
  /** The other member of a direct message. */
  user?: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
}

/** Bounds of the directory: cache sizes, TTLs and how far a name lookup may page. */
export const DIRECTORY_LIMITS = {
  /** Users remembered (LRU). */
  users: 20_000,
  /** Conversations remembered (LRU), by ID and by name. */
  conversations: 20_000,
  /** How long a user's name is trusted, in milliseconds (1 hour). */
  userTtlMs: 60 * 60 * 1000,
  /** How long a conversation's name is trusted, in milliseconds (15 minutes). */
  conversationTtlMs: 15 * 60 * 1000,
  /** Items per page when paging for a name (conversations.list, users.list). */
  pageSize: 1000,
  /** Pages read to find one `#name` or `@handle` before giving up (20,000 entries). */
  maxPages: 20,
  /** users.info lookups made to name the authors of one page of messages. */
  nameLookupsPerCall: 40,
  /** users.info lookups in flight at once. */
  lookupConcurrency: 6,
} as const;

/**
 * Names and IDs of users and conversations, learned lazily: from what the tools already fetched
 * (messages carry `user_profile`, listings carry names), and by lookups only when a tool needs a
 * name it has not seen. Nothing is read at startup; every cache is bounded (LRU) and expires (TTL).
 * Concurrent lookups of the same thing share one request.
 */
export class SlackDirectory {
  readonly #users: BoundedCache<string, UserEntry>;
  readonly #handles: BoundedCache<string, string>;
  readonly #conversations: BoundedCache<string, ConversationEntry>;
  readonly #channelIds: BoundedCache<string, string>;
  readonly #inflight = new Map<string, Promise<unknown>>();
  /** Until when users.info is known to fail with missing_scope (milliseconds). */
  #usersUnavailableUntil = 0;

  /**
   * @param api - the Web API
   * @param now - clock in milliseconds, for tests
   */
  constructor(
    private readonly api: SlackApi,
    private readonly now: () => number = Date.now,
  ) {
    const limits = DIRECTORY_LIMITS;
    this.#users = new BoundedCache(limits.users, limits.userTtlMs, now);
    this.#handles = new BoundedCache(limits.users, limits.userTtlMs, now);
    this.#conversations = new BoundedCache(limits.conversations, limits.conversationTtlMs, now);
    this.#channelIds = new BoundedCache(limits.conversations, limits.conversationTtlMs, now);
  }

  /** Remembers a user object and returns its entry. */
  rememberUser(user: SlackUser): UserEntry | undefined {
    if (!user.id) return undefined;
    const entry: UserEntry = {
      id: user.id,
      ...(user.name ? { handle: user.name.toLowerCase() } : {}),
      display: displayNameOf(user),
      isBot: user.is_bot === true,
    };
    this.#users.set(user.id, entry);
    if (entry.handle) this.#handles.set(entry.handle, user.id);
    return entry;
  }

  /** Remembers a conversation object and returns its entry. */
  rememberConversation(conversation: SlackConversation): ConversationEntry | undefined {
    if (!conversation.id) return undefined;
    const entry: ConversationEntry = {
      id: conversation.id,
      kind: kindOf(conversation),
      ...(conversation.name && !conversation.is_im ? { name: conversation.name.toLowerCase() } : {}),
      ...(conversation.user ? { user: conversation.user } : {}),
    };
    this.#conversations.set(conversation.id, entry);
    if (entry.name) this.#channelIds.set(entry.name, conversation.id);
    return entry;
  }

  /** Remembers the authors that messages carry a `user_profile` for (history answers do). */
  rememberAuthors(messages: readonly SlackMessage[]): void {
    for (const message of messages) {
      if (!message.user || !message.user_profile || this.#users.get(message.user)) continue;
      this.rememberUser({
        id: message.user,
        ...(message.user_profile.name ? { name: message.user_profile.name } : {}),
        profile: message.user_profile,
      });
    }
  }

  /** The cached display name of a user, if any. */
  userName(id: string): string | undefined {
    return this.#users.get(id)?.display;
  }

  /** The cached entry of a user, if any. */
  cachedUser(id: string): UserEntry | undefined {
    return this.#users.get(id);
  }

  /** The cached name of a channel (no `#`), if any. */
  channelName(id: string): string | undefined {
    return this.#conversations.get(id)?.name;
  }

  /** The cached entry of a conversation, if any. */
  cachedConversation(id: string): ConversationEntry | undefined {
    return this.#conversations.get(id);
  }

  /**
   * A conversation's entry, from the cache or `conversations.info`.
   *
   * @throws SlackCallError when Slack refuses (channel_not_found, missing_scope)
   */
  async conversation(id: string, signal?: AbortSignal): Promise<ConversationEntry> {
    const cached = this.#conversations.get(id);
    if (cached) return cached;
    return this.#once(`conversation:${id}`, async () => {
      const result = await this.api.call<{ channel?: SlackConversation }>(
        'conversations.info',
        { channel: id },
        signal ? { signal } : {},
      );
      return this.rememberConversation({ ...result.channel, id }) as ConversationEntry;
    });
  }

  /**
   * The ID of the channel named `name` (no `#`, lower case): from the cache, else by paging
   * `conversations.list` (public and private channels the token can see, archived included) until
   * it appears, remembering every channel on the way; at most {@link DIRECTORY_LIMITS}.maxPages pages.
   *
   * @throws ToolError when no channel of that name is found within the budget
   * @throws SlackCallError when Slack refuses
   */
  async channelIdByName(name: string, signal?: AbortSignal): Promise<string> {
    const cached = this.#channelIds.get(name);
    if (cached) return cached;
    return this.#once(`channel-name:${name}`, async () => {
      let types = 'public_channel,private_channel';
      let cursor: string | undefined;
      for (let page = 0; page < DIRECTORY_LIMITS.maxPages; page++) {
        let result: { channels?: SlackConversation[] } & { response_metadata?: { next_cursor?: string } };
        try {
          result = await this.api.call(
            'conversations.list',
            { types, exclude_archived: false, limit: DIRECTORY_LIMITS.pageSize, cursor },
            signal ? { signal } : {},
          );
        } catch (error) {
          // Without groups:read, look among public channels only.
          if (
            error instanceof SlackCallError &&
            error.code === 'missing_scope' &&
            types !== 'public_channel'
          ) {
            types = 'public_channel';
            cursor = undefined;
            page--;
            continue;
          }
          throw error;
        }
        let found: string | undefined;
        for (const channel of result.channels ?? []) {
          const entry = this.rememberConversation(channel);
          if (entry?.name === name) found = entry.id;
        }
        if (found) return found;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) {
          throw new ToolError(
            `No channel named #${name} is visible to this app; check the name, or give the channel ID.`,
          );
        }
      }
      throw new ToolError(
        `#${name} was not found among the first ${DIRECTORY_LIMITS.maxPages * DIRECTORY_LIMITS.pageSize} channels; give the channel ID (C...) instead.`,
      );
    });
  }

  /**
   * The user ID a reference names: an ID as it is, an email through `users.lookupByEmail`, a
   * handle from the cache or by paging `users.list` (an exact handle first, else a unique display
   * or real name).
   *
   * @returns the ID, or undefined when no such user exists
   * @throws ToolError when a display name matches several users
   * @throws SlackCallError when Slack refuses
   */
  async userId(ref: UserRef, signal?: AbortSignal): Promise<string | undefined> {
    if (ref.kind === 'id') return ref.id;
    if (ref.kind === 'email') {
      return this.#once(`email:${ref.email}`, async () => {
        try {
          const result = await this.api.call<{ user?: SlackUser }>(
            'users.lookupByEmail',
            { email: ref.email },
            signal ? { signal } : {},
          );
          return result.user ? this.rememberUser(result.user)?.id : undefined;
        } catch (error) {
          if (error instanceof SlackCallError && error.code === 'users_not_found') return undefined;
          throw error;
        }
      });
    }
    const cached = this.#handles.get(ref.handle);
    if (cached) return cached;
    return this.#once(`handle:${ref.handle}`, () => this.#findUserByName(ref.handle, signal));
  }

  async #findUserByName(name: string, signal?: AbortSignal): Promise<string | undefined> {
    const byDisplay = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < DIRECTORY_LIMITS.maxPages; page++) {
      const result = await this.api.call<{ members?: SlackUser[] }>(
        'users.list',
        { limit: DIRECTORY_LIMITS.pageSize, cursor },
        signal ? { signal } : {},
      );
      for (const user of result.members ?? []) {
        const entry = this.rememberUser(user);
        if (!entry || user.deleted) continue;
        if (entry.handle === name) return entry.id;
        const names = [user.profile?.display_name, user.profile?.real_name, user.real_name];
        if (names.some((candidate) => candidate?.toLowerCase() === name)) byDisplay.add(entry.id);
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    if (byDisplay.size > 1) {
      throw new ToolError(
        `"@${name}" matches ${byDisplay.size} users; give the user ID (U...) or email instead.`,
      );
    }
    return byDisplay.values().next().value;
  }

  /**
   * A user's entry, from the cache or `users.info`.
   *
   * @throws SlackCallError when Slack refuses (user_not_found, missing_scope)
   */
  async user(id: string, signal?: AbortSignal): Promise<UserEntry> {
    const cached = this.#users.get(id);
    if (cached) return cached;
    return this.#once(`user:${id}`, async () => {
      const result = await this.api.call<{ user?: SlackUser }>(
        'users.info',
        { user: id },
        signal ? { signal } : {},
      );
      return this.rememberUser({ ...result.user, id }) as UserEntry;
    });
  }

  /**
   * Makes sure the names of these users are cached, with at most
   * {@link DIRECTORY_LIMITS}.nameLookupsPerCall `users.info` lookups, a few at a time. Failures
   * are ignored (the ID is shown instead); without `users:read` no lookup is tried for an hour.
   *
   * @param ids - user IDs (authors, mentions)
   * @param signal - cancels the lookups
   */
  async resolveUserNames(ids: Iterable<string>, signal?: AbortSignal): Promise<void> {
    if (this.#usersUnavailableUntil > this.now()) return;
    const missing = [...new Set(ids)]
      .filter((id) => !this.#users.get(id))
      .slice(0, DIRECTORY_LIMITS.nameLookupsPerCall);
    let next = 0;
    const worker = async () => {
      while (next < missing.length && !signal?.aborted && this.#usersUnavailableUntil <= this.now()) {
        const id = missing[next++] as string;
        try {
          await this.user(id, signal);
        } catch (error) {
          if (error instanceof SlackCallError && error.code === 'missing_scope') {
            this.#usersUnavailableUntil = this.now() + DIRECTORY_LIMITS.userTtlMs;
          } else if (error instanceof SlackCallError && error.code === 'user_not_found') {
            this.#users.set(id, { id, display: id, isBot: false });
          }
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(DIRECTORY_LIMITS.lookupConcurrency, missing.length) }, worker),
    );
  }

  /**
   * The direct message with a user, through `conversations.open`. With `create: false`
   * (`prevent_creation`) an existing DM is found and none is created.
   *
   * @returns the DM's ID, or undefined when none exists and none was to be created
   * @throws SlackCallError when Slack refuses
   */
  async openDm(userId: string, create: boolean, signal?: AbortSignal): Promise<string | undefined> {
    let result: { channel?: SlackConversation };
    try {
      result = await this.api.call<{ channel?: SlackConversation }>(
        'conversations.open',
        { users: userId, prevent_creation: !create },
        signal ? { signal } : {},
      );
    } catch (error) {
      if (!create && error instanceof SlackCallError && error.code === 'channel_not_found') return undefined;
      throw error;
    }
    const id = result.channel?.id;
    if (id) this.rememberConversation({ id, is_im: true, user: userId });
    return id;
  }

  /**
   * The lookups an allowlist check may need, bound to a request's signal.
   *
   * @param signal - the tool call's signal
   */
  lookup(signal?: AbortSignal): PolicyLookup {
    return {
      conversation: (id) => this.conversation(id, signal),
      userId: (ref) => this.userId(ref, signal),
    };
  }

  /** Runs `work` once for concurrent callers with the same key. */
  #once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = work().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }
}

/** The name to show for a user, with hidden characters removed and line breaks escaped. */
export function displayNameOf(user: SlackUser): string {
  const raw =
    user.profile?.display_name ||
    user.profile?.real_name ||
    user.real_name ||
    user.name ||
    user.id ||
    'unknown';
  return sanitizeName(raw).name;
}

function kindOf(conversation: SlackConversation): ConversationEntry['kind'] {
  if (conversation.is_im) return 'im';
  if (conversation.is_mpim) return 'mpim';
  if (conversation.is_private || conversation.is_group) return 'private';
  // IDs tell DMs apart even when the object is partial.
  return conversation.id?.startsWith('D') ? 'im' : 'public';
}
