import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ProtocolEra } from './stdio-client.js';

/** How to connect a client to a server over Streamable HTTP. */
export interface HttpClientOptions {
  /** `legacy`: the 2025-11-25 initialize handshake (default); `modern`: 2026-07-28 discovery. */
  era?: ProtocolEra;
  /** Bearer token sent on every request. */
  token?: string;
  /** Extra headers sent on every request (an `Origin`, say). */
  headers?: Record<string, string>;
  /** When set, the client declares the roots capability and answers with these URIs. */
  roots?: string[];
}

/**
 * Connects a real MCP client to a Streamable HTTP endpoint.
 *
 * @param url - the MCP endpoint, e.g. `http://127.0.0.1:40123/mcp`
 * @param options - era, token, headers, roots
 * @returns the connected client; call `close()` when done
 * @throws whatever the connection's first exchange throws (401 as `UnauthorizedError`, ...)
 * @example
 * const client = await connectHttpClient(server.url, { era: 'modern', token });
 * const { tools } = await client.listTools();
 */
export async function connectHttpClient(url: string | URL, options: HttpClientOptions = {}): Promise<Client> {
  const capabilities: Record<string, unknown> = {};
  if (options.roots) capabilities.roots = { listChanged: true };
  const client = new Client(
    { name: 'bulwark-testkit', version: '0.0.0' },
    {
      capabilities,
      ...(options.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (options.roots) {
    const roots = options.roots;
    client.setRequestHandler('roots/list', async () => ({ roots: roots.map((uri) => ({ uri })) }));
  }
  const token = options.token;
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { authProvider: { token: async () => token } } : {}),
    ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
  });
  await client.connect(transport);
  return client;
}

/** How to start a server bin over HTTP. */
export interface HttpServerOptions {
  /** Arguments, e.g. `[binPath, rootDir]`; `--http 127.0.0.1:0` is added unless `--http` is there. */
  args: string[];
  /** Extra environment (merged over a minimal PATH/HOME environment), e.g. `BULWARK_HTTP_TOKEN`. */
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds to wait for the server to say where it listens (default 20000). */
  startTimeoutMs?: number;
}

/** A server bin serving Streamable HTTP as a child process. */
export interface HttpServerProcess {
  /** The MCP endpoint the server logged, e.g. `http://127.0.0.1:40123/mcp`. */
  url: string;
  /** The server's origin, for `/healthz` and `/metrics`. */
  origin: string;
  pid: number | undefined;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Connects a client (see {@link connectHttpClient}); closed with the server. */
  connect(options?: HttpClientOptions): Promise<Client>;
  /** Sends a signal and resolves with the exit code (or the signal name) once the process ends. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/**
 * Starts a built server bin with `--http 127.0.0.1:0` and waits until it logs its URL (at the
 * `info` level, so `BULWARK_LOG_LEVEL` must not be above it). A server that does not listen in
 * time is killed.
 *
 * @param options - bin and arguments, environment
 * @returns the running server
 * @throws Error when the process exits or stays silent before listening
 * @example
 * const server = await startHttpServer({ args: [bin, dir], env: { BULWARK_HTTP_TOKEN: token } });
 * const client = await server.connect({ token });
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerProcess> {
  const args = options.args.includes('--http') ? options.args : [...options.args, '--http', '127.0.0.1:0'];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(options.env ?? {}) },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not listen within the time limit; stderr:\n${stderr}`));
    }, options.startTimeoutMs ?? 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /Streamable HTTP on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening; stderr:\n${stderr}`));
    });
  });
  const clients: Client[] = [];
  return {
    url,
    origin: new URL(url).origin,
    pid: child.pid,
    stderr: () => stderr,
    async connect(clientOptions = {}) {
      const client = await connectHttpClient(url, clientOptions);
      clients.push(client);
      return client;
    },
    async stop(signal = 'SIGTERM') {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** One raw HTTP exchange's answer. */
export interface RawHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends one HTTP request with exactly the headers given, including ones `fetch` will not let a
 * caller set (`Host`), for tests of header validation.
 *
 * @param url - the target (its host and port are connected to; the path is used unless `path` is given)
 * @param init - method (default POST), headers, body, path
 * @returns status, headers and body text
 */
export function rawHttpRequest(
  url: string | URL,
  init: { method?: string; headers?: Record<string, string>; body?: string; path?: string } = {},
): Promise<RawHttpResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: init.path ?? `${target.pathname}${target.search}`,
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
