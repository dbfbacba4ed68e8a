import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type LoopbackSlackApi,
  SLACK_TEST_BOT_TOKEN,
  type StdioSession,
  startSlackApi,
  structuredOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, startSlack, waitForStartup } from './helpers.js';

let api: LoopbackSlackApi;
let session: StdioSession;
let declining: StdioSession;
let dir: string;
let auditFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bulwark-slack-'));
  auditFile = path.join(dir, 'audit.jsonl');
  api = await startSlackApi();
  const flags = ['--allow-post', 'C0000001,#random', '--allow-edit', '--audit-log', auditFile];
  [session, declining] = await Promise.all([
    startSlack(api, flags, { elicitation: { action: 'accept', content: { confirm: true } } }),
    startSlack(api, flags, { elicitation: { action: 'decline' } }),
  ]);
  await waitForStartup(api, 2);
});

afterAll(async () => {
  await session?.close();
  await declining?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SECRET_TEXT = 'text that must not reach the audit log';

async function post(channel: string, text = SECRET_TEXT) {
  return structuredOf<{ channel: string; ts: string }>(
    await call(session, 'post_message', { channel, text }),
  );
}

describe('posting', () => {
  it('posts as the app with unfurling off', async () => {
    const posted = await post('C0000001');
    const request = api.calls.filter((c) => c.method === 'chat.postMessage').at(-1);
    expect(request?.args).toMatchObject({
      channel: 'C0000001',
      text: SECRET_TEXT,
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    const stored = api.workspace.messagesOf('C0000001').find((message) => message.ts === posted.ts);
    expect(stored).toMatchObject({ user: 'UBOT0001', bot_id: 'BBOT0001', text: SECRET_TEXT });
  });

  it('replies in a thread and resolves #names in --allow-post', async () => {
    const reply = structuredOf<{ channel: string; thread_ts: string; ts: string }>(
      await call(session, 'reply_to_thread', {
        channel: '#random',
        thread_ts: '1700000300.000100',
        text: 'a reply',
      }),
    );
    expect(reply).toMatchObject({ channel: 'C0000002', thread_ts: '1700000300.000100' });
    const request = api.calls.filter((c) => c.method === 'chat.postMessage').at(-1);
    expect(request?.args).toMatchObject({
      thread_ts: '1700000300.000100',
      reply_broadcast: 'false',
      unfurl_links: 'false',
    });
  });

  it('adds and removes reactions idempotently', async () => {
    const args = { channel: 'C0000001', ts: '1700000060.000100', name: ':tada:' };
    expect(structuredOf<{ added: boolean }>(await call(session, 'add_reaction', args)).added).toBe(true);
    expect(structuredOf<{ added: boolean }>(await call(session, 'add_reaction', args)).added).toBe(false);
    expect(structuredOf<{ removed: boolean }>(await call(session, 'remove_reaction', args)).removed).toBe(
      true,
    );
    expect(structuredOf<{ removed: boolean }>(await call(session, 'remove_reaction', args)).removed).toBe(
      false,
    );
    expect(api.calls.filter((c) => c.method === 'reactions.add').at(-1)?.args.name).toBe('tada');
  });

  it("reports Slack's refusal of a write as an error naming the code", async () => {
    api.failNext('chat.postMessage', 'is_archived');
    expectError(
      await call(session, 'post_message', { channel: 'C0000001', text: 'x' }),
      /chat\.postMessage: is_archived: the channel is archived/,
    );
  });
});

describe('editing and deleting', () => {
  it("edits the app's own message", async () => {
    const posted = await post('C0000001', 'before');
    const result = structuredOf<{ updated: boolean }>(
      await call(session, 'update_message', { channel: 'C0000001', ts: posted.ts, text: 'after' }),
    );
    expect(result.updated).toBe(true);
    expect(api.workspace.messagesOf('C0000001').find((message) => message.ts === posted.ts)?.text).toBe(
      'after',
    );
  });

  it("refuses someone else's message before any edit or delete request", async () => {
    const from = api.calls.length;
    expectError(
      await call(session, 'update_message', { channel: 'C0000001', ts: '1700000060.000100', text: 'hijack' }),
      /written by U0000001, not by this app \(UBOT0001\)/,
    );
    expectError(
      await call(session, 'delete_message', { channel: 'C0000001', ts: '1700000060.000100' }),
      /not by this app/,
    );
    const methods = api.methods(from);
    expect(methods).not.toContain('chat.update');
    expect(methods).not.toContain('chat.delete');
    expect(
      api.workspace.messagesOf('C0000001').find((message) => message.ts === '1700000060.000100')?.text,
    ).toMatch(/^Message 1 /);
  });

  it('deletes an own message after confirmation, and not when the user declines', async () => {
    const keep = await post('C0000001', 'keep me');
    expectError(await call(declining, 'delete_message', { channel: 'C0000001', ts: keep.ts }), /declined/);
    expect(api.workspace.messagesOf('C0000001').some((message) => message.ts === keep.ts)).toBe(true);
    const gone = await post('C0000001', 'delete me');
    expect(
      structuredOf<{ deleted: boolean }>(
        await call(session, 'delete_message', { channel: 'C0000001', ts: gone.ts }),
      ).deleted,
    ).toBe(true);
    expect(api.workspace.messagesOf('C0000001').some((message) => message.ts === gone.ts)).toBe(false);
  });

  it('refuses edits outside --allow-post before any request', async () => {
    const from = api.calls.length;
    expectError(
      await call(session, 'delete_message', { channel: 'C0000003', ts: '1700000060.000100' }),
      /--allow-post covers C0000001, #random/,
    );
    expect(api.methods(from)).toEqual([]);
  });
});

describe('the audit log', () => {
  it('records every write with tool, target and outcome, never text or token', () => {
    const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, string>);
    expect(entries.length).toBeGreaterThanOrEqual(12);
    expect(entries[0]).toMatchObject({ server: 'bulwark-slack', tool: 'post_message', outcome: 'ok' });
    expect(entries[0]?.target).toMatch(/^C0000001\/\d+\.\d+$/);
    expect(entries).toContainEqual(
      expect.objectContaining({ tool: 'post_message', outcome: 'error', detail: 'is_archived' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        tool: 'update_message',
        target: 'C0000001/1700000060.000100',
        outcome: 'denied',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        tool: 'delete_message',
        outcome: 'denied',
        detail: 'Deletion declined by the user.',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        tool: 'delete_message',
        target: 'C0000003/1700000060.000100',
        outcome: 'denied',
      }),
    );
    const raw = readFileSync(auditFile, 'utf8');
    expect(raw).not.toContain(SECRET_TEXT);
    expect(raw).not.toContain('hijack');
    expect(raw).not.toContain(SLACK_TEST_BOT_TOKEN);
  });
});
