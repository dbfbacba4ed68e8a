import { spawn } from 'node:child_process';

/** What a server wrote to stdout during a raw exchange. */
export interface RawExchange {
  /** Every non-empty stdout line, as written. */
  lines: string[];
  /** The lines parsed as JSON (a line that is not JSON makes the exchange throw). */
  messages: Record<string, unknown>[];
  /** Responses by their JSON-RPC id. */
  byId: Map<unknown, Record<string, unknown>>;
}

/**
 * Starts a server bin, writes raw lines to its stdin (JSON-RPC messages, or anything else a
 * broken client might send), waits for responses to the given ids, closes stdin and returns what
 * came out on stdout. For proving that stdout carries protocol messages only.
 *
 * @param args - node arguments: the bin and its arguments
 * @param input - each item is written as one line: strings as they are, objects as JSON
 * @param awaitIds - response ids to wait for (at most 5 s) before closing stdin
 * @returns stdout's lines and messages
 * @throws when a stdout line is not JSON
 */
export async function rawStdioExchange(
  args: string[],
  input: readonly (string | Record<string, unknown>)[],
  awaitIds: readonly number[],
): Promise<RawExchange> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  for (const item of input) child.stdin.write(`${typeof item === 'string' ? item : JSON.stringify(item)}\n`);
  const answered = () => awaitIds.every((id) => stdout.includes(`"id":${id}`));
  for (let waited = 0; waited < 5000 && !answered(); waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  const lines = stdout.split('\n').filter(Boolean);
  const messages = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, messages, byId: new Map(messages.map((message) => [message.id, message])) };
}

/** The `initialize` request and `initialized` notification of a 2025-11-25 client, as raw messages. */
export const RAW_HANDSHAKE: readonly Record<string, unknown>[] = [
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
];
