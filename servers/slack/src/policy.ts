/**
 * Which conversations the server may touch. The operator names them (`--channels`,
 * `--allow-post`) as IDs, `#names` or `@users`; a tool names its target the same way. Every check
 * compares like with like: IDs with IDs, channel names with the channel's current name (looked up
 * by ID), users with the other member of a direct message. Whatever can be decided from the
 * strings alone is decided before any request to Slack; what cannot is looked up with read-only
 * metadata calls and refused when the lookup fails (fail closed).
 */

/** A user as written in a reference: an ID (`U0123ABCD`), an email, or a handle / display name. */
export type UserRef =
  | { kind: 'id'; id: string }
  | { kind: 'email'; email: string }
  | { kind: 'handle'; handle: string };

/** A conversation reference as written by the operator or a client. */
export type ChannelRef =
  | { kind: 'id'; id: string; raw: string }
  | { kind: 'name'; name: string; raw: string }
  | { kind: 'user'; user: UserRef; raw: string };

/** One entry of an allowlist; the same forms a tool accepts. */
export type ChannelEntry = ChannelRef;

const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,20}$/;
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const CHANNEL_NAME = /^[^\s#@<>,|]{1,80}$/u;

/**
 * Parses a conversation reference: an ID (`C0123ABCD`, `G...`, `D...`), `#name`, `@user` (a user
 * ID, an email or a handle / display name), or the mention forms Slack uses in message text
 * (`<#C0123ABCD|name>`, `<@U0123ABCD>`).
 *
 * @param raw - the reference
 * @returns the parsed reference; channel names and handles are lower-cased
 * @throws Error with a one-line explanation when the reference has none of these forms
 */
export function parseChannelRef(raw: string): ChannelRef {
  const text = raw.trim();
  const channelMention = /^<#([CGD][A-Z0-9]{2,20})(?:\|[^>]*)?>$/.exec(text);
  if (channelMention?.[1]) return { kind: 'id', id: channelMention[1], raw: text };
  const userMention = /^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$/.exec(text);
  if (userMention?.[1]) return { kind: 'user', user: { kind: 'id', id: userMention[1] }, raw: text };
  if (CONVERSATION_ID.test(text)) return { kind: 'id', id: text, raw: text };
  if (text.startsWith('#')) {
    const name = text.slice(1).toLowerCase();
    if (CHANNEL_NAME.test(name)) return { kind: 'name', name, raw: text };
  }
  if (text.startsWith('@') && text.length > 1 && text.length <= 120) {
    return { kind: 'user', user: parseUserRef(text.slice(1)), raw: text };
  }
  throw new Error(
    `"${text.slice(0, 60)}" is not a conversation: give an ID (C0123ABCD), #channel-name or @user.`,
  );
}

/**
 * Parses a user reference without its `@`: an ID (`U0123ABCD`, `W...`), an email, or a handle
 * or display name (lower-cased).
 *
 * @param raw - the reference
 * @returns the parsed reference
 */
export function parseUserRef(raw: string): UserRef {
  const text = raw.trim().replace(/^@/, '');
  const mention = /^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$/.exec(text);
  if (mention?.[1]) return { kind: 'id', id: mention[1] };
  if (USER_ID.test(text)) return { kind: 'id', id: text };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return { kind: 'email', email: text.toLowerCase() };
  return { kind: 'handle', handle: text.toLowerCase() };
}

/**
 * Parses a list of allowlist entries.
 *
 * @param list - entries as given on the command line
 * @returns the entries
 * @throws Error naming the first malformed entry
 */
export function parseChannelEntries(list: readonly string[]): ChannelEntry[] {
  return list.map((item) => parseChannelRef(item));
}

/** Whether a reference can be decided without asking Slack. */
export type Precheck = 'allow' | 'deny' | 'unknown';

/** A conversation a tool is about to touch, with what is known about it. */
export interface ResolvedConversation {
  /** Conversation ID. */
  id: string;
  /** Current channel name (no `#`), when known. */
  name?: string;
  /** The other member, for a direct message, when known. */
  user?: string;
}

/** The lookups a check may need when the strings alone do not decide it. */
export interface PolicyLookup {
  /** The conversation's current name and, for a direct message, its other member. */
  conversation(id: string): Promise<{ name?: string; user?: string }>;
  /** The user ID a reference names, or undefined when no such user is found. */
  userId(ref: UserRef): Promise<string | undefined>;
}

function sameUser(a: UserRef, b: UserRef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'id' && b.kind === 'id') return a.id === b.id;
  if (a.kind === 'email' && b.kind === 'email') return a.email === b.email;
  return a.kind === 'handle' && b.kind === 'handle' && a.handle === b.handle;
}

/** One allowlist (`--channels` or `--allow-post`), or "everything" (`'*'`, or the flag absent). */
export class ChannelScope {
  /** True when every conversation is allowed. */
  readonly any: boolean;
  readonly #channelIds = new Set<string>();
  readonly #dmIds = new Set<string>();
  readonly #names = new Set<string>();
  readonly #users: UserRef[] = [];
  readonly #entries: readonly ChannelEntry[];

  /**
   * @param entries - the allowlist, or `'*'` for everything
   * @param flag - the flag it came from, named in refusals (`--channels`)
   */
  constructor(
    entries: readonly ChannelEntry[] | '*',
    readonly flag: string,
  ) {
    this.any = entries === '*';
    this.#entries = entries === '*' ? [] : entries;
    for (const entry of this.#entries) {
      if (entry.kind === 'id') (entry.id.startsWith('D') ? this.#dmIds : this.#channelIds).add(entry.id);
      else if (entry.kind === 'name') this.#names.add(entry.name);
      else this.#users.push(entry.user);
    }
  }

  /** The entries as the operator wrote them, for messages (at most `max`). */
  describe(max = 8): string {
    if (this.any) return 'every conversation';
    const shown = this.#entries.slice(0, max).map((entry) => entry.raw);
    const more = this.#entries.length - shown.length;
    return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }

  /**
   * Decides what the reference alone can decide: `allow` when it names an entry exactly, `deny`
   * when no entry of its kind could ever match, `unknown` when Slack must be asked.
   *
   * @param ref - the reference a tool was given
   */
  precheck(ref: ChannelRef): Precheck {
    if (this.any) return 'allow';
    if (ref.kind === 'id') {
      if (this.#channelIds.has(ref.id) || this.#dmIds.has(ref.id)) return 'allow';
      // Names only match channels; users only match direct messages (D...).
      if (ref.id.startsWith('D')) return this.#users.length > 0 ? 'unknown' : 'deny';
      return this.#names.size > 0 ? 'unknown' : 'deny';
    }
    if (ref.kind === 'name') {
      if (this.#names.has(ref.name)) return 'allow';
      return this.#channelIds.size > 0 ? 'unknown' : 'deny';
    }
    if (this.#users.some((user) => sameUser(user, ref.user))) return 'allow';
    return this.#users.length > 0 || this.#dmIds.size > 0 ? 'unknown' : 'deny';
  }

  /**
   * Whether a direct message with this user is allowed by an `@user` entry, before the DM's ID
   * is known (so a refused DM is never opened).
   *
   * @param userId - the other member
   * @param lookup - resolves the entries' user references
   */
  async allowsUser(userId: string, lookup: PolicyLookup): Promise<boolean> {
    if (this.any) return true;
    for (const user of this.#users) {
      if (
        user.kind === 'id'
          ? user.id === userId
          : (await lookup.userId(user).catch(() => undefined)) === userId
      ) {
        return true;
      }
    }
    return false;
  }

  /** True when a direct message could be allowed by its ID (a `D...` entry). */
  get hasDmIds(): boolean {
    return this.#dmIds.size > 0;
  }

  /**
   * Decides a resolved conversation: its ID is listed, its current name is listed, or it is a
   * direct message with a listed user. Lookups that fail count as "not allowed".
   *
   * @param target - the conversation
   * @param lookup - name and user lookups
   * @returns whether the conversation is allowed
   */
  async allows(target: ResolvedConversation, lookup: PolicyLookup): Promise<boolean> {
    if (this.any || this.#channelIds.has(target.id) || this.#dmIds.has(target.id)) return true;
    if (target.id.startsWith('D')) {
      if (this.#users.length === 0) return false;
      const user = target.user ?? (await lookup.conversation(target.id)).user;
      return user !== undefined && this.allowsUser(user, lookup);
    }
    if (this.#names.size === 0) return false;
    const name = target.name ?? (await lookup.conversation(target.id)).name;
    return name !== undefined && this.#names.has(name.toLowerCase());
  }
}

/** What a tool is about to do with a conversation. */
export type Purpose = 'read' | 'post' | 'edit';

/** The operator's allowlists: reads (`--channels`) and writes (`--allow-post`, `--allow-edit`). */
export class ChannelPolicy {
  /** `--channels`, or everything. */
  readonly read: ChannelScope;
  /** `--allow-post`, or undefined when writes are off. */
  readonly post: ChannelScope | undefined;
  /** `--allow-edit`. */
  readonly edit: boolean;

  /**
   * @param options - the parsed allowlists
   */
  constructor(options: { channels?: ChannelEntry[]; allowPost?: ChannelEntry[] | '*'; allowEdit: boolean }) {
    this.read = new ChannelScope(options.channels ?? '*', '--channels');
    this.post = options.allowPost ? new ChannelScope(options.allowPost, '--allow-post') : undefined;
    this.edit = options.allowEdit && this.post !== undefined;
  }

  /**
   * The allowlists a purpose must pass: `--channels` always, `--allow-post` for writes.
   *
   * @throws Error when writes of that kind are off (the tools are not registered then)
   */
  scopesFor(purpose: Purpose): ChannelScope[] {
    if (purpose === 'read') return [this.read];
    if (!this.post || (purpose === 'edit' && !this.edit)) {
      throw new Error(`${purpose === 'edit' ? 'Editing' : 'Posting'} is turned off on this server.`);
    }
    return [this.read, this.post];
  }
}
