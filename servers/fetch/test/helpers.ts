import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
  structuredOf,
  unwrapUntrusted,
} from '@bulwark/testkit';

/** The built bin under test (`pnpm test` builds it first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/** Flags that open the loopback test sites, as an operator would for an internal host. */
export const LOOPBACK = ['--allow-host', '127.0.0.1'];

/**
 * Starts the built fetch server over stdio.
 *
 * @param args - flags
 * @param options - era, environment
 */
export function startFetch(
  args: string[],
  options: Omit<StdioServerOptions, 'args'> = {},
): Promise<StdioSession> {
  return startStdioServer({ ...options, args: [BIN, ...args] });
}

/** The structured result of a fetch call. */
export interface FetchResult {
  url: string;
  final_url: string;
  status: number;
  content_type: string;
  encoding: string;
  title?: string;
  format: string;
  content: string;
  start_index: number;
  next_start_index: number | null;
  total_length: number;
  truncated: boolean;
  body_truncated: boolean;
  simplified: boolean;
  from_cache: boolean;
  fetched_at: string;
}

/** Calls `fetch` and returns the raw result. */
export function callFetch(session: StdioSession, args: Record<string, unknown>) {
  return session.client.callTool({ name: 'fetch', arguments: args });
}

/** Calls `fetch`, expects success, and returns the structured result with the envelope opened. */
export async function fetchOk(
  session: StdioSession,
  args: Record<string, unknown>,
): Promise<FetchResult & { body: string }> {
  const result = await callFetch(session, args);
  if (result.isError) throw new Error(`fetch failed: ${JSON.stringify(result.content)}`);
  const structured = structuredOf<FetchResult>(result);
  return { ...structured, body: unwrapUntrusted(structured.content) };
}

/** Calls `fetch`, expects an isError result, and returns its one line. */
export async function fetchError(session: StdioSession, args: Record<string, unknown>): Promise<string> {
  const result = await callFetch(session, args);
  if (!result.isError)
    throw new Error(`expected an error, got: ${JSON.stringify(result.structuredContent).slice(0, 200)}`);
  const first = (result.content as { type: string; text: string }[])[0];
  return first?.text ?? '';
}
