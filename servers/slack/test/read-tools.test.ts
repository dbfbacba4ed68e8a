import {
  createSlackWorkspace,
  type LoopbackSlackApi,
  type StdioSession,
  startSlackApi,
  structuredOf,
  textOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, envelopesOf, expectError, startSlack, WRITE_METHODS } from './helpers.js';

interface Message {
  ts: string;
  author: string;
  author_id?: string;
  author_kind: 'human' | 'bot';
  text: string;
  text_truncated?: boolean;
  thread_ts?: string;
  reply_count?: number;
  reactions?: { name: string; count: number }[];
}
interface MessagePage {
  channel: string;
  channel_label: string;
  messages: Message[];
  truncated: boolean;
  next_cursor?: string;
}

let api: LoopbackSlackApi;
let session: StdioSession;
const BIG = 'C0000012';

beforeAll(async () => {
  const workspace = createSlackWorkspace({ users: 30, channels: 12 });
  // 30 messages of 7,000 bytes: more than one page's 128 KiB of text.
  for (let i = 1; i <= 30; i++) {
    workspace.addMessage(BIG, {
      user: 'U0000002',
      text: `${String(i).padStart(3, '0')} ${'x'.repeat(6996)}`,
      ts: `${1_800_000_000 + i}.000100`,
    });
  }
  workspace.addMessage('C0000002', {
    user: 'U0000003',
    ts: '1900000000.000100',
    text: 'invoice\u202Etxt.exe\u200B hidden\u{E0041}\u{E0042} tags <@U0000004> <!here> <mailto:a@b.c|a@b.c>',
  });
  api = await startSlackApi({ workspace });
  session = await startSlack(api);
});

afterAll(async () => {
  await session?.close();
  await api?.close();
});

async function history(args: Record<string, unknown>) {
  return structuredOf<MessagePage>(await call(session, 'get_channel_history', args));
}

describe('get_channel_history', () => {
  it('pages through a channel with next_cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await history({ channel: 'C0000001', limit: 12, ...(cursor ? { cursor } : {}) });
      expect(page.messages.length).toBeLessThanOrEqual(12);
      seen.push(...page.messages.map((message) => message.ts));
      cursor = page.next_cursor;
      expect(page.truncated).toBe(cursor !== undefined);
      pages++;
    } while (cursor && pages < 10);
    const expected = api.workspace
      .messagesOf('C0000001')
      .filter((message) => !message.thread_ts || message.thread_ts === message.ts)
      .map((message) => message.ts)
      .reverse();
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    // Slack's own cursor carried the pages.
    const cursors = api.calls.filter(
      (c) => c.method === 'conversations.history' && c.args.channel === 'C0000001',
    );
    expect(cursors.filter((c) => c.args.cursor).length).toBe(2);
  });

  it('names authors, marks threads and compacts mrkdwn', async () => {
    const page = await history({ channel: '#general', limit: 30 });
    const parent = page.messages.find((message) => message.reply_count);
    expect(parent).toMatchObject({ reply_count: 3, reactions: [{ name: 'eyes', count: 1 }] });
    expect(parent?.thread_ts).toBe(parent?.ts);
    const first = page.messages.at(-1) as Message;
    expect(first.author).toBe('User 1');
    expect(first.author_kind).toBe('human');
    expect(first.text).toBe(
      'Message 1 in C0000001 for @User 2, see #general and the doc (https://example.com/1) & more',
    );
    const bot = page.messages.find((message) => message.author_kind === 'bot');
    expect(bot).toMatchObject({ author: 'Deploy Bot', author_id: 'BOTHER01' });
    expect(page.channel_label).toBe('#general');
  });

  it('wraps each message in an envelope naming channel, author and kind, without hidden characters', async () => {
    const result = await call(session, 'get_channel_history', { channel: 'C0000002', limit: 1 });
    const page = structuredOf<MessagePage>(result);
    expect(page.messages[0]?.text).toBe('invoicetxt.exe hidden tags @User 4 @here a@b.c');
    const [envelope] = envelopesOf(result);
    expect(envelope?.attributes).toMatchObject({
      source: 'Slack #random',
      author: 'User 3',
      author_id: 'U0000003',
      kind: 'human',
      ts: '1900000000.000100',
    });
    expect(envelope?.body).toBe('invoicetxt.exe hidden tags @User 4 @here a@b.c');
    expect(textOf(result)).not.toMatch(/[\u202e\u200b]|\u{e0041}/u);
  });

  it('cuts a page at the text budget and continues where it stopped', async () => {
    const first = await history({ channel: BIG, limit: 50, oldest: '1800000000' });
    expect(first.truncated).toBe(true);
    expect(first.messages.length).toBeGreaterThan(10);
    expect(first.messages.length).toBeLessThan(30);
    const second = await history({
      channel: BIG,
      limit: 50,
      oldest: '1800000000',
      cursor: first.next_cursor,
    });
    const all = [...first.messages, ...second.messages].map((message) => message.text.slice(0, 3));
    expect(second.truncated).toBe(false);
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => String(30 - i).padStart(3, '0')));
  });

  it('bounds the time range with oldest and latest (ts or ISO 8601)', async () => {
    const page = await history({ channel: 'C0000001', oldest: '1700000600', latest: '2023-11-14T22:28:21Z' });
    expect(page.messages.map((message) => message.ts)).toEqual(
      [900, 840, 780, 720, 660, 600].map((offset) => `${1_700_000_000 + offset}.000100`),
    );
    const calls = api.calls.filter((c) => c.method === 'conversations.history' && c.args.oldest);
    expect(calls.at(-1)?.args).toMatchObject({
      oldest: '1700000600',
      latest: '1700000901.000000',
      inclusive: 'true',
    });
  });

  it('refuses a cursor of another call or another tool', async () => {
    const page = await history({ channel: 'C0000001', limit: 5 });
    expectError(
      await call(session, 'get_channel_history', { channel: 'C0000002', limit: 5, cursor: page.next_cursor }),
      /another get_channel_history call/,
    );
    expectError(
      await call(session, 'get_thread_replies', {
        channel: 'C0000001',
        thread_ts: '1700000300.000100',
        cursor: page.next_cursor,
      }),
      /does not belong to get_thread_replies/,
    );
  });

  it('reads an existing direct message by @user and never creates one', async () => {
    const page = await history({ channel: '@user1', limit: 5 });
    expect(page.channel).toBe('D0000001');
    const dms = api.workspace.channels.filter((channel) => channel.is_im).length;
    expectError(
      await call(session, 'get_channel_history', { channel: '@user2' }),
      /no direct message with @user2/,
    );
    expect(api.workspace.channels.filter((channel) => channel.is_im).length).toBe(dms);
    const opens = api.calls.filter((c) => c.method === 'conversations.open');
    expect(opens.every((c) => c.args.prevent_creation === 'true')).toBe(true);
  });
});

describe('get_thread_replies', () => {
  it('returns the parent and then the replies, oldest first, paginated', async () => {
    const first = structuredOf<MessagePage>(
      await call(session, 'get_thread_replies', {
        channel: 'C0000001',
        thread_ts: '1700000300.000100',
        limit: 2,
      }),
    );
    expect(first.messages.map((message) => message.text)).toEqual([
      'Message 5 in C0000001 for @User 6, see #general and the doc (https://example.com/5) & more',
      'Reply 1 to message 5',
    ]);
    const second = structuredOf<MessagePage>(
      await call(session, 'get_thread_replies', {
        channel: 'C0000001',
        thread_ts: 'p1700000300000100',
        limit: 2,
        cursor: first.next_cursor,
      }),
    );
    expect(second.messages.map((message) => message.text)).toEqual([
      'Reply 2 to message 5',
      'Reply 3 to message 5',
    ]);
    expect(second.messages.every((message) => message.thread_ts === '1700000300.000100')).toBe(true);
    expect(second.truncated).toBe(false);
  });
});

describe('list_channels and users', () => {
  it('pages through the channels the app can see', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = structuredOf<{ channels: { id: string }[]; next_cursor?: string }>(
        await call(session, 'list_channels', { limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      ids.push(...page.channels.map((channel) => channel.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const expected = api.workspace.channels
      .filter(
        (channel) =>
          !channel.is_im &&
          !channel.is_archived &&
          (!channel.is_private || channel.members.includes('UBOT0001')),
      )
      .map((channel) => channel.id);
    expect(ids).toEqual(expected);
    expect(ids).not.toContain('C0000004');
  });

  it('pages through users and finds one by handle or email', async () => {
    const first = structuredOf<{ users: { id: string }[]; next_cursor?: string }>(
      await call(session, 'get_users', { limit: 20 }),
    );
    const second = structuredOf<{ users: { id: string }[]; next_cursor?: string }>(
      await call(session, 'get_users', { limit: 20, cursor: first.next_cursor }),
    );
    expect([...first.users, ...second.users].map((user) => user.id)).toEqual(
      api.workspace.users.map((user) => user.id),
    );
    expect(second.next_cursor).toBeUndefined();
    const byEmail = structuredOf<{ id: string; title?: string }>(
      await call(session, 'get_user_profile', { user: 'user1@example.com' }),
    );
    expect(byEmail).toMatchObject({ id: 'U0000001', title: 'Engineer' });
    const byHandle = structuredOf<{ id: string }>(
      await call(session, 'get_user_profile', { user: '@user17' }),
    );
    expect(byHandle.id).toBe('U0000017');
    expectError(await call(session, 'get_user_profile', { user: '@nobody-here' }), /No user "@nobody-here"/);
  });
});

describe("Slack's ok: false answers", () => {
  it('are isError results naming the code and what it means', async () => {
    expectError(
      await call(session, 'get_channel_history', { channel: 'C0999999' }),
      /conversations\.history: channel_not_found: the conversation does not exist/,
    );
    expectError(
      await call(session, 'get_channel_history', { channel: 'C0000003' }),
      /not_in_channel: the app is not a member/,
    );
    api.failNext('users.list', 'missing_scope', {
      extra: { needed: 'users:read', provided: 'channels:read' },
    });
    expectError(
      await call(session, 'get_users'),
      /users\.list: missing_scope: .*\(needs users:read; the token has channels:read\)/,
    );
    expectError(
      await call(session, 'get_channel_history', { channel: '#no-such-channel' }),
      /No channel named #no-such-channel/,
    );
  });
});

describe('rate limits', () => {
  it('retries after HTTP 429 as Retry-After says, then succeeds', async () => {
    const from = api.calls.length;
    api.rateLimitNext('conversations.history', { times: 2, retryAfter: 0 });
    const page = await history({ channel: 'C0000001', limit: 2 });
    expect(page.messages.length).toBe(2);
    const statuses = api.calls
      .slice(from)
      .filter((c) => c.method === 'conversations.history')
      .map((c) => c.status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('says when to try again once the retries run out', async () => {
    api.rateLimitNext('conversations.history', { times: 3, retryAfter: 0 });
    api.rateLimitNext('conversations.history', { times: 1, retryAfter: 1 });
    expectError(
      await call(session, 'get_channel_history', { channel: 'C0000001' }),
      /^Slack rate-limited conversations\.history; try again in 1 s \(after \d{4}-\d\d-\d\dT[\d:]+Z\)\.$/,
    );
  });

  it('reports a Retry-After longer than the longest wait at once, without waiting', async () => {
    const from = api.calls.length;
    api.rateLimitNext('users.list', { times: 1, retryAfter: 120 });
    expectError(await call(session, 'get_users'), /try again in 120 s/);
    expect(api.methods(from)).toEqual(['users.list']);
  });
});

describe('read-only tools', () => {
  it('never called a write method', () => {
    expect(api.calls.length).toBeGreaterThan(20);
    expect(api.methods().filter((method) => WRITE_METHODS.includes(method))).toEqual([]);
  });
});
