import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** Which protocol era the client speaks. */
export type ProtocolEra = 'legacy' | 'modern';

/** How to start a server under test. */
export interface StdioServerOptions {
  /** Executable (default: the current node). */
  command?: string;
  /** Arguments, e.g. `[binPath, rootDir]`. */
  args: string[];
  /** Extra environment (merged over a minimal PATH/HOME environment). */
  env?: Record<string, string>;
  cwd?: string;
  /** `legacy`: the 2025-11-25 initialize handshake (default); `modern`: 2026-07-28 discovery. */
  era?: ProtocolEra;
  /** When set, the client declares the roots capability and answers `roots/list` with these URIs. */
  roots?: string[];
  /** When set, the client declares elicitation and answers every form with this action. */
  elicitation?: {
    action: 'accept' | 'decline';
    content?: Record<string, string | number | boolean | string[]>;
  };
}

/** A running server with a connected client. */
export interface StdioSession {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** The server process id (for reading its memory use from /proc). */
  pid: number | null;
  /** Replaces the roots the client reports and notifies the server (2025 era). */
  setRoots(uris: string[]): Promise<void>;
  /** Closes the client and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a built server bin as a child process and connects a real MCP client over stdio.
 *
 * @param options - command, arguments, era, client capabilities
 * @returns the session; call `close()` when done
 * @example
 * const session = await startStdioServer({ args: [bin, dir] });
 * const { tools } = await session.client.listTools();
 */
export async function startStdioServer(options: StdioServerOptions): Promise<StdioSession> {
  let roots = options.roots ?? [];
  const capabilities: Record<string, unknown> = {};
  if (options.roots) capabilities.roots = { listChanged: true };
  if (options.elicitation) capabilities.elicitation = { form: {} };
  const client = new Client(
    { name: 'bulwark-testkit', version: '0.0.0' },
    {
      capabilities,
      ...(options.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (options.roots) {
    client.setRequestHandler('roots/list', async () => ({ roots: roots.map((uri) => ({ uri })) }));
  }
  if (options.elicitation) {
    const answer = options.elicitation;
    client.setRequestHandler('elicitation/create', async () => ({
      action: answer.action,
      ...(answer.content ? { content: answer.content } : {}),
    }));
  }
  const transport = new StdioClientTransport({
    command: options.command ?? process.execPath,
    args: options.args,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(options.env ?? {}),
    },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    pid: transport.pid,
    async setRoots(uris) {
      roots = uris;
      await client.sendRootsListChanged();
    },
    async close() {
      await client.close();
    },
  };
}
