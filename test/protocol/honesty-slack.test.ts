// Annotation honesty of the Slack server, against the loopback Slack Web API (which records every
// method called and holds the workspace in memory). Every read-only tool is called with valid
// arguments, read-only and with --allow-post '*' --allow-edit, and (1) every method it called must
// be one of Slack's read methods (conversations.open only with prevent_creation, which finds an
// existing direct message and creates none), and (2) the whole workspace (conversations, members,
// every message with its thread fields and reactions) must be unchanged. The non-destructive
// write tools must only add: every message that existed stays as it was (a thread parent gains
// only Slack's own reply count, a reacted message only the new reaction), and no method that edits
// or deletes (chat.update, chat.delete, reactions.remove) is ever called.
import {
  type LoopbackSlackApi,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  type SlackApiCall,
  type SlackMessageRecord,
  type StdioSession,
  startSlackApi,
  structuredOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdditiveCoverage, describeReadOnlyHonesty, type ReadOnlyCalls } from './honesty.js';
import { callTool, type Mode, resultText, startServer, waitForSlackStartup } from './servers.js';
import { slackState } from './state.js';

/** Slack Web API methods that only read. */
const READ_METHODS = new Set([
  'auth.test',
  'conversations.list',
  'conversations.info',
  'conversations.history',
  'conversations.replies',
  'users.list',
  'users.info',
  'users.lookupByEmail',
  'users.profile.get',
  'search.messages',
]);

/** Methods that edit or delete what exists: never allowed for a tool declared non-destructive. */
const EDIT_OR_DELETE_METHODS = new Set(['chat.update', 'chat.delete', 'reactions.remove']);

/** The ts of the 5th generated message of every channel, the parent of a three-reply thread. */
const THREAD_TS = '1700000300.000100';

/**
 * Valid arguments for every read-only tool of the Slack server, against the generated workspace.
 * A tool listed with readOnlyHint: true but missing here fails the coverage test.
 */
const READ_ONLY_CALLS: ReadOnlyCalls = {
  list_channels: [
    { args: {} },
    { args: { types: ['public_channel', 'private_channel', 'im'], exclude_archived: false, limit: 3 } },
  ],
  get_channel_history: [
    { args: { channel: 'C0000001' } },
    { args: { channel: '#random', limit: 5 } },
    { args: { channel: '@user1' } },
    { args: { channel: 'C0000001', oldest: '1700000600', latest: '1700001200' } },
    // Refused: no direct message with user3 exists (and none may be opened for a read), and the
    // bot is not in #secret.
    { args: { channel: '@user3' }, refused: true },
    { args: { channel: '#secret' }, refused: true },
  ],
  get_thread_replies: [{ args: { channel: 'C0000001', thread_ts: THREAD_TS } }],
  get_users: [{ args: {} }, { args: { limit: 3, include_deleted: true } }],
  get_user_profile: [{ args: { user: 'U0000001' } }, { args: { user: 'user2@example.com' } }],
  search_messages: [
    { args: { query: 'Message' } },
    { args: { query: 'deploy', sort: 'timestamp', sort_dir: 'asc', count: 5 } },
  ],
};

let api: LoopbackSlackApi;
const sessions = new Map<Mode, StdioSession>();
const session = (mode: Mode): StdioSession => {
  const found = sessions.get(mode);
  if (!found) throw new Error(`no ${mode} session`);
  return found;
};

beforeAll(async () => {
  api = await startSlackApi();
  const env = {
    SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN,
    SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN,
    SLACK_API_URL: api.url,
    BULWARK_SLACK_MAX_RETRY_WAIT: '2',
  };
  sessions.set('read', await startServer('slack', [], env));
  sessions.set('write', await startServer('slack', ['--allow-post', '*', '--allow-edit'], env));
  // Two tokens per server, each checked once at startup.
  await waitForSlackStartup(api, 4);
});

afterAll(async () => {
  for (const running of sessions.values()) await running.close();
  await api?.close();
});

/** A method call as text: the method, and for conversations.open its prevent_creation flag. */
function describeCall(call: SlackApiCall): string {
  return call.method === 'conversations.open'
    ? `conversations.open(prevent_creation=${call.args.prevent_creation})`
    : call.method;
}

/** True for a call that only reads. */
function isRead(call: SlackApiCall): boolean {
  if (call.method === 'conversations.open') return ['true', '1'].includes(call.args.prevent_creation ?? '');
  return READ_METHODS.has(call.method);
}

/** A checkpoint of the workspace and the call log, and the check that neither changed since. */
async function workspaceWitness() {
  const from = api.calls.length;
  const before = slackState(api.workspace);
  return async (label: string) => {
    expect(
      api.calls
        .slice(from)
        .filter((call) => !isRead(call))
        .map(describeCall),
      `${label} called Slack methods that are not reads`,
    ).toEqual([]);
    expect(slackState(api.workspace), `${label} changed the workspace`).toEqual(before);
  };
}

/**
 * Asserts that the workspace only grew: every conversation that existed is unchanged, and every
 * message that existed is unchanged except the fields `mayChange` allows on the one message
 * `changed` names (`channel/ts`); returns the messages that are new, per conversation.
 */
function expectOnlyAdded(
  before: ReturnType<typeof slackState>,
  after: ReturnType<typeof slackState>,
  changed?: { at: string; mayChange: readonly (keyof SlackMessageRecord)[] },
): Record<string, SlackMessageRecord[]> {
  const added: Record<string, SlackMessageRecord[]> = {};
  expect(after.channels.slice(0, before.channels.length)).toEqual(before.channels);
  for (const [channel, earlier] of Object.entries(before.messages)) {
    const now = (after.messages[channel] ?? []) as SlackMessageRecord[];
    for (const message of earlier as SlackMessageRecord[]) {
      const current = now.find((candidate) => candidate.ts === message.ts);
      expect(current, `${channel}/${message.ts} was deleted`).toBeDefined();
      if (changed?.at === `${channel}/${message.ts}`) {
        const strip = (record: SlackMessageRecord) => {
          const copy: Record<string, unknown> = { ...record };
          for (const key of changed.mayChange) delete copy[key];
          return copy;
        };
        expect(strip(current as SlackMessageRecord), `${channel}/${message.ts} was edited`).toEqual(
          strip(message),
        );
      } else {
        expect(current, `${channel}/${message.ts} was changed`).toEqual(message);
      }
    }
    const known = new Set((earlier as SlackMessageRecord[]).map((message) => message.ts));
    const fresh = now.filter((message) => !known.has(message.ts));
    if (fresh.length > 0) added[channel] = fresh;
  }
  return added;
}

/** Runs one write tool call and returns the methods it called; fails on an error result. */
async function callWrite(tool: string, args: Record<string, unknown>): Promise<string[]> {
  const from = api.calls.length;
  const result = await callTool(session('write'), tool, args);
  expect(result.isError, resultText(result)).toBeFalsy();
  structuredOf(result);
  const methods = api.calls.slice(from).map(describeCall);
  expect(methods.filter((method) => EDIT_OR_DELETE_METHODS.has(method))).toEqual([]);
  return methods;
}

describe('honesty:slack — readOnlyHint', () => {
  describeReadOnlyHonesty({
    server: 'slack',
    modes: ['read', 'write'],
    session,
    calls: READ_ONLY_CALLS,
    witness: workspaceWitness,
  });
});

describe('honesty:slack — destructiveHint: false', () => {
  describeAdditiveCoverage('slack', 'write', () => session('write'), [
    'add_reaction',
    'post_message',
    'reply_to_thread',
  ]);

  it('honesty:slack:post_message — adds one message and leaves every earlier one as it was', async () => {
    const before = slackState(api.workspace);
    const methods = await callWrite('post_message', {
      channel: '#general',
      text: 'Posted by the honesty suite',
    });
    expect(methods.filter((method) => !READ_METHODS.has(method))).toEqual(['chat.postMessage']);
    const added = expectOnlyAdded(before, slackState(api.workspace));
    expect(Object.keys(added)).toEqual(['C0000001']);
    expect(added.C0000001?.map((message) => message.text)).toEqual(['Posted by the honesty suite']);
  });

  it('honesty:slack:post_message — to a user without a direct message, opens one and changes nothing else', async () => {
    const before = slackState(api.workspace);
    const methods = await callWrite('post_message', { channel: '@user2', text: 'A direct message' });
    expect(methods.filter((method) => !READ_METHODS.has(method))).toEqual([
      'conversations.open(prevent_creation=false)',
      'chat.postMessage',
    ]);
    const after = slackState(api.workspace);
    expect(after.channels.length).toBe(before.channels.length + 1);
    const added = expectOnlyAdded(before, after);
    expect(added).toEqual({});
    const dm = after.channels.at(-1) as { id: string; is_im: boolean; user: string };
    expect(dm).toMatchObject({ is_im: true, user: 'U0000002' });
    // (The loopback workspace fills any conversation with generated history on first use, so only
    // the posted message is looked for.)
    const posted = (after.messages[dm.id] as SlackMessageRecord[]).filter(
      (message) => message.text === 'A direct message',
    );
    expect(posted.map((message) => message.user)).toEqual(['UBOT0001']);
  });

  it('honesty:slack:reply_to_thread — adds one reply; the parent gains only its reply count', async () => {
    const before = slackState(api.workspace);
    const methods = await callWrite('reply_to_thread', {
      channel: 'C0000002',
      thread_ts: THREAD_TS,
      text: 'A reply from the honesty suite',
    });
    expect(methods.filter((method) => !READ_METHODS.has(method))).toEqual(['chat.postMessage']);
    const added = expectOnlyAdded(before, slackState(api.workspace), {
      at: `C0000002/${THREAD_TS}`,
      mayChange: ['reply_count', 'latest_reply'],
    });
    expect(added.C0000002?.map((message) => [message.text, message.thread_ts])).toEqual([
      ['A reply from the honesty suite', THREAD_TS],
    ]);
    const parent = (slackState(api.workspace).messages.C0000002 as SlackMessageRecord[]).find(
      (message) => message.ts === THREAD_TS,
    );
    expect(parent?.reply_count).toBe(4);
  });

  it("honesty:slack:add_reaction — adds the app's reaction and keeps everyone else's", async () => {
    const before = slackState(api.workspace);
    const earlier = (before.messages.C0000001 as SlackMessageRecord[]).find(
      (message) => message.ts === THREAD_TS,
    );
    expect(earlier?.reactions).toEqual([{ name: 'eyes', users: ['U0000002'], count: 1 }]);
    const methods = await callWrite('add_reaction', { channel: 'C0000001', ts: THREAD_TS, name: 'eyes' });
    expect(methods.filter((method) => !READ_METHODS.has(method))).toEqual(['reactions.add']);
    const after = slackState(api.workspace);
    expectOnlyAdded(before, after, { at: `C0000001/${THREAD_TS}`, mayChange: ['reactions'] });
    const now = (after.messages.C0000001 as SlackMessageRecord[]).find((message) => message.ts === THREAD_TS);
    expect(now?.reactions).toEqual([{ name: 'eyes', users: ['U0000002', 'UBOT0001'], count: 2 }]);
  });
});

describe('honesty:slack — the witness', () => {
  it('honesty:slack:witness — an edit through update_message is seen as a change', async () => {
    const posted = structuredOf<{ ts: string }>(
      await callTool(session('write'), 'post_message', { channel: '#random', text: 'to be edited' }),
    );
    const check = await workspaceWitness();
    const result = await callTool(session('write'), 'update_message', {
      channel: '#random',
      ts: posted.ts,
      text: 'edited',
    });
    expect(result.isError, resultText(result)).toBeFalsy();
    await expect(check('update_message')).rejects.toThrow(/not reads/);
  });
});
