import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; may be async. Its return value is ignored (so `res.end(...)` can be returned). */
export type WebHandler = (request: IncomingMessage, response: ServerResponse) => unknown;

/** One request the loopback web server saw. */
export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingMessage['headers'];
}

/** A loopback HTTP server playing a web site; see {@link startLoopbackWeb}. */
export interface LoopbackWeb {
  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`), no trailing slash. */
  origin: string;
  port: number;
  /** Every request received, in order. */
  requests: SeenRequest[];
  /** Adds or replaces the handler for `"GET /path"` (path without the query). */
  route(key: string, handler: WebHandler): void;
  close(): Promise<void>;
}

/** Options of {@link startLoopbackWeb}. */
export interface LoopbackWebOptions {
  /** `127.0.0.1` (default) or `::1`. */
  host?: '127.0.0.1' | '::1';
  /** Port to bind (default: any free one). */
  port?: number;
}

/**
 * Starts an HTTP server on a loopback address whose routes are a map from `"METHOD /path"` to a
 * handler, so a test reads like the site it plays. Unknown routes answer 404. Every request is
 * recorded. Open sockets are destroyed on close, so a test that leaves a dripping response
 * behind still ends promptly.
 *
 * @param routes - initial routes, e.g. `{ 'GET /robots.txt': (req, res) => res.end('') }`
 * @param options - address and port
 * @returns the running server
 */
export async function startLoopbackWeb(
  routes: Record<string, WebHandler> = {},
  options: LoopbackWebOptions = {},
): Promise<LoopbackWeb> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    const handler = table.get(`${request.method} ${path.split('?')[0]}`);
    if (!handler) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: host === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`,
    port,
    requests,
    route: (key, handler) => table.set(key, handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
