import { type LoopbackSlackApi, type StdioSession, startSlackApi, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from './helpers.js';

// Every tool's definition as a client sees it (tools/list), committed under __toolsnaps__/, so a
// schema or description change is always a visible, reviewed diff. Update with `vitest -u`.
let api: LoopbackSlackApi;
let session: StdioSession;

beforeAll(async () => {
  api = await startSlackApi();
  session = await startSlack(api, ['--allow-post', '*', '--allow-edit'], { userToken: true });
});

afterAll(async () => {
  await session?.close();
  await api?.close();
});

describe('tool definitions', () => {
  it('match the committed snapshots and stay within the definition budget', async () => {
    const { snapshots, largestListBytes } = await toolSnapshots([session.client]);
    expect([...snapshots.keys()].sort()).toEqual([
      'add_reaction',
      'delete_message',
      'get_channel_history',
      'get_thread_replies',
      'get_user_profile',
      'get_users',
      'list_channels',
      'post_message',
      'remove_reaction',
      'reply_to_thread',
      'search_messages',
      'update_message',
    ]);
    for (const [name, snapshot] of snapshots) {
      await expect(snapshot).toMatchFileSnapshot(`../__toolsnaps__/${name}.json`);
    }
    // 12 tools with input and output schemas measured about 21 KB when this budget was set;
    // growth past 24 KiB needs a deliberate decision here, not a silent drift.
    expect(largestListBytes).toBeLessThan(24 * 1024);
  });
});
