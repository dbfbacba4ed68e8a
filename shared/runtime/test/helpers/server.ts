// A small server spec for the HTTP tests (a read tool, a write tool, a slow tool and a failing
// one), started in process on 127.0.0.1 with options parsed from a command line.
import { request as httpRequest } from 'node:http';
import { ADDITIVE, READ_ONLY } from '@bulwark/hardening/annotations';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import * as z from 'zod';
import {
  HTTP_CLI_OPTIONS,
  type HttpServerHandle,
  parseHttpConfig,
  startHttpServer,
} from '../../src/http/index.js';
import {
  type AuditLog,
  createAuditLog,
  createLogger,
  defineTool,
  parseCommandLine,
  type ServerSpec,
  ToolError,
} from '../../src/index.js';

export interface TestDeps {
  notes: string[];
  audit: AuditLog;
  /** Resolves the slow tool's wait. */
  gate: { wait: Promise<void>; open(): void; aborted: boolean; started: number };
}

export function createGate(): TestDeps['gate'] {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open, aborted: false, started: 0 };
}

const echo = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'Returns its message.',
  input: z.object({ message: z.string().max(100).describe('text to return') }),
  output: z.object({ message: z.string() }),
  annotations: READ_ONLY,
  async handler({ message }) {
    return { structured: { message }, text: message };
  },
});

const writeNote = defineTool<
  z.ZodObject<{ note: z.ZodString }>,
  z.ZodObject<{ count: z.ZodNumber }>,
  TestDeps
>({
  name: 'write_note',
  title: 'Write note',
  description: 'Appends a note.',
  input: z.object({ note: z.string().max(10_000).describe('the note') }),
  output: z.object({ count: z.number() }),
  annotations: ADDITIVE,
  async handler({ note }, { deps }) {
    deps.notes.push(note);
    deps.audit.record({ tool: 'write_note', target: 'notes', outcome: 'ok' });
    return { structured: { count: deps.notes.length }, text: `${deps.notes.length} notes` };
  },
});

const slow = defineTool<z.ZodObject<Record<string, never>>, z.ZodObject<{ done: z.ZodBoolean }>, TestDeps>({
  name: 'slow',
  title: 'Slow',
  description: 'Waits until the test opens the gate.',
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  annotations: READ_ONLY,
  async handler(_args, { deps, signal }) {
    deps.gate.started += 1;
    signal.addEventListener('abort', () => {
      deps.gate.aborted = true;
    });
    await deps.gate.wait;
    return { structured: { done: true }, text: 'done' };
  },
});

const fail = defineTool({
  name: 'fail',
  title: 'Fail',
  description: 'Always fails.',
  input: z.object({}),
  output: z.object({}),
  annotations: READ_ONLY,
  async handler() {
    throw new ToolError('It failed on purpose; do not retry.');
  },
});

export const quiet = createLogger('test', 'error', () => {});

export interface StartedServer {
  handle: HttpServerHandle;
  url: string;
  deps: TestDeps;
  logs: string[];
  serverAudit: string[];
}

/**
 * Starts the test server in process; `argv` is a command line of HTTP options (`--http` defaults
 * to 127.0.0.1:0) and `env` its environment.
 */
export async function startTestServer(
  argv: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<StartedServer> {
  const values = parseCommandLine(
    HTTP_CLI_OPTIONS,
    argv.includes('--http') ? argv : ['--http', '127.0.0.1:0', ...argv],
    env,
  ).values;
  const config = parseHttpConfig(values, env);
  if (!config) throw new Error('no --http');
  const logs: string[] = [];
  const serverAudit: string[] = [];
  const logger = createLogger('test-http', 'debug', (line) => logs.push(line));
  const deps: TestDeps = {
    notes: [],
    audit: createAuditLog('test', undefined, (line) => serverAudit.push(line)),
    gate: createGate(),
  };
  const spec: ServerSpec<TestDeps> = {
    name: 'bulwark-test',
    version: '0.0.0',
    tools: [echo, writeNote, slow, fail],
    createDeps: () => deps,
    logger,
  };
  const handle = await startHttpServer(
    spec,
    { ...config, auditLog: config.auditLog === 'stderr' ? 'off' : config.auditLog },
    logger,
  );
  return { handle, url: handle.url.href, deps, logs, serverAudit };
}

/** Connects a real MCP client over Streamable HTTP. */
export async function connect(
  url: string,
  options: { era?: 'legacy' | 'modern'; token?: string; headers?: Record<string, string> } = {},
): Promise<Client> {
  const client = new Client(
    { name: 'runtime-test', version: '0.0.0' },
    options.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const token = options.token;
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      ...(token ? { authProvider: { token: async () => token } } : {}),
      ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
    }),
  );
  return client;
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content;
  return content?.[0]?.text ?? '';
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** A `tools/call` body (2025 era, no session needed on a stateless server). */
export function callBody(name: string, args: Record<string, unknown> = {}, id = 2): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** One HTTP exchange with exactly these headers (node:http, so `Host` can be forged). */
export function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; path?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: init.path ?? target.pathname,
        method: init.method ?? 'POST',
        headers: init.headers ?? {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
