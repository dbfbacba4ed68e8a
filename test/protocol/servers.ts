// How the cross-server protocol suites start each built server bin over stdio, and the small
// helpers they share: listing every tool (all pages), calling a tool, and normalising what a
// result may legitimately carry differently from one call to the next.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoopbackSlackApi, ProtocolEra, StdioSession } from '@bulwark/testkit';
import { startStdioServer } from '@bulwark/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The six servers of the monorepo, by their folder name under `servers/`. */
export type ServerName = 'filesystem' | 'sqlite' | 'postgres' | 'fetch' | 'github' | 'slack';

/** `read`: the server's default, read-only configuration; `write`: every write opt-in switched on. */
export type Mode = 'read' | 'write';

/**
 * Absolute path of a server's built bin (`servers/<name>/dist/main.js`).
 *
 * @param name - the server's folder name
 */
export function binOf(name: ServerName): string {
  return path.resolve(here, '../../servers', name, 'dist/main.js');
}

/** A token-shaped GitHub secret for the loopback API (never a real token). */
export const GITHUB_TEST_TOKEN = 'ghp_bulwarkProtocolTest000000000000000000';

/**
 * Starts one built server over stdio with a real MCP client.
 *
 * @param name - which server
 * @param args - its command-line arguments (flags, roots, database file)
 * @param env - extra environment (connection strings, tokens, loopback API URLs)
 * @param era - `legacy` (2025-11-25 initialize handshake) or `modern` (2026-07-28 discovery)
 * @returns the connected session; `close()` it when done
 */
export function startServer(
  name: ServerName,
  args: readonly string[],
  env: Record<string, string> = {},
  era: ProtocolEra = 'legacy',
): Promise<StdioSession> {
  return startStdioServer({ args: [binOf(name), ...args], env, era });
}

/** One tool as `tools/list` returns it (the fields these suites read). */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  [key: string]: unknown;
}

/**
 * Every tool a session lists, following `nextCursor` until the last page.
 *
 * @param session - a connected session
 * @returns the tools in the server's order
 */
export async function listAllTools(session: StdioSession): Promise<ListedTool[]> {
  const tools: ListedTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await session.client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...(result.tools as ListedTool[]));
    cursor = result.nextCursor;
    if (!cursor) return tools;
  }
  throw new Error('tools/list did not end within 50 pages');
}

/** A tool result as a client receives it. */
export interface ToolResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
  [key: string]: unknown;
}

/**
 * Calls a tool and returns the raw result.
 *
 * @param session - a connected session
 * @param name - tool name
 * @param args - its arguments
 */
export async function callTool(
  session: StdioSession,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as ToolResult;
}

/** The text blocks of a result, joined (for failure messages). */
export function resultText(result: ToolResult): string {
  const blocks = Array.isArray(result.content) ? (result.content as { text?: unknown }[]) : [];
  return blocks.map((block) => (typeof block.text === 'string' ? block.text : '')).join('\n');
}

/** Matches the per-result random delimiter of an untrusted-content envelope. */
const ENVELOPE_ID = /untrusted-content-[0-9a-f]+/g;

/**
 * A deep copy of a protocol answer with what may legitimately differ between two equal calls
 * replaced by fixed markers: the random delimiter of every untrusted-content envelope, the
 * `_meta` object (the 2026-07-28 era puts the server's identity there on every result), the
 * values of the keys named in `variableKeys` (opaque cursors, times of day such as fetch's
 * `fetched_at`), and the text matched by `variablePatterns` inside strings (the same time of day
 * in a text rendering).
 *
 * @param value - a result, or part of one
 * @param variableKeys - object keys whose values are replaced by `"<variable>"`
 * @param variablePatterns - global regular expressions whose matches in strings become `<variable>`
 * @returns the normalised copy
 */
export function normalise(
  value: unknown,
  variableKeys: readonly string[] = [],
  variablePatterns: readonly RegExp[] = [],
): unknown {
  if (typeof value === 'string') {
    let text = value.replace(ENVELOPE_ID, 'untrusted-content-ID');
    for (const pattern of variablePatterns) text = text.replace(pattern, '<variable>');
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => normalise(item, variableKeys, variablePatterns));
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '_meta') continue;
      copy[key] = variableKeys.includes(key) ? '<variable>' : normalise(item, variableKeys, variablePatterns);
    }
    return copy;
  }
  return value;
}

/**
 * Waits until a Slack server's startup `auth.test` calls have been answered, so the tools it
 * lists are final (it hides tools whose scopes the token lacks a moment after initialize).
 *
 * @param api - the loopback Slack API
 * @param count - how many `auth.test` calls to wait for (one per token of every started server)
 */
export async function waitForSlackStartup(api: LoopbackSlackApi, count: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (api.methods().filter((method) => method === 'auth.test').length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // The answer is on its way once recorded; one more turn lets the server apply it.
  await new Promise((resolve) => setTimeout(resolve, 100));
}
