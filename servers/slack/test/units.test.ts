import { CliUsageError } from '@bulwark/runtime';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/cache.js';
import { loadConfig } from '../src/config.js';
import { compactText } from '../src/format.js';
import { ChannelScope, parseChannelEntries, parseChannelRef } from '../src/policy.js';
import { toolsToHide } from '../src/slack/identity.js';

const ENV = { SLACK_BOT_TOKEN: 'xoxb-1-2-3' };

describe('conversation references', () => {
  it('parse IDs, #names, @users and mention forms', () => {
    expect(parseChannelRef('C0123ABCD')).toMatchObject({ kind: 'id', id: 'C0123ABCD' });
    expect(parseChannelRef('#General')).toMatchObject({ kind: 'name', name: 'general' });
    expect(parseChannelRef('<#C0123ABCD|general>')).toMatchObject({ kind: 'id', id: 'C0123ABCD' });
    expect(parseChannelRef('@U0123ABCD')).toMatchObject({
      kind: 'user',
      user: { kind: 'id', id: 'U0123ABCD' },
    });
    expect(parseChannelRef('<@U0123ABCD>')).toMatchObject({
      kind: 'user',
      user: { kind: 'id', id: 'U0123ABCD' },
    });
    expect(parseChannelRef('@Ann@Example.com')).toMatchObject({
      kind: 'user',
      user: { kind: 'email', email: 'ann@example.com' },
    });
    expect(parseChannelRef('@Ann')).toMatchObject({ kind: 'user', user: { kind: 'handle', handle: 'ann' } });
    for (const bad of ['general', 'c0123', '#', '#a b', '@'])
      expect(() => parseChannelRef(bad)).toThrow(/not a conversation/);
  });

  it('are decided before any lookup whenever the strings decide it', () => {
    const ids = new ChannelScope(parseChannelEntries(['C1111111', 'D2222222']), '--channels');
    expect(ids.precheck(parseChannelRef('C1111111'))).toBe('allow');
    expect(ids.precheck(parseChannelRef('C9999999'))).toBe('deny');
    expect(ids.precheck(parseChannelRef('#general'))).toBe('unknown');
    expect(ids.precheck(parseChannelRef('@ann'))).toBe('unknown');
    const names = new ChannelScope(parseChannelEntries(['#general']), '--channels');
    expect(names.precheck(parseChannelRef('#GENERAL'))).toBe('allow');
    expect(names.precheck(parseChannelRef('#random'))).toBe('deny');
    expect(names.precheck(parseChannelRef('C1111111'))).toBe('unknown');
    expect(names.precheck(parseChannelRef('D1111111'))).toBe('deny');
    expect(names.precheck(parseChannelRef('@ann'))).toBe('deny');
    const all = new ChannelScope('*', '--allow-post');
    expect(all.precheck(parseChannelRef('@ann'))).toBe('allow');
  });

  it('compare a checked ID with the current channel name, fail closed', async () => {
    const names = new ChannelScope(parseChannelEntries(['#general', '@ann']), '--channels');
    const lookup = {
      conversation: async (id: string) =>
        id === 'C1' ? { name: 'general' } : id === 'D1' ? { user: 'U1' } : {},
      userId: async () => 'U1',
    };
    expect(await names.allows({ id: 'C1' }, lookup)).toBe(true);
    expect(await names.allows({ id: 'C2' }, lookup)).toBe(false);
    expect(await names.allows({ id: 'D1' }, lookup)).toBe(true);
    expect(await names.allows({ id: 'D2' }, lookup)).toBe(false);
  });
});

describe('compact text', () => {
  const names = {
    userName: (id: string) => (id === 'U1' ? 'Ann' : undefined),
    channelName: (id: string) => (id === 'C1' ? 'general' : undefined),
  };
  it('resolves mentions and links and decodes entities', () => {
    expect(
      compactText(
        'hi <@U1> <@U2> <#C1> <#C2|ops> <!here> <!subteam^S1|@devs> <https://x.io|docs> <https://y.io> a &lt;b&gt; &amp;',
        names,
      ),
    ).toBe('hi @Ann @U2 #general #ops @here @devs docs (https://x.io) https://y.io a <b> &');
  });
});

describe('configuration', () => {
  it('takes tokens from the environment only, and checks their kind', () => {
    expect(() => loadConfig([], {})).toThrow(/Set SLACK_BOT_TOKEN/);
    expect(() => loadConfig([], { SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/starts with xoxb-/);
    expect(() => loadConfig([], { ...ENV, SLACK_USER_TOKEN: 'xoxb-bot' })).toThrow(/starts with xoxp-/);
    expect(() => loadConfig(['--token', 'xoxb-1'], ENV)).toThrow(CliUsageError);
  });

  it('parses allowlists and refuses contradictions', () => {
    const config = loadConfig(
      ['--channels', 'C1111111,#General', '--channels', '@ann', '--allow-post', '*'],
      ENV,
    );
    expect(config).toMatchObject({
      allowPost: '*',
      allowEdit: false,
      unfurl: false,
      apiUrl: 'https://slack.com/api/',
    });
    expect((config as { channels: { raw: string }[] }).channels.map((entry) => entry.raw)).toEqual([
      'C1111111',
      '#General',
      '@ann',
    ]);
    expect(() => loadConfig(['--allow-edit'], ENV)).toThrow(/--allow-edit needs --allow-post/);
    expect(() => loadConfig(['--allow-post', '*,C1111111'], ENV)).toThrow(/cannot be combined/);
    expect(() => loadConfig(['--channels', 'general'], ENV)).toThrow(
      /--channels: "general" is not a conversation/,
    );
    expect(loadConfig([], { ...ENV, BULWARK_SLACK_ALLOW_POST: 'C1111111, #ops' })).toMatchObject({
      allowPost: [{ id: 'C1111111' }, { name: 'ops' }],
    });
  });

  it('sends the token over https only, except to loopback', () => {
    expect(loadConfig([], { ...ENV, SLACK_API_URL: 'https://slack-gov.com/api' })).toMatchObject({
      apiUrl: 'https://slack-gov.com/api/',
    });
    expect(loadConfig([], { ...ENV, SLACK_API_URL: 'http://127.0.0.1:9/api/' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(() => loadConfig([], { ...ENV, SLACK_API_URL: 'http://slack.example/api/' })).toThrow(
      /must use https/,
    );
    expect(() => loadConfig([], { ...ENV, SLACK_API_URL: 'https://u:p@slack.example/api/' })).toThrow(
      /credentials/,
    );
  });
});

describe('scopes', () => {
  it('hide the tools whose scopes are missing, and nothing when the scopes are unknown', () => {
    const tools = ['list_channels', 'get_users', 'post_message', 'update_message', 'search_messages'];
    expect(
      toolsToHide(
        tools,
        { userId: 'U', scopes: ['groups:read', 'chat:write'] },
        { userId: 'V', scopes: ['search:read'] },
      ),
    ).toEqual(['get_users', 'update_message']);
    expect(toolsToHide(tools, { userId: 'U' }, undefined)).toEqual([]);
  });
});

describe('the bounded cache', () => {
  it('evicts the least recently used entry and expires entries', () => {
    let now = 0;
    const cache = new BoundedCache<string, number>(2, 100, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
  });
});
