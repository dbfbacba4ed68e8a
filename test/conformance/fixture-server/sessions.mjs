#!/usr/bin/env node
// The fixture spec, built by the runtime's createServerFactory, served over the SDK's sessionful
// Streamable HTTP transport (one McpServer per Mcp-Session-Id). The runtime's own --http serves
// 2025-era clients statelessly (a fresh instance per request, see shared/runtime/src/http), so an
// instance never learns the client's capabilities from `initialize` and cannot receive the
// client's answer to a server-to-client request: sampling and elicitation during a tool call need
// a session, which this glue provides. Everything else (tool wiring, validation, error mapping,
// progress, resources, prompts, completions) is the runtime's, unchanged.
//
// Loopback only and without authentication: it exists for the conformance run.
// Usage: node sessions.mjs [--http HOST:PORT]   (default 127.0.0.1:0; logs the bound URL)
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import * as runtime from '@bulwark/runtime';
import * as sdkNode from '@modelcontextprotocol/node';
import * as sdk from '@modelcontextprotocol/server';
import { createFixtureSpec, FIXTURE_NAME } from './spec.mjs';

const { createLogger, createServerFactory } = runtime;
const {
  WebStandardStreamableHTTPServerTransport,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} = sdk;

/** Sessions kept at most; the oldest is closed to make room (a conformance run opens about 30). */
const MAX_SESSIONS = 256;

const { values } = parseArgs({ options: { http: { type: 'string', default: '127.0.0.1:0' } } });
const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(values.http);
if (!match) {
  process.stderr.write(`${FIXTURE_NAME}: --http takes a loopback HOST:PORT, not "${values.http}"\n`);
  process.exit(2);
}
const host = match[1].replace(/^\[|\]$/g, '');
const port = Number(match[2]);

const logger = createLogger(FIXTURE_NAME);
const factory = createServerFactory(createFixtureSpec(logger));
/** @type {Map<string, InstanceType<typeof WebStandardStreamableHTTPServerTransport>>} */
const sessions = new Map();

const jsonRpcError = (status, code, message) =>
  Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });

async function handle(request) {
  const refused =
    hostHeaderValidationResponse(request, localhostAllowedHostnames()) ??
    originValidationResponse(request, localhostAllowedOrigins());
  if (refused) return refused;
  if (new URL(request.url).pathname !== '/mcp') return jsonRpcError(404, -32000, 'Not found; use /mcp');
  const sessionId = request.headers.get('mcp-session-id');
  if (sessionId) {
    const transport = sessions.get(sessionId);
    return transport ? transport.handleRequest(request) : jsonRpcError(404, -32001, 'Session not found');
  }
  if (request.method !== 'POST') return jsonRpcError(400, -32000, 'Mcp-Session-Id header is required');
  // A POST without a session must be `initialize`; the transport refuses anything else (400).
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    onsessioninitialized: (id) => {
      if (sessions.size >= MAX_SESSIONS) {
        const [oldest] = sessions.values();
        void oldest?.close();
      }
      sessions.set(id, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  const server = await factory({ era: 'legacy', requestInfo: request });
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  if (!transport.sessionId) await server.close();
  return response;
}

const nodeHandler = sdkNode.toNodeHandler(
  { fetch: handle },
  { onerror: (error) => logger.warning('request failed', error) },
);
const http = createServer((req, res) => {
  nodeHandler(req, res).catch((error) => logger.warning('response failed', error));
});
http.listen(port, host, () => {
  const address = http.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info(`Streamable HTTP on http://${shown}:${address.port}/mcp (sessions, no authentication)`);
});

const stop = () => {
  for (const transport of sessions.values()) void transport.close();
  http.closeAllConnections();
  http.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
