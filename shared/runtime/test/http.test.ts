// The Streamable HTTP transport over real HTTP on 127.0.0.1: both protocol eras, Host and Origin
// allowlists, MCP-Protocol-Version, body cap, health and metrics, deadline, graceful shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import {
  callBody,
  connect,
  INITIALIZE,
  MCP_HEADERS,
  raw,
  type StartedServer,
  startTestServer,
  textOf,
} from './helpers/server.js';

const running: StartedServer[] = [];
async function start(argv: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const server = await startTestServer(argv, env);
  running.push(server);
  return server;
}
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.deps.gate.open();
    await server.handle.shutdown();
  }
});

describe('Streamable HTTP transport', () => {
  it.each(['legacy', 'modern'] as const)('http:eras — a %s client lists and calls tools', async (era) => {
    const { url } = await start();
    const client = await connect(url, { era });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'fail', 'slow', 'write_note']);
    const result = await client.callTool({ name: 'echo', arguments: { message: `hello ${era}` } });
    expect(textOf(result)).toBe(`hello ${era}`);
    expect(result.structuredContent).toEqual({ message: `hello ${era}` });
    const failed = await client.callTool({ name: 'fail', arguments: {} });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toBe('It failed on purpose; do not retry.');
    await client.close();
  });

  it('http:stateless — no session id is issued; GET and DELETE on /mcp answer 405', async () => {
    const { url } = await start();
    const init = await raw(url, { headers: MCP_HEADERS, body: INITIALIZE });
    expect(init.status).toBe(200);
    expect(init.headers['mcp-session-id']).toBeUndefined();
    // A call needs no prior initialize on this instance: any instance can answer any request.
    const call = await raw(url, { headers: MCP_HEADERS, body: callBody('echo', { message: 'x' }) });
    expect(call.status).toBe(200);
    expect(call.body).toContain('"text":"x"');
    expect((await raw(url, { method: 'GET', headers: { accept: 'text/event-stream' } })).status).toBe(405);
    expect((await raw(url, { method: 'DELETE' })).status).toBe(405);
  });

  it('http:host — a forged Host header gets 403; the loopback names pass', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const answer = await raw(url, { headers: { ...MCP_HEADERS, host }, body: INITIALIZE });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toContain('Invalid Host');
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await raw(url, { headers: { ...MCP_HEADERS, host }, body: INITIALIZE })).status, host).toBe(
        200,
      );
    }
    // The metrics endpoint is behind the same check; /healthz is not (load balancers probe by IP).
    expect(
      (await raw(url, { method: 'GET', path: '/metrics', headers: { host: 'evil.example' } })).status,
    ).toBe(403);
    expect(
      (await raw(url, { method: 'GET', path: '/healthz', headers: { host: '10.0.0.7:8080' } })).status,
    ).toBe(200);
  });

  it('http:host-configured — --allowed-hosts replaces the defaults', async () => {
    const { url } = await start(['--allowed-hosts', 'mcp.example.com']);
    expect(
      (await raw(url, { headers: { ...MCP_HEADERS, host: 'mcp.example.com' }, body: INITIALIZE })).status,
    ).toBe(200);
    expect(
      (await raw(url, { headers: { ...MCP_HEADERS, host: 'localhost' }, body: INITIALIZE })).status,
    ).toBe(403);
  });

  it('http:origin — a foreign or opaque Origin gets 403; an allowed one gets CORS headers', async () => {
    const { url } = await start();
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example:3000']) {
      const answer = await raw(url, { headers: { ...MCP_HEADERS, origin }, body: INITIALIZE });
      expect(answer.status, origin).toBe(403);
    }
    const allowed = await raw(url, {
      headers: { ...MCP_HEADERS, origin: 'http://localhost:6274' },
      body: INITIALIZE,
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    const preflight = await raw(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Mcp-Protocol-Version/);
    const client = await connect(url, { headers: { Origin: 'https://evil.example' } }).catch(
      (error: Error) => error,
    );
    expect(client).toBeInstanceOf(Error);
  });

  it('http:protocol-version — an unknown MCP-Protocol-Version gets 400; known ones pass', async () => {
    const { url } = await start();
    const answer = await raw(url, {
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': '1999-01-01' },
      body: callBody('echo', { message: 'x' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/unsupported MCP-Protocol-Version/);
    const known = await raw(url, {
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18' },
      body: callBody('echo', { message: 'x' }),
    });
    expect(known.status).toBe(200);
  });

  it('http:body-cap — a body over --http-max-body-bytes gets 413, declared or streamed', async () => {
    const { url } = await start(['--http-max-body-bytes', '2048']);
    const big = callBody('echo', { message: 'x'.repeat(5000) });
    const declared = await raw(url, {
      headers: { ...MCP_HEADERS, 'content-length': String(big.length) },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await raw(url, {
      headers: { ...MCP_HEADERS, 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(streamed.status).toBe(413);
    const small = await raw(url, { headers: MCP_HEADERS, body: callBody('echo', { message: 'ok' }) });
    expect(small.status).toBe(200);
  });

  it('http:routes — unknown paths get 404; /healthz answers for load balancers', async () => {
    const { url } = await start();
    expect((await fetch(new URL('/nope', url))).status).toBe(404);
    const health = await fetch(new URL('/healthz', url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('http:metrics — Prometheus text with calls, errors and latency per tool', async () => {
    const { url } = await start();
    const client = await connect(url);
    await client.callTool({ name: 'echo', arguments: { message: 'a' } });
    await client.callTool({ name: 'echo', arguments: { message: 'b' } });
    await client.callTool({ name: 'fail', arguments: {} });
    await client.close();
    const response = await fetch(new URL('/metrics', url));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/bulwark_tool_calls_total\{tool="echo",outcome="ok",server="bulwark-test"\} 2/);
    expect(text).toMatch(/bulwark_tool_calls_total\{tool="fail",outcome="error",server="bulwark-test"\} 1/);
    expect(text).toMatch(/bulwark_tool_errors_total\{tool="fail",server="bulwark-test"\} 1/);
    expect(text).toMatch(/bulwark_tool_call_duration_seconds_count\{server="bulwark-test",tool="echo"\} 2/);
    expect(text).toMatch(/bulwark_http_requests_total\{route="mcp",status="200",server="bulwark-test"\} \d+/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('http:deadline — a request past --http-timeout is cut and the tool sees the abort', async () => {
    const { url, deps } = await start(['--http-timeout', '0.3']);
    // 2026-07-28 era: the answer is one JSON body, so nothing was sent yet and the deadline is a 504.
    const client = await connect(url, { era: 'modern' });
    await expect(client.callTool({ name: 'slow', arguments: {} })).rejects.toThrow(/504|timed out/);
    await expect.poll(() => deps.gate.aborted).toBe(true);
    await client.close();
    // 2025 era: the answer is an event stream whose headers are out, so the stream is cut.
    deps.gate.aborted = false;
    await expect(raw(url, { headers: MCP_HEADERS, body: callBody('slow') })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    await expect.poll(() => deps.gate.aborted).toBe(true);
  });

  it('http:graceful-shutdown — in-flight calls finish, new requests get 503, then the port closes', async () => {
    const server = await startTestServer();
    const { url, deps, handle } = server;
    const client = await connect(url);
    const inFlight = client.callTool({ name: 'slow', arguments: {} });
    await expect.poll(() => deps.gate.started).toBe(1);
    const stopped = handle.shutdown();
    const refused = await raw(url, { headers: MCP_HEADERS, body: callBody('echo', { message: 'late' }) });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect((await raw(url, { method: 'GET', path: '/healthz' })).status).toBe(503);
    deps.gate.open();
    const result = await inFlight;
    expect(textOf(result)).toBe('done');
    await stopped;
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
    expect(server.logs.join('')).toMatch(/shutting down: finishing 1 request\(s\) in flight/);
    await client.close().catch(() => {});
  });
});
