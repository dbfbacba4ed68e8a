/**
 * The Streamable HTTP transport: a `node:http` server whose `/mcp` endpoint is the MCP SDK's
 * `createMcpHandler` (2026-07-28 per-request serving plus the stateless 2025-era fallback), with
 * Host/Origin allowlists, protocol-version and body checks, authentication, per-token tool
 * visibility, rate limits, metrics, audit, a per-request deadline and graceful shutdown in
 * front. Heavy modules (jose, prom-client, rate-limiter-flexible, ioredis, the SDK's Node adapter)
 * are imported here, and this module is imported only when `--http` is given.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  originValidationResponse,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { type AuditLog, createAuditLog } from '../audit.js';
import type { Logger } from '../logger.js';
import { runInRequestScope } from '../request-scope.js';
import { createServerFactory, type ServerSpec } from '../server.js';
import { type Caller, createAuthenticator, insufficientScopeResponse } from './auth.js';
import { createMetrics } from './metrics.js';
import type { HttpConfig } from './options.js';
import { createHttpHooks, isWriteTool } from './policy.js';
import { createRateLimits } from './rate-limit.js';

/** The revision `createMcpHandler` serves on its modern path (the SDK keeps the list internal). */
const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Every `MCP-Protocol-Version` header value this server answers; any other gets 400. */
export const KNOWN_PROTOCOL_VERSIONS: readonly string[] = Object.freeze([
  MODERN_PROTOCOL_VERSION,
  ...SUPPORTED_PROTOCOL_VERSIONS,
]);

/** The path of the MCP endpoint. */
export const MCP_PATH = '/mcp';

/** A running HTTP server; see {@link startHttpServer}. */
export interface HttpServerHandle {
  /** The MCP endpoint as bound, e.g. `http://127.0.0.1:40123/mcp`. */
  readonly url: URL;
  /** The public resource URL (the OAuth audience); the bound URL unless `--resource-url` was given. */
  readonly resourceUrl: URL;
  /** Requests being served right now. */
  readonly inflight: number;
  /**
   * Graceful shutdown: from now on `/healthz` says 503 and every new request gets
   * `503` with `Retry-After` and `Connection: close`; requests in flight finish (up to the
   * shutdown timeout, then they are cut), then the listener and all connections close and
   * the rate-limit store disconnects. Idempotent.
   *
   * @returns resolves when everything is closed
   */
  shutdown(): Promise<void>;
}

/**
 * Starts serving a server over Streamable HTTP. Routes:
 * - `POST /mcp` (MCP; `GET`/`DELETE` answer 405: serving is stateless, there are no sessions)
 * - `GET /healthz` (`{"status":"ok"}`, 503 while shutting down; no Host check, for load balancers)
 * - `GET /metrics` (Prometheus text)
 * - `GET /.well-known/oauth-protected-resource[/…]` (RFC 9728, when OAuth is configured)
 *
 * Checks, in order, on every route but `/healthz`: Host header in the allowlist (403), Origin
 * in the allowlist when present (403; DNS-rebinding and CSRF defence per the MCP transport
 * spec); then on `/mcp`: `MCP-Protocol-Version` known when present (400), body within the cap
 * (413, before reading it when `Content-Length` says so), bearer token (401/403/503, see
 * `createAuthenticator`), write scope for a `tools/call` of a write tool (403
 * `insufficient_scope` naming the scopes to request). Each request must finish within the
 * deadline (504, or the stream is cut).
 *
 * One `McpServer` is built per request from the spec (fresh per-connection dependencies each
 * time); on the 2025 era there is no `initialize` state between requests, so client roots and
 * elicitation are unavailable there (tools run on the operator's roots, and confirmations fall
 * back to the host's own approval), while the 2026-07-28 era gets both through input requests.
 *
 * A `subscriptions/listen` stream (2026-07-28) is a request like any other: it is cut at the
 * deadline, and the servers publish no change events over HTTP.
 *
 * @param spec - the server
 * @param config - the HTTP settings (see `parseHttpConfig`)
 * @param logger - for startup, shutdown, store and transport problems
 * @returns the running server
 * @throws Error when the address cannot be bound (in use, no permission)
 * @example
 * const config = parseHttpConfig(parseCommandLine(HTTP_CLI_OPTIONS, ['--http', '127.0.0.1:0']).values);
 * const server = await startHttpServer(spec, config!, logger);
 * // ... server.url is http://127.0.0.1:PORT/mcp
 * await server.shutdown();
 */
export async function startHttpServer<Deps>(
  spec: ServerSpec<Deps>,
  config: HttpConfig,
  logger: Logger,
): Promise<HttpServerHandle> {
  const [{ toNodeHandler }, metrics] = await Promise.all([
    import('@modelcontextprotocol/node'),
    Promise.resolve(createMetrics(spec.name)),
  ]);
  const limits = await createRateLimits(config.rateLimit, spec.name, logger, (up) =>
    metrics.setRateLimitStoreUp(up),
  );
  const audit = createCallAudit(spec.name, config.auditLog);
  const writeTools = new Set(spec.tools.filter(isWriteTool).map((tool) => tool.name));

  const server = createServer({ keepAliveTimeout: 65_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const url = new URL(
    `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}${MCP_PATH}`,
  );
  const resourceUrl = config.resourceUrl ?? url;
  const auth = createAuthenticator(config.auth, resourceUrl, spec.name, logger, (reason) =>
    metrics.countAuthFailure(reason),
  );
  const hooks = createHttpHooks({
    authenticated: auth.required,
    writeScope: config.auth.writeScope,
    limits,
    metrics,
    audit,
  });
  const mcp = createMcpHandler(createServerFactory(spec, hooks), {
    legacy: 'stateless',
    maxRequestBodySize: config.maxBodyBytes,
    onerror: (error) => {
      if (/^(Rejected inbound request|Rejected 2025-era|Unsupported Media Type)/.test(error.message)) {
        logger.debug(error.message);
      } else {
        logger.warning('MCP request failed', error);
      }
    },
  });
  const writeScopes = [config.auth.readScope, config.auth.writeScope].filter(Boolean);
  const allowedOrigins = config.allowedOrigins;

  let draining = false;
  const front = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/healthz') return health(request, draining);
    if (config.allowedHosts !== '*') {
      const refused = hostHeaderValidationResponse(request, config.allowedHosts);
      if (refused) return refused;
    }
    if (allowedOrigins !== '*') {
      const refused = originValidationResponse(request, allowedOrigins);
      if (refused) return refused;
    }
    if (path === '/metrics') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
      return new Response(request.method === 'HEAD' ? null : await metrics.render(), {
        headers: { 'Content-Type': metrics.contentType },
      });
    }
    const metadata = auth.metadataResponse(request);
    if (metadata) return metadata;
    if (path !== MCP_PATH) return jsonRpcError(404, -32000, `Not found; the MCP endpoint is ${MCP_PATH}`);
    const origin = request.headers.get('origin');
    if (request.method === 'OPTIONS') return preflight(origin);
    const response = await serveMcp(request);
    return origin ? withCors(response, origin) : response;
  };

  const serveMcp = async (request: Request): Promise<Response> => {
    const version = request.headers.get('mcp-protocol-version');
    if (version !== null && !KNOWN_PROTOCOL_VERSIONS.includes(version)) {
      return jsonRpcError(
        400,
        -32600,
        `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version.slice(0, 40))}; supported: ${KNOWN_PROTOCOL_VERSIONS.join(', ')}`,
      );
    }
    const caller: Caller | Response = await auth.authenticate(request);
    if (caller instanceof Response) return caller;
    let parsedBody: unknown;
    let text: string | undefined;
    if (request.method === 'POST') {
      text = await request.text();
      try {
        parsedBody = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsedBody = undefined;
      }
      if (parsedBody !== undefined && caller.authInfo && writeTools.size > 0) {
        const denied = writeToolCalled(
          parsedBody,
          writeTools,
          caller.authInfo.scopes,
          config.auth.writeScope,
        );
        if (denied) {
          return insufficientScopeResponse(
            writeScopes,
            `Calling ${denied} needs the ${config.auth.writeScope} scope`,
            auth.resourceMetadataUrl,
          );
        }
      }
    }
    const inner = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      ...(parsedBody === undefined && text ? { body: text } : {}),
    });
    return runInRequestScope({ subject: caller.subject }, () =>
      mcp.fetch(inner, {
        ...(caller.authInfo ? { authInfo: caller.authInfo } : {}),
        ...(parsedBody !== undefined ? { parsedBody } : {}),
      }),
    );
  };

  const nodeHandler = toNodeHandler(
    { fetch: front },
    {
      maxRequestBodySize: config.maxBodyBytes,
      onerror: (error) => logger.warning('HTTP request failed', error),
    },
  );

  let inflight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const route = routeOf(req.url);
    res.once('close', () =>
      metrics.observeRequest(route, res.statusCode, (performance.now() - started) / 1000),
    );
    if (draining && route !== 'healthz') {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '5', Connection: 'close' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message: 'The server is shutting down; retry (another instance will answer).',
          },
          id: null,
        }),
      );
      return;
    }
    inflight += 1;
    metrics.setInflight(inflight);
    const deadline = setTimeout(() => cutAtDeadline(res, config.requestTimeoutMs), config.requestTimeoutMs);
    res.once('close', () => {
      clearTimeout(deadline);
      inflight -= 1;
      metrics.setInflight(inflight);
      if (inflight === 0) idle?.();
    });
    nodeHandler(req, res).catch((error: unknown) => {
      // Only reached when the response was already ended (deadline) or the socket is gone.
      if (!res.writableEnded) logger.warning('HTTP response failed', error);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  logger.info(
    `Streamable HTTP on ${url.href} (${auth.required ? (config.auth.oauth ? `OAuth issuer ${config.auth.oauth.issuer}` : 'static bearer token') : 'no authentication'}${limits.enabled ? ', rate limited' : ''})`,
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    resourceUrl,
    get inflight() {
      return inflight;
    },
    shutdown() {
      closing ??= (async () => {
        draining = true;
        logger.info(`shutting down: finishing ${inflight} request(s) in flight, refusing new ones with 503`);
        server.closeIdleConnections();
        if (inflight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, config.shutdownTimeoutMs);
            idle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        if (inflight > 0) logger.warning(`shutdown timeout: cutting ${inflight} request(s)`);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await mcp.close().catch(() => {});
        await limits.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}

/**
 * Serves a server over HTTP for the life of the process: starts it, and on SIGTERM or SIGINT
 * shuts down gracefully and exits 0 (a second signal exits 1 at once).
 *
 * @param spec - the server
 * @param config - the HTTP settings
 * @param logger - for the transport's messages
 * @returns resolves once listening
 * @throws Error when the address cannot be bound
 * @example
 * const http = parseHttpConfig(values);
 * if (http) await serveHttp(spec, http, logger);
 */
export async function serveHttp<Deps>(
  spec: ServerSpec<Deps>,
  config: HttpConfig,
  logger: Logger,
): Promise<void> {
  const handle = await startHttpServer(spec, config, logger);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void handle.shutdown().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function createCallAudit(server: string, target: string): AuditLog {
  if (target === 'off') return { record() {} };
  return createAuditLog(server, target === 'stderr' ? undefined : target);
}

function routeOf(rawUrl: string | undefined): string {
  const path = (rawUrl ?? '/').split('?', 1)[0];
  if (path === MCP_PATH) return 'mcp';
  if (path === '/healthz') return 'healthz';
  if (path === '/metrics') return 'metrics';
  if (path?.startsWith('/.well-known/')) return 'well_known';
  return 'other';
}

function health(request: Request, draining: boolean): Response {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
  const body = request.method === 'HEAD' ? null : JSON.stringify({ status: draining ? 'draining' : 'ok' });
  return new Response(body, {
    status: draining ? 503 : 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

function methodNotAllowed(allow: string): Response {
  return new Response(null, { status: 405, headers: { Allow: allow } });
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

/** The name of the first write tool a (possibly batched) JSON-RPC body calls without the write scope. */
function writeToolCalled(
  body: unknown,
  writeTools: ReadonlySet<string>,
  scopes: readonly string[],
  writeScope: string,
): string | undefined {
  if (scopes.includes(writeScope)) return undefined;
  for (const message of Array.isArray(body) ? body : [body]) {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    if (method === 'tools/call' && typeof params?.name === 'string' && writeTools.has(params.name))
      return params.name;
  }
  return undefined;
}

const CORS_EXPOSED = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';
const CORS_ALLOWED_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID';

/** CORS preflight for a browser client whose Origin passed the allowlist. */
function preflight(origin: string | null): Response {
  if (!origin) return methodNotAllowed('POST');
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'POST, GET, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    },
  });
}

function withCors(response: Response, origin: string): Response {
  const headers = new Headers(response.headers);
  headers.set('Access-Control-Allow-Origin', origin);
  headers.set('Access-Control-Expose-Headers', CORS_EXPOSED);
  headers.append('Vary', 'Origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The deadline passed: answer 504 if nothing was sent yet, else cut the stream. */
function cutAtDeadline(res: ServerResponse, ms: number): void {
  if (res.writableEnded) return;
  if (!res.headersSent) {
    res.writeHead(504, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        error: { code: -32001, message: `Request timed out after ${ms / 1000} s` },
        id: null,
      }),
    );
    return;
  }
  res.destroy();
}
