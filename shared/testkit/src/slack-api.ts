/**
 * A loopback Slack Web API for tests and benchmarks: an HTTP server on 127.0.0.1 that answers the
 * Web API methods the Slack servers use, in the shapes Slack documents (https://docs.slack.dev/reference/methods),
 * from a generated workspace. Every request is recorded (method, arguments, token, status), so a
 * test can prove which methods a tool called, or that it called none.
 *
 * What it models: bearer-token auth (`invalid_auth`, `not_authed`), token scopes (the
 * `x-oauth-scopes` header on every answer and `missing_scope` with `needed`/`provided`), channel
 * membership (`not_in_channel`, `channel_not_found` for private channels the token is not in),
 * cursor pagination (`response_metadata.next_cursor`), threads, authorship checks on
 * `chat.update`/`chat.delete`, and injected faults: `ok: false` errors, HTTP 429 with
 * `Retry-After`, and requests held until released.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A user as `users.list` and `users.info` return it (the fields the servers read). */
export interface SlackUserRecord {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  is_bot: boolean;
  is_admin: boolean;
  tz: string;
  profile: {
    display_name: string;
    real_name: string;
    email?: string;
    title: string;
    status_text: string;
    status_emoji: string;
    bot_id?: string;
    first_name?: string;
    last_name?: string;
    avatar_hash?: string;
    image_24?: string;
    image_48?: string;
    image_72?: string;
    image_192?: string;
    image_512?: string;
  };
  color?: string;
  updated?: number;
  is_app_user?: boolean;
}

/** A conversation as `conversations.list` and `conversations.info` return it. */
export interface SlackChannelRecord {
  id: string;
  name?: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  created: number;
  /** The other member of a direct message (`is_im`). */
  user?: string;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  /** Member user IDs; `is_member` and `num_members` are derived from it per request. */
  members: string[];
}

/** A message as `conversations.history` and `conversations.replies` return it. */
export interface SlackMessageRecord {
  type: 'message';
  ts: string;
  user?: string;
  bot_id?: string;
  username?: string;
  subtype?: string;
  text: string;
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: { name: string; users: string[]; count: number }[];
  files?: { id: string; name: string; title: string; mimetype: string }[];
  bot_profile?: { id: string; name: string };
}

/** What a token is: a bot or user token of a user, with its scopes. */
export interface SlackTokenInfo {
  kind: 'bot' | 'user';
  /** The user the token acts as (the bot user for bot tokens). */
  userId: string;
  /** The bot ID (bot tokens only). */
  botId?: string;
  /** Granted scopes, sent back in `x-oauth-scopes`; `null` sends no header (legacy tokens). */
  scopes: string[] | null;
}

/** The generated workspace behind the API. Tests may edit it between calls. */
export interface SlackWorkspace {
  team: { id: string; name: string; domain: string };
  users: SlackUserRecord[];
  channels: SlackChannelRecord[];
  /** The bot user and bot ID of the default bot token. */
  bot: { userId: string; botId: string; name: string };
  /** Messages by channel ID, top-level and thread replies together, in ascending `ts` order. */
  messagesOf(channelId: string): SlackMessageRecord[];
  /** Adds a message (kept in `ts` order) and returns it. */
  addMessage(
    channelId: string,
    message: Omit<SlackMessageRecord, 'type' | 'ts'> & { ts?: string },
  ): SlackMessageRecord;
}

/** Sizes of a generated workspace. */
export interface SlackWorkspaceOptions {
  /** Human users besides the bot (default 12). */
  users?: number;
  /** Channels (default 8; at least 5, for the fixed ones below). */
  channels?: number;
  /** Top-level messages generated per channel on first access (default 30). */
  messagesPerChannel?: number;
}

/** Bot token of the default workspace, granted every scope in {@link SLACK_BOT_SCOPES}. */
export const SLACK_TEST_BOT_TOKEN = 'xoxb-0000000001-bulwark-test-bot';
/** User token of the default workspace (acts as `U0000001`), granted {@link SLACK_USER_SCOPES}. */
export const SLACK_TEST_USER_TOKEN = 'xoxp-0000000001-bulwark-test-user';

/** The bot scopes a fully configured Bulwark Slack app asks for. */
export const SLACK_BOT_SCOPES: readonly string[] = [
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'users:read',
  'users:read.email',
  'users.profile:read',
  'chat:write',
  'reactions:write',
  'im:write',
];

/** The user-token scopes the tests grant: search plus reads. */
export const SLACK_USER_SCOPES: readonly string[] = [
  'search:read',
  'channels:read',
  'channels:history',
  'users:read',
];

const BASE_TS = 1_700_000_000;

/** Avatar fields as Slack sends them (every user object carries them). */
function avatar(id: string) {
  const hash = `g${id.toLowerCase().slice(-8).padStart(11, '0')}`;
  const image = (size: number) =>
    `https://secure.gravatar.com/avatar/${hash}.jpg?s=${size}&d=https%3A%2F%2Fa.slack-edge.com%2Fdf10d%2Fimg%2Favatars%2Fava_0001-${size}.png`;
  return {
    avatar_hash: hash,
    image_24: image(24),
    image_48: image(48),
    image_72: image(72),
    image_192: image(192),
    image_512: image(512),
  };
}

/** Formats a Slack `ts` from seconds and a sequence number (`1700000060.000100`). */
function makeTs(seconds: number, sequence = 100): string {
  return `${seconds}.${String(sequence).padStart(6, '0')}`;
}

/**
 * Generates a workspace: `user1..userN` (IDs `U0000001`...), the bot user `UBOT0001` (bot
 * `BBOT0001`), and channels, of which the first five are fixed: `#general` (C0000001) and
 * `#random` (C0000002) with the bot as a member, `#outside` (C0000003, public, bot not a member),
 * `#secret` (C0000004, private, bot not a member), `#old` (C0000005, archived). The rest are
 * `#channel-6`... (public, bot a member). One direct message `D0000001` pairs the bot with
 * `U0000001`. Messages are generated on first access to a channel: `messagesPerChannel`
 * top-level messages one minute apart, the 5th starting a thread of three replies, the 7th a bot
 * message, with user and channel mentions and a link in the text.
 *
 * @param options - sizes
 * @returns the workspace
 */
export function createSlackWorkspace(options: SlackWorkspaceOptions = {}): SlackWorkspace {
  const userCount = options.users ?? 12;
  const channelCount = Math.max(5, options.channels ?? 8);
  const perChannel = options.messagesPerChannel ?? 30;
  const team = { id: 'T0000001', name: 'Bulwark Test', domain: 'bulwark-test' };
  const bot = { userId: 'UBOT0001', botId: 'BBOT0001', name: 'bulwark-bot' };
  const users: SlackUserRecord[] = [];
  for (let i = 1; i <= userCount; i++) {
    const id = `U${String(i).padStart(7, '0')}`;
    users.push({
      id,
      team_id: team.id,
      name: `user${i}`,
      deleted: false,
      real_name: `User Number ${i}`,
      is_bot: false,
      is_admin: i === 1,
      tz: 'Europe/Berlin',
      profile: {
        display_name: `User ${i}`,
        real_name: `User Number ${i}`,
        email: `user${i}@example.com`,
        title: i === 1 ? 'Engineer' : '',
        status_text: '',
        status_emoji: '',
        first_name: 'User',
        last_name: `Number ${i}`,
        ...avatar(id),
      },
      color: '9f69e7',
      updated: BASE_TS,
      is_app_user: false,
    });
  }
  users.push({
    id: bot.userId,
    team_id: team.id,
    name: bot.name,
    deleted: false,
    real_name: 'Bulwark Bot',
    is_bot: true,
    is_admin: false,
    tz: 'UTC',
    profile: {
      display_name: '',
      real_name: 'Bulwark Bot',
      title: '',
      status_text: '',
      status_emoji: '',
      bot_id: bot.botId,
    },
  });
  const humans = users.filter((user) => !user.is_bot).map((user) => user.id);
  const channel = (
    index: number,
    name: string,
    extra: Partial<SlackChannelRecord> = {},
  ): SlackChannelRecord => ({
    id: `C${String(index).padStart(7, '0')}`,
    name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: false,
    is_archived: false,
    created: BASE_TS - 86_400,
    topic: { value: `Topic of ${name}`, creator: humans[0] ?? '', last_set: BASE_TS - 86_400 },
    purpose: { value: `Purpose of ${name}`, creator: humans[0] ?? '', last_set: BASE_TS - 86_400 },
    members: [...humans.slice(0, 20), bot.userId],
    ...extra,
  });
  const channels: SlackChannelRecord[] = [
    channel(1, 'general'),
    channel(2, 'random'),
    channel(3, 'outside', { members: humans.slice(0, 5) }),
    channel(4, 'secret', { is_private: true, members: humans.slice(0, 3) }),
    channel(5, 'old', { is_archived: true }),
  ];
  for (let i = 6; i <= channelCount; i++) channels.push(channel(i, `channel-${i}`));
  channels.push({
    id: 'D0000001',
    is_channel: false,
    is_group: false,
    is_im: true,
    is_mpim: false,
    is_private: true,
    is_archived: false,
    created: BASE_TS - 86_400,
    user: humans[0] ?? bot.userId,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    members: [bot.userId, humans[0] ?? bot.userId],
  });

  const messages = new Map<string, SlackMessageRecord[]>();
  const generate = (channelId: string): SlackMessageRecord[] => {
    const list: SlackMessageRecord[] = [];
    const author = (i: number) => humans[(i - 1) % Math.max(1, humans.length)] ?? bot.userId;
    for (let i = 1; i <= perChannel; i++) {
      const seconds = BASE_TS + i * 60;
      const message: SlackMessageRecord = {
        type: 'message',
        ts: makeTs(seconds),
        user: author(i),
        text: `Message ${i} in ${channelId} for <@${author(i + 1)}>, see <#C0000001|general> and <https://example.com/${i}|the doc> &amp; more`,
      };
      if (i === 7) {
        delete message.user;
        message.bot_id = 'BOTHER01';
        message.subtype = 'bot_message';
        message.username = 'deploy-bot';
        message.bot_profile = { id: 'BOTHER01', name: 'Deploy Bot' };
        message.text = `Deploy ${i} finished`;
      }
      list.push(message);
      if (i === 5) {
        message.thread_ts = message.ts;
        message.reply_count = 3;
        message.reactions = [{ name: 'eyes', users: [author(2)], count: 1 }];
        for (let r = 1; r <= 3; r++) {
          list.push({
            type: 'message',
            ts: makeTs(seconds + r),
            user: author(i + r),
            text: `Reply ${r} to message ${i}`,
            thread_ts: message.ts,
          });
        }
        message.latest_reply = makeTs(seconds + 3);
      }
    }
    return list;
  };
  const messagesOf = (channelId: string): SlackMessageRecord[] => {
    let list = messages.get(channelId);
    if (!list) {
      list = generate(channelId);
      messages.set(channelId, list);
    }
    return list;
  };
  let sequence = 0;
  return {
    team,
    users,
    channels,
    bot,
    messagesOf,
    addMessage(channelId, fields) {
      const list = messagesOf(channelId);
      const last = list.reduce((max, message) => Math.max(max, Number(message.ts)), BASE_TS);
      const ts = fields.ts ?? makeTs(Math.floor(last) + 1, ++sequence);
      const message: SlackMessageRecord = { ...fields, type: 'message', ts };
      list.push(message);
      list.sort((a, b) => Number(a.ts) - Number(b.ts));
      return message;
    },
  };
}

/** One request the API received. */
export interface SlackApiCall {
  /** Web API method, e.g. `conversations.history`. */
  method: string;
  /** Arguments from the query string, a form or a JSON body, as strings (JSON values stringified). */
  args: Record<string, string>;
  /** The bearer token, when one was sent. */
  token?: string;
  /** HTTP status answered (200, or 429 for an injected rate limit). */
  status: number;
  /** When it arrived, in milliseconds since the epoch. */
  at: number;
}

/** What a method handler sees. */
export interface SlackHandlerContext {
  token: SlackTokenInfo;
  workspace: SlackWorkspace;
}

/**
 * Answers one method: the response body without `ok` (added as `true` unless the body sets it).
 * Throw {@link SlackApiError} for an `ok: false` answer.
 */
export type SlackMethodHandler = (
  args: Record<string, string>,
  context: SlackHandlerContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Thrown by a handler to answer `{ ok: false, error, ...extra }`. */
export class SlackApiError extends Error {
  /**
   * @param error - Slack's error code (`channel_not_found`)
   * @param extra - more fields of the answer (`needed`, `provided`)
   */
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** A running loopback API. */
export interface LoopbackSlackApi {
  /** Base URL of the Web API, ending in `/api/` (what `SLACK_API_URL` takes). */
  url: string;
  workspace: SlackWorkspace;
  /** Every request so far, in arrival order. */
  calls: SlackApiCall[];
  /** Method handlers by method name; replace or add entries to change an answer. */
  handlers: Map<string, SlackMethodHandler>;
  /** Tokens the API accepts. */
  tokens: Map<string, SlackTokenInfo>;
  /** Methods called so far (in order), optionally only since call number `from`. */
  methods(from?: number): string[];
  /** Answers the next `times` calls of `method` with `{ ok: false, error, ...extra }`. */
  failNext(
    method: string,
    error: string,
    options?: { times?: number; extra?: Record<string, unknown> },
  ): void;
  /** Answers the next `times` calls of `method` with HTTP 429 and `Retry-After: retryAfter` seconds. */
  rateLimitNext(method: string, options: { times?: number; retryAfter: number }): void;
  /**
   * Holds every call of `method` until the returned function is called (or `close()`), so a
   * test can observe what happens while Slack has not answered.
   */
  hold(method: string): () => void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Options of {@link startSlackApi}. */
export interface SlackApiOptions {
  /** The workspace (default: `createSlackWorkspace()`). */
  workspace?: SlackWorkspace;
  /** Scopes of the default bot token (default {@link SLACK_BOT_SCOPES}); `null` sends no header. */
  botScopes?: string[] | null;
  /** Scopes of the default user token (default {@link SLACK_USER_SCOPES}). */
  userScopes?: string[] | null;
  /** Keep no call record (benchmarks with many calls). */
  record?: boolean;
}

/**
 * Starts the loopback Slack Web API on 127.0.0.1 (a random port).
 *
 * @param options - workspace and token scopes
 * @returns the running API; call `close()` when done
 * @example
 * const api = await startSlackApi();
 * // SLACK_API_URL=api.url, SLACK_BOT_TOKEN=SLACK_TEST_BOT_TOKEN
 * expect(api.methods()).not.toContain('chat.postMessage');
 */
export async function startSlackApi(options: SlackApiOptions = {}): Promise<LoopbackSlackApi> {
  const workspace = options.workspace ?? createSlackWorkspace();
  const record = options.record ?? true;
  const tokens = new Map<string, SlackTokenInfo>([
    [
      SLACK_TEST_BOT_TOKEN,
      {
        kind: 'bot',
        userId: workspace.bot.userId,
        botId: workspace.bot.botId,
        scopes: options.botScopes === undefined ? [...SLACK_BOT_SCOPES] : options.botScopes,
      },
    ],
    [
      SLACK_TEST_USER_TOKEN,
      {
        kind: 'user',
        userId: workspace.users[0]?.id ?? workspace.bot.userId,
        scopes: options.userScopes === undefined ? [...SLACK_USER_SCOPES] : options.userScopes,
      },
    ],
  ]);
  const handlers = new Map<string, SlackMethodHandler>(Object.entries(createHandlers()));
  const calls: SlackApiCall[] = [];
  const faults = new Map<
    string,
    Array<
      | { kind: 'error'; error: string; extra: Record<string, unknown> }
      | { kind: 'ratelimit'; retryAfter: number }
    >
  >();
  const holds = new Map<string, { promise: Promise<void>; release: () => void }>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    const args = await readArgs(request, url);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? args.token;
    const call: SlackApiCall = {
      method,
      args,
      status: 200,
      at: Date.now(),
      ...(bearer ? { token: bearer } : {}),
    };
    if (record) calls.push(call);
    const hold = holds.get(method);
    if (hold) await hold.promise;
    const token = bearer ? tokens.get(bearer) : undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token?.scopes) headers['x-oauth-scopes'] = token.scopes.join(',');
    const fault = faults.get(method)?.shift();
    if (fault?.kind === 'ratelimit') {
      call.status = 429;
      response.writeHead(429, { ...headers, 'retry-after': String(fault.retryAfter) });
      response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const answer = (body: Record<string, unknown>) => {
      response.writeHead(200, headers);
      response.end(JSON.stringify(body));
    };
    if (fault?.kind === 'error') return answer({ ok: false, error: fault.error, ...fault.extra });
    const handler = handlers.get(method);
    if (!handler) return answer({ ok: false, error: 'unknown_method' });
    if (!bearer) return answer({ ok: false, error: 'not_authed' });
    if (!token) return answer({ ok: false, error: 'invalid_auth' });
    try {
      const body = await handler(args, { token, workspace });
      answer({ ok: true, ...body });
    } catch (error) {
      if (error instanceof SlackApiError) return answer({ ok: false, error: error.error, ...error.extra });
      throw error;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    workspace,
    calls,
    handlers,
    tokens,
    methods: (from = 0) => calls.slice(from).map((call) => call.method),
    failNext(method, error, { times = 1, extra = {} } = {}) {
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push({ kind: 'error', error, extra });
      faults.set(method, queue);
    },
    rateLimitNext(method, { times = 1, retryAfter }) {
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push({ kind: 'ratelimit', retryAfter });
      faults.set(method, queue);
    },
    hold(method) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const entry = {
        promise,
        release: () => {
          if (holds.get(method) === entry) holds.delete(method);
          release();
        },
      };
      holds.set(method, entry);
      return entry.release;
    },
    async close() {
      for (const hold of [...holds.values()]) hold.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads arguments from the query string and a form-encoded or JSON body, as strings. */
async function readArgs(request: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const args: Record<string, string> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return args;
  if ((request.headers['content-type'] ?? '').includes('application/json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) {
      if (value === undefined || value === null) continue;
      args[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return args;
  }
  for (const [key, value] of new URLSearchParams(body)) args[key] = value;
  return args;
}

// ---- the methods ----------------------------------------------------------------------------

const READ_SCOPE: Record<string, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
};
const HISTORY_SCOPE: Record<string, string> = {
  public_channel: 'channels:history',
  private_channel: 'groups:history',
  im: 'im:history',
  mpim: 'mpim:history',
};

function typeOf(channel: SlackChannelRecord): 'public_channel' | 'private_channel' | 'im' | 'mpim' {
  if (channel.is_im) return 'im';
  if (channel.is_mpim) return 'mpim';
  return channel.is_private ? 'private_channel' : 'public_channel';
}

/** Throws `missing_scope` unless the token has `scope` (tokens without a scope list have all). */
function requireScope(token: SlackTokenInfo, scope: string): void {
  if (token.scopes && !token.scopes.includes(scope)) {
    throw new SlackApiError('missing_scope', { needed: scope, provided: token.scopes.join(',') });
  }
}

function asBool(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function limitOf(value: string | undefined, fallback: number, max: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, max) : fallback;
}

/** Cursors are base64 of `offset:<n>`, opaque like Slack's (`dXNlcjpVMDYxTkZUVDI=`). */
function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackApiError('invalid_cursor');
  return Number(match[1]);
}

/** One page of `items` from the cursor on, with Slack's `response_metadata.next_cursor` ('' at the end). */
function page<T>(items: readonly T[], args: Record<string, string>, fallback: number, max: number) {
  const offset = decodeOffset(args.cursor);
  const limit = limitOf(args.limit, fallback, max);
  const slice = items.slice(offset, offset + limit);
  const more = offset + slice.length < items.length;
  return { slice, more, next_cursor: more ? encodeOffset(offset + slice.length) : '' };
}

/** The channel the token may see, or `channel_not_found` (private channels need membership). */
function visibleChannel(context: SlackHandlerContext, id: string | undefined): SlackChannelRecord {
  const channel = context.workspace.channels.find((candidate) => candidate.id === id);
  if (!channel) throw new SlackApiError('channel_not_found');
  if (channel.is_private && !channel.members.includes(context.token.userId)) {
    throw new SlackApiError('channel_not_found');
  }
  return channel;
}

function channelView(channel: SlackChannelRecord, token: SlackTokenInfo) {
  const { members, ...rest } = channel;
  return {
    ...rest,
    ...(channel.name ? { name_normalized: channel.name } : {}),
    is_member: members.includes(token.userId),
    ...(channel.is_im ? {} : { num_members: members.length }),
  };
}

/**
 * A message as history and replies return it: user messages carry `client_msg_id`, `team`,
 * `blocks` (the rich_text form of the text) and a `user_profile`, as Slack's do.
 */
function messageView(message: SlackMessageRecord, workspace: SlackWorkspace) {
  if (!message.user || message.bot_id) return message;
  const user = workspace.users.find((candidate) => candidate.id === message.user);
  return {
    ...message,
    client_msg_id: `00000000-0000-4000-8000-${message.ts.replace('.', '').slice(-12)}`,
    team: workspace.team.id,
    blocks: [
      {
        type: 'rich_text',
        block_id: message.ts.slice(-5),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: message.text }] }],
      },
    ],
    ...(user
      ? {
          user_profile: {
            avatar_hash: user.profile.avatar_hash,
            image_72: user.profile.image_72,
            first_name: user.profile.first_name,
            real_name: user.profile.real_name,
            display_name: user.profile.display_name,
            team: workspace.team.id,
            name: user.name,
            is_restricted: false,
            is_ultra_restricted: false,
          },
        }
      : {}),
  };
}

function findUser(context: SlackHandlerContext, id: string | undefined): SlackUserRecord {
  const user = context.workspace.users.find((candidate) => candidate.id === id);
  if (!user) throw new SlackApiError('user_not_found');
  return user;
}

/** `ts` bounds of `conversations.history`/`replies` (`oldest`, `latest`, `inclusive`). */
function inWindow(ts: string, args: Record<string, string>): boolean {
  const value = Number(ts);
  const inclusive = asBool(args.inclusive);
  if (args.oldest && (inclusive ? value < Number(args.oldest) : value <= Number(args.oldest))) return false;
  if (args.latest && (inclusive ? value > Number(args.latest) : value >= Number(args.latest))) return false;
  return true;
}

function requireMember(context: SlackHandlerContext, channel: SlackChannelRecord): void {
  if (context.token.kind === 'bot' && !channel.members.includes(context.token.userId)) {
    throw new SlackApiError('not_in_channel');
  }
}

function findMessage(context: SlackHandlerContext, channel: SlackChannelRecord, ts: string | undefined) {
  const message = context.workspace.messagesOf(channel.id).find((candidate) => candidate.ts === ts);
  if (!message) throw new SlackApiError('message_not_found');
  return message;
}

function isOwn(message: SlackMessageRecord, token: SlackTokenInfo): boolean {
  return message.user === token.userId || (token.botId !== undefined && message.bot_id === token.botId);
}

function createHandlers(): Record<string, SlackMethodHandler> {
  return {
    'auth.test': (_args, { token, workspace }) => ({
      url: `https://${workspace.team.domain}.slack.com/`,
      team: workspace.team.name,
      user: workspace.users.find((user) => user.id === token.userId)?.name ?? token.userId,
      team_id: workspace.team.id,
      user_id: token.userId,
      ...(token.botId ? { bot_id: token.botId } : {}),
      is_enterprise_install: false,
    }),

    'conversations.list': (args, context) => {
      const types = (args.types || 'public_channel').split(',').map((type) => type.trim());
      for (const type of types) {
        const scope = READ_SCOPE[type];
        if (!scope) throw new SlackApiError('invalid_types');
        requireScope(context.token, scope);
      }
      const visible = context.workspace.channels.filter(
        (channel) =>
          types.includes(typeOf(channel)) &&
          !(asBool(args.exclude_archived) && channel.is_archived) &&
          (!channel.is_private || channel.members.includes(context.token.userId)),
      );
      const { slice, next_cursor } = page(visible, args, 100, 1000);
      return {
        channels: slice.map((channel) => channelView(channel, context.token)),
        response_metadata: { next_cursor },
      };
    },

    'conversations.info': (args, context) => {
      const channel = visibleChannel(context, args.channel);
      requireScope(context.token, READ_SCOPE[typeOf(channel)] ?? 'channels:read');
      return { channel: channelView(channel, context.token) };
    },

    'conversations.history': (args, context) => {
      const channel = visibleChannel(context, args.channel);
      requireScope(context.token, HISTORY_SCOPE[typeOf(channel)] ?? 'channels:history');
      requireMember(context, channel);
      // Newest first; thread replies appear only in conversations.replies.
      const top = context.workspace
        .messagesOf(channel.id)
        .filter(
          (message) => (!message.thread_ts || message.thread_ts === message.ts) && inWindow(message.ts, args),
        )
        .reverse();
      const { slice, more, next_cursor } = page(top, args, 100, 999);
      return {
        messages: slice.map((message) => messageView(message, context.workspace)),
        has_more: more,
        pin_count: 0,
        response_metadata: { next_cursor },
      };
    },

    'conversations.replies': (args, context) => {
      const channel = visibleChannel(context, args.channel);
      requireScope(context.token, HISTORY_SCOPE[typeOf(channel)] ?? 'channels:history');
      requireMember(context, channel);
      const all = context.workspace.messagesOf(channel.id);
      const target = all.find((message) => message.ts === args.ts);
      if (!target) throw new SlackApiError('thread_not_found');
      const root = target.thread_ts ?? target.ts;
      // The parent first, then replies oldest first.
      const thread = all.filter(
        (message) => (message.ts === root || message.thread_ts === root) && inWindow(message.ts, args),
      );
      const { slice, more, next_cursor } = page(thread, args, 100, 1000);
      return {
        messages: slice.map((message) => messageView(message, context.workspace)),
        has_more: more,
        response_metadata: { next_cursor },
      };
    },

    'conversations.open': (args, context) => {
      requireScope(context.token, 'im:write');
      const user = args.users ?? '';
      if (user.includes(',')) throw new SlackApiError('method_not_supported_for_channel_type');
      findUser(context, user);
      let dm = context.workspace.channels.find(
        (channel) => channel.is_im && channel.user === user && channel.members.includes(context.token.userId),
      );
      if (!dm) {
        if (asBool(args.prevent_creation)) return { no_op: true, channel: {} };
        const index = context.workspace.channels.filter((channel) => channel.is_im).length + 1;
        dm = {
          id: `D${String(index).padStart(7, '0')}`,
          is_channel: false,
          is_group: false,
          is_im: true,
          is_mpim: false,
          is_private: true,
          is_archived: false,
          created: BASE_TS,
          user,
          topic: { value: '', creator: '', last_set: 0 },
          purpose: { value: '', creator: '', last_set: 0 },
          members: [context.token.userId, user],
        };
        context.workspace.channels.push(dm);
        return { channel: { id: dm.id } };
      }
      return { no_op: true, already_open: true, channel: { id: dm.id } };
    },

    'users.list': (args, context) => {
      requireScope(context.token, 'users:read');
      const { slice, next_cursor } = page(context.workspace.users, args, 100, 1000);
      return { members: slice, cache_ts: BASE_TS, response_metadata: { next_cursor } };
    },

    'users.info': (args, context) => {
      requireScope(context.token, 'users:read');
      return { user: findUser(context, args.user) };
    },

    'users.lookupByEmail': (args, context) => {
      requireScope(context.token, 'users:read.email');
      const user = context.workspace.users.find(
        (candidate) => candidate.profile.email?.toLowerCase() === (args.email ?? '').toLowerCase(),
      );
      if (!user) throw new SlackApiError('users_not_found');
      return { user };
    },

    'users.profile.get': (args, context) => {
      requireScope(context.token, 'users.profile:read');
      return { profile: findUser(context, args.user ?? context.token.userId).profile };
    },

    'search.messages': (args, context) => {
      if (context.token.kind !== 'user') throw new SlackApiError('not_allowed_token_type');
      requireScope(context.token, 'search:read');
      const words = (args.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const count = limitOf(args.count, 20, 100);
      const pageNumber = limitOf(args.page, 1, 100);
      const matches: Record<string, unknown>[] = [];
      for (const channel of context.workspace.channels) {
        if (channel.is_private && !channel.members.includes(context.token.userId)) continue;
        for (const message of context.workspace.messagesOf(channel.id)) {
          const text = message.text.toLowerCase();
          if (!words.every((word) => text.includes(word))) continue;
          const user = context.workspace.users.find((candidate) => candidate.id === message.user);
          matches.push({
            iid: `${channel.id}-${message.ts}`,
            type: 'message',
            ts: message.ts,
            text: message.text,
            ...(message.user ? { user: message.user, username: user?.name ?? message.user } : {}),
            ...(message.bot_id ? { bot_id: message.bot_id, username: message.username } : {}),
            channel: {
              id: channel.id,
              name: channel.is_im ? (channel.user ?? channel.id) : channel.name,
              is_private: channel.is_private,
              is_im: channel.is_im,
              is_mpim: channel.is_mpim,
            },
            permalink: `https://${context.workspace.team.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`,
          });
        }
      }
      if (args.sort === 'timestamp') {
        const sign = args.sort_dir === 'asc' ? -1 : 1;
        matches.sort((a, b) => (Number(b.ts) - Number(a.ts)) * sign);
      }
      const pages = Math.max(1, Math.ceil(matches.length / count));
      return {
        query: args.query ?? '',
        messages: {
          total: matches.length,
          matches: matches.slice((pageNumber - 1) * count, pageNumber * count),
          paging: { count, total: matches.length, page: pageNumber, pages },
          pagination: {
            total_count: matches.length,
            page: pageNumber,
            per_page: count,
            page_count: pages,
            first: (pageNumber - 1) * count + 1,
            last: Math.min(matches.length, pageNumber * count),
          },
        },
      };
    },

    'chat.postMessage': (args, context) => {
      requireScope(context.token, 'chat:write');
      const channel = visibleChannel(context, args.channel);
      requireMember(context, channel);
      if (channel.is_archived) throw new SlackApiError('is_archived');
      const text = args.text ?? '';
      if (!text.trim()) throw new SlackApiError('no_text');
      if (text.length > 40_000) throw new SlackApiError('msg_too_long');
      const fields: Omit<SlackMessageRecord, 'type' | 'ts'> = { user: context.token.userId, text };
      if (context.token.botId) fields.bot_id = context.token.botId;
      if (args.thread_ts) {
        const parent = findMessage(context, channel, args.thread_ts);
        if (parent.thread_ts && parent.thread_ts !== parent.ts) throw new SlackApiError('invalid_thread_ts');
        fields.thread_ts = parent.ts;
        const message = context.workspace.addMessage(channel.id, fields);
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = message.ts;
        return { channel: channel.id, ts: message.ts, message };
      }
      const message = context.workspace.addMessage(channel.id, fields);
      return { channel: channel.id, ts: message.ts, message };
    },

    'chat.update': (args, context) => {
      requireScope(context.token, 'chat:write');
      const channel = visibleChannel(context, args.channel);
      const message = findMessage(context, channel, args.ts);
      if (!isOwn(message, context.token)) throw new SlackApiError('cant_update_message');
      const text = args.text ?? '';
      if (text.length > 40_000) throw new SlackApiError('msg_too_long');
      message.text = text;
      message.edited = { user: context.token.userId, ts: makeTs(Math.floor(Number(message.ts)) + 1) };
      return { channel: channel.id, ts: message.ts, text };
    },

    'chat.delete': (args, context) => {
      requireScope(context.token, 'chat:write');
      const channel = visibleChannel(context, args.channel);
      const message = findMessage(context, channel, args.ts);
      if (!isOwn(message, context.token)) throw new SlackApiError('cant_delete_message');
      const list = context.workspace.messagesOf(channel.id);
      list.splice(list.indexOf(message), 1);
      return { channel: channel.id, ts: message.ts };
    },

    'reactions.add': (args, context) => {
      requireScope(context.token, 'reactions:write');
      const channel = visibleChannel(context, args.channel);
      const message = findMessage(context, channel, args.timestamp);
      const name = args.name ?? '';
      if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackApiError('invalid_name');
      message.reactions ??= [];
      let reaction = message.reactions.find((candidate) => candidate.name === name);
      if (reaction?.users.includes(context.token.userId)) throw new SlackApiError('already_reacted');
      if (!reaction) {
        reaction = { name, users: [], count: 0 };
        message.reactions.push(reaction);
      }
      reaction.users.push(context.token.userId);
      reaction.count = reaction.users.length;
      return {};
    },

    'reactions.remove': (args, context) => {
      requireScope(context.token, 'reactions:write');
      const channel = visibleChannel(context, args.channel);
      const message = findMessage(context, channel, args.timestamp);
      const reaction = message.reactions?.find((candidate) => candidate.name === args.name);
      if (!reaction?.users.includes(context.token.userId)) throw new SlackApiError('no_reaction');
      reaction.users = reaction.users.filter((user) => user !== context.token.userId);
      reaction.count = reaction.users.length;
      if (reaction.count === 0) message.reactions = message.reactions?.filter((r) => r !== reaction);
      return {};
    },
  };
}
