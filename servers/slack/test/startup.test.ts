import {
  SLACK_BOT_SCOPES,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  startSlackApi,
  structuredOf,
} from '@bulwark/testkit';
import { describe, expect, it } from 'vitest';
import { call, expectError, startSlack, toolNames, waitForStartup, waitForTools } from './helpers.js';

const WRITE_TOOLS = [
  'add_reaction',
  'delete_message',
  'post_message',
  'remove_reaction',
  'reply_to_thread',
  'update_message',
];
const READ_TOOLS = [
  'get_channel_history',
  'get_thread_replies',
  'get_user_profile',
  'get_users',
  'list_channels',
];

describe('startup', () => {
  it('answers initialize while auth.test is still pending, then hides the tools the scopes cannot serve', async () => {
    const api = await startSlackApi({ botScopes: ['channels:read', 'channels:history', 'users:read'] });
    const release = api.hold('auth.test');
    const session = await startSlack(api, ['--allow-post', '*', '--allow-edit']);
    try {
      // Connected (initialize answered) while Slack has not answered auth.test.
      expect(await toolNames(session)).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
      const listed = await call(session, 'list_channels', { limit: 2 });
      expect(listed.isError).toBeFalsy();
      release();
      const names = await waitForTools(session, (list) => !list.includes('post_message'));
      expect(names).toEqual(READ_TOOLS);
      // stderr is a separate pipe: give its line a moment to arrive.
      for (let i = 0; i < 100 && !/hiding/.test(session.stderr()); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(session.stderr()).toMatch(/hiding post_message, reply_to_thread, add_reaction/);
    } finally {
      await session.close();
      await api.close();
    }
  });

  it('offers search_messages only with a user token that has search:read', async () => {
    const api = await startSlackApi({ userScopes: ['channels:read'] });
    const release = api.hold('auth.test');
    const [bare, withUser] = await Promise.all([startSlack(api), startSlack(api, [], { userToken: true })]);
    try {
      expect(await toolNames(bare)).not.toContain('search_messages');
      expect(await toolNames(withUser)).toContain('search_messages');
      release();
      const names = await waitForTools(withUser, (list) => !list.includes('search_messages'));
      expect(names).toEqual(READ_TOOLS);
    } finally {
      await bare.close();
      await withUser.close();
      await api.close();
    }
  });

  it('keeps every tool listed when the token is refused, and each call names the error', async () => {
    const api = await startSlackApi();
    const session = await startSlack(api, ['--allow-post', 'C0000001'], {
      botToken: 'xoxb-not-a-real-token',
    });
    try {
      await waitForStartup(api);
      expect(await toolNames(session)).toContain('post_message');
      expectError(await call(session, 'list_channels'), /invalid_auth: the token is invalid/);
      for (let i = 0; i < 100 && !/invalid_auth/.test(session.stderr()); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(session.stderr()).toMatch(/SLACK_BOT_TOKEN: Slack refused auth\.test: invalid_auth/);
      expect(session.stderr()).not.toContain('xoxb-not-a-real-token');
    } finally {
      await session.close();
      await api.close();
    }
  });

  it('serves the 2026-07-28 era, and never logs a token', async () => {
    const api = await startSlackApi({ botScopes: [...SLACK_BOT_SCOPES] });
    const session = await startSlack(api, ['--allow-post', '#general'], { era: 'modern', userToken: true });
    try {
      expect(await toolNames(session)).toContain('search_messages');
      const page = structuredOf<{ messages: unknown[] }>(
        await call(session, 'get_channel_history', { channel: '#general', limit: 3 }),
      );
      expect(page.messages).toHaveLength(3);
      expect(
        (await call(session, 'post_message', { channel: '#general', text: 'modern' })).isError,
      ).toBeFalsy();
      await waitForStartup(api, 2);
      for (const token of [SLACK_TEST_BOT_TOKEN, SLACK_TEST_USER_TOKEN])
        expect(session.stderr()).not.toContain(token);
    } finally {
      await session.close();
      await api.close();
    }
  });
});
