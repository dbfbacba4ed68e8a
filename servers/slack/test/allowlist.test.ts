import {
  type LoopbackSlackApi,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  type StdioSession,
  startSlackApi,
  structuredOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, startSlack, toolNames, waitForStartup } from './helpers.js';

let api: LoopbackSlackApi;
/** IDs only: `--channels C0000001,C0000002 --allow-post C0000001`. */
let byId: StdioSession;
/** Names and users: `--channels #general,@user1 --allow-post '*' --unfurl`, with a user token. */
let byName: StdioSession;

beforeAll(async () => {
  api = await startSlackApi();
  [byId, byName] = await Promise.all([
    startSlack(api, ['--channels', 'C0000001,C0000002', '--allow-post', 'C0000001']),
    startSlack(api, ['--channels', '#general', '--channels', '@user1', '--allow-post', '*', '--unfurl'], {
      userToken: true,
    }),
  ]);
  await waitForStartup(api, 3);
});

afterAll(async () => {
  await byId?.close();
  await byName?.close();
  await api?.close();
});

/** Runs a call and returns the methods it sent to Slack. */
async function methodsOf(session: StdioSession, name: string, args: Record<string, unknown>) {
  const from = api.calls.length;
  const result = await call(session, name, args);
  return { result, methods: api.methods(from) };
}

describe('--channels with IDs', () => {
  it('refuses other conversations before any request', async () => {
    for (const channel of ['C0000003', '@user2', 'D0000001', '<@U0000002>']) {
      const { result, methods } = await methodsOf(byId, 'get_channel_history', { channel });
      expectError(result, /outside this server's --channels allowlist \(C0000001, C0000002\)/);
      expect(methods).toEqual([]);
    }
  });

  it('resolves a #name to its ID with read-only lookups, then checks the ID', async () => {
    const outside = await methodsOf(byId, 'get_channel_history', { channel: '#outside' });
    expectError(outside.result, /#outside is outside/);
    expect(outside.methods.every((method) => method === 'conversations.list')).toBe(true);
    const random = await methodsOf(byId, 'get_channel_history', { channel: '#random', limit: 1 });
    expect(structuredOf<{ channel: string }>(random.result).channel).toBe('C0000002');
  });

  it('refuses a post outside --allow-post before any request, even inside --channels', async () => {
    const { result, methods } = await methodsOf(byId, 'post_message', { channel: 'C0000002', text: 'hello' });
    expectError(result, /Writing to C0000002 is not allowed; --allow-post covers C0000001/);
    expect(methods).toEqual([]);
    const reaction = await methodsOf(byId, 'add_reaction', {
      channel: 'C0000003',
      ts: '1700000060.000100',
      name: 'tada',
    });
    expectError(reaction.result, /outside this server's --channels allowlist/);
    expect(reaction.methods).toEqual([]);
  });

  it('registers no edit tools without --allow-edit', async () => {
    const names = await toolNames(byId);
    expect(names).toContain('post_message');
    expect(names).not.toContain('update_message');
    expect(names).not.toContain('delete_message');
    expect(names).not.toContain('search_messages');
  });
});

describe('--channels with names and users', () => {
  it('refuses a #name that is not listed before any request', async () => {
    const { result, methods } = await methodsOf(byName, 'get_channel_history', { channel: '#random' });
    expectError(result, /#random is outside this server's --channels allowlist \(#general, @user1\)/);
    expect(methods).toEqual([]);
  });

  it("checks an ID against the channel's current name, fail closed", async () => {
    const random = await methodsOf(byName, 'get_channel_history', { channel: 'C0000002' });
    expectError(random.result, /C0000002 is outside/);
    expect(random.methods).toEqual(['conversations.info']);
    const general = await methodsOf(byName, 'get_channel_history', { channel: 'C0000001', limit: 1 });
    expect(general.result.isError).toBeFalsy();
    api.failNext('conversations.info', 'internal_error');
    const failing = await methodsOf(byName, 'get_channel_history', { channel: 'C0000007' });
    expectError(failing.result, /C0000007 is outside/);
    expect(failing.methods).not.toContain('conversations.history');
  });

  it('allows the direct message of a listed user, by @user or by its ID', async () => {
    const byUser = structuredOf<{ channel: string }>(
      await call(byName, 'get_channel_history', { channel: '@user1', limit: 1 }),
    );
    expect(byUser.channel).toBe('D0000001');
    const byDm = await call(byName, 'get_channel_history', { channel: 'D0000001', limit: 1 });
    expect(byDm.isError).toBeFalsy();
  });

  it('leaves conversations outside the allowlist out of listings and search', async () => {
    const list = structuredOf<{ channels: { id: string }[]; hidden_by_allowlist?: number }>(
      await call(byName, 'list_channels', { types: ['public_channel', 'im'], limit: 1000 }),
    );
    expect(list.channels.map((channel) => channel.id)).toEqual(['C0000001', 'D0000001']);
    expect(list.hidden_by_allowlist).toBeGreaterThan(0);
    const search = structuredOf<{
      matches: { channel: string; channel_label: string }[];
      hidden_by_allowlist?: number;
    }>(await call(byName, 'search_messages', { query: 'Reply 1', count: 100 }));
    expect(search.matches.length).toBeGreaterThan(0);
    expect(new Set(search.matches.map((match) => match.channel))).toEqual(new Set(['C0000001', 'D0000001']));
    expect(search.matches[0]?.channel_label).toBe('#general');
    expect(search.hidden_by_allowlist).toBeGreaterThan(0);
    const searches = api.calls.filter((c) => c.method === 'search.messages');
    expect(searches.every((c) => c.token === SLACK_TEST_USER_TOKEN)).toBe(true);
  });

  it("--channels also bounds --allow-post '*', and --unfurl turns unfurling on", async () => {
    const refused = await methodsOf(byName, 'post_message', { channel: '#random', text: 'hi' });
    expectError(refused.result, /#random is outside this server's --channels allowlist/);
    expect(refused.methods).toEqual([]);
    const posted = await methodsOf(byName, 'post_message', { channel: '#general', text: 'hi' });
    expect(posted.result.isError).toBeFalsy();
    const post = api.calls.filter((c) => c.method === 'chat.postMessage').at(-1);
    expect(post?.args).toMatchObject({ channel: 'C0000001', unfurl_links: 'true', unfurl_media: 'true' });
    expect(post?.token).toBe(SLACK_TEST_BOT_TOKEN);
  });
});
