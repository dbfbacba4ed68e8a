import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LoopbackSlackApi,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
} from '@bulwark/testkit';
import { expect } from 'vitest';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/** Web API methods that change something in Slack. */
export const WRITE_METHODS = [
  'chat.postMessage',
  'chat.update',
  'chat.delete',
  'reactions.add',
  'reactions.remove',
];

/** Options of {@link startSlack}: extra environment, and whether to set the user token. */
export interface StartSlackOptions extends Omit<StdioServerOptions, 'args'> {
  /** Also set SLACK_USER_TOKEN (default false). */
  userToken?: boolean;
  /** Override SLACK_BOT_TOKEN. */
  botToken?: string;
}

/**
 * Starts the built Slack server against a loopback API with the given flags. Rate-limit waits
 * are bounded for tests (BULWARK_SLACK_MAX_RETRY_WAIT=2).
 *
 * @param api - the loopback Slack API
 * @param args - flags
 * @param options - era, elicitation, environment, tokens
 */
export function startSlack(
  api: LoopbackSlackApi,
  args: string[] = [],
  options: StartSlackOptions = {},
): Promise<StdioSession> {
  const { userToken, botToken, env, ...rest } = options;
  return startStdioServer({
    ...rest,
    args: [BIN, ...args],
    env: {
      SLACK_BOT_TOKEN: botToken ?? SLACK_TEST_BOT_TOKEN,
      ...(userToken ? { SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN } : {}),
      SLACK_API_URL: api.url,
      BULWARK_SLACK_MAX_RETRY_WAIT: '2',
      ...(env ?? {}),
    },
  });
}

/** Calls a tool and returns the raw result. */
export async function call(session: StdioSession, name: string, args: Record<string, unknown> = {}) {
  return session.client.callTool({ name, arguments: args });
}

/** Names of the tools the server lists now. */
export async function toolNames(session: StdioSession): Promise<string[]> {
  const { tools } = await session.client.listTools();
  return tools.map((tool) => tool.name).sort();
}

/**
 * Waits until the listed tools satisfy a predicate (the startup check hides tools a moment after
 * initialize), polling every 25 ms for at most 10 s.
 */
export async function waitForTools(
  session: StdioSession,
  predicate: (names: string[]) => boolean,
): Promise<string[]> {
  let names: string[] = [];
  for (let i = 0; i < 400; i++) {
    names = await toolNames(session);
    if (predicate(names)) return names;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return names;
}

/** Waits until the startup `auth.test` calls have been answered (the tools are final then). */
export async function waitForStartup(api: LoopbackSlackApi, count = 1): Promise<void> {
  for (let i = 0; i < 400 && api.methods().filter((method) => method === 'auth.test').length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // The answer is on its way once recorded; one more turn lets the server apply it.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Asserts an isError result whose text matches. */
export function expectError(result: { isError?: boolean; content?: unknown }, pattern: RegExp): void {
  expect(result.isError).toBe(true);
  const blocks = Array.isArray(result.content) ? (result.content as { text?: string }[]) : [];
  expect(blocks.map((block) => block.text ?? '').join('\n')).toMatch(pattern);
}

/** Every untrusted-content envelope in a result's text blocks: its attributes and content. */
export function envelopesOf(result: {
  content?: unknown;
}): { attributes: Record<string, string>; body: string }[] {
  const blocks = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
  const found: { attributes: Record<string, string>; body: string }[] = [];
  for (const block of blocks) {
    if (block.type !== 'text' || !block.text) continue;
    for (const match of block.text.matchAll(
      /<untrusted-content-([0-9a-f]+) ([^>\n]*)>\n([\s\S]*?)\n<\/untrusted-content-\1>/g,
    )) {
      const attributes = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [
          pair[1] as string,
          pair[2] as string,
        ]),
      );
      found.push({ attributes, body: match[3] ?? '' });
    }
  }
  return found;
}
