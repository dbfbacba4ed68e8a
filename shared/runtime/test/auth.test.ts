// Authentication over real HTTP: the static bearer token, and the OAuth 2.1 resource server with
// JWT access tokens from a local issuer (jose keys, JWKS discovered from its RFC 8414 metadata).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/http/index.js';
import { startTestIssuer, type TestIssuer } from './helpers/issuer.js';
import {
  callBody,
  connect,
  MCP_HEADERS,
  quiet,
  raw,
  type StartedServer,
  startTestServer,
  textOf,
} from './helpers/server.js';

const TOKEN = 'a-static-token-for-tests-0123456789abcdef';
let issuer: TestIssuer;
const running: StartedServer[] = [];
async function start(argv: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const server = await startTestServer(argv, env);
  running.push(server);
  return server;
}
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
afterEach(async () => {
  for (const server of running.splice(0)) await server.handle.shutdown();
});

function header(answer: { headers: Record<string, string | string[] | undefined> }): string {
  return String(answer.headers['www-authenticate'] ?? '');
}

describe('static bearer token (BULWARK_HTTP_TOKEN)', () => {
  it('auth:static — no token or a wrong one gets 401; the right one serves both eras', async () => {
    const { url, serverAudit } = await start([], { BULWARK_HTTP_TOKEN: TOKEN });
    const missing = await raw(url, { headers: MCP_HEADERS, body: callBody('echo', { message: 'x' }) });
    expect(missing.status).toBe(401);
    expect(header(missing)).toBe('Bearer realm="bulwark-test"');
    const wrong = await raw(url, {
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      body: callBody('echo', { message: 'x' }),
    });
    expect(wrong.status).toBe(401);
    expect(header(wrong)).toMatch(/error="invalid_token"/);
    for (const era of ['legacy', 'modern'] as const) {
      const client = await connect(url, { era, token: TOKEN });
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('write_note');
      expect(textOf(await client.callTool({ name: 'write_note', arguments: { note: era } }))).toMatch(
        /notes$/,
      );
      await client.close();
    }
    expect(serverAudit.join('')).toMatch(/"subject":"static-token"/);
  });
});

describe('OAuth 2.1 resource server (JWT access tokens)', () => {
  let server: StartedServer;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer(['--oauth-issuer', issuer.issuer]);
    url = server.url;
  });
  afterAll(async () => {
    await server.handle.shutdown();
  });
  const call = (token: string, name = 'echo', args: Record<string, unknown> = { message: 'x' }) =>
    raw(url, { headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: callBody(name, args) });

  it('auth:rfc9728 — protected resource metadata at the root and path-aware well-known URLs', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await fetch(new URL(path, url));
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        resource: url,
        authorization_servers: [issuer.issuer],
        scopes_supported: ['mcp:read', 'mcp:write'],
        resource_name: 'bulwark-test',
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('auth:missing — 401 with a WWW-Authenticate that points to the metadata (RFC 6750 3.1: no error code)', async () => {
    const answer = await raw(url, { headers: MCP_HEADERS, body: callBody('echo', { message: 'x' }) });
    expect(answer.status).toBe(401);
    const origin = new URL(url).origin;
    expect(header(answer)).toBe(
      `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="mcp:read"`,
    );
  });

  it('auth:jwt — a valid token serves both eras; the JWKS was discovered from the issuer metadata', async () => {
    const token = await issuer.sign({ aud: url, sub: 'alice' });
    for (const era of ['legacy', 'modern'] as const) {
      const client = await connect(url, { era, token });
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: era } }))).toBe(era);
      await client.close();
    }
    expect(issuer.hits).toContain('/.well-known/oauth-authorization-server');
    expect(issuer.hits).toContain('/jwks.json');
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }, {}, /has expired/],
    ['wrong audience', { aud: 'https://other.example/mcp' }, {}, /audience is not this server/],
    ['wrong issuer', { iss: 'https://evil.example' }, {}, /issuer is not trusted/],
    ['bad signature', {}, { key: 'stranger' as const }, /signature is not valid/],
  ])('auth:%s — 401 invalid_token with the reason', async (_name, claims, options, reason) => {
    const token = await issuer.sign({ aud: url, ...claims }, options);
    const answer = await call(token);
    expect(answer.status).toBe(401);
    expect(header(answer)).toMatch(/^Bearer error="invalid_token"/);
    expect(header(answer)).toMatch(/resource_metadata="/);
    expect(JSON.parse(answer.body).error_description).toMatch(reason);
  });

  it('auth:malformed — a tampered payload, an unsigned token and a non-JWT get 401', async () => {
    const good = await issuer.sign({ aud: url });
    const [head, , signature] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        iss: issuer.issuer,
        aud: url,
        sub: 'root',
        scope: 'mcp:read mcp:write',
        exp: 9999999999,
      }),
    ).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${forged}.`;
    for (const token of [`${head}.${forged}.${signature}`, unsigned, 'not-a-jwt']) {
      expect((await call(token)).status).toBe(401);
    }
  });

  it('auth:scope — a token without the read scope gets 403 insufficient_scope', async () => {
    const token = await issuer.sign({ aud: url, scope: 'profile email' });
    const answer = await call(token);
    expect(answer.status).toBe(403);
    expect(header(answer)).toMatch(/error="insufficient_scope"/);
    expect(header(answer)).toMatch(/scope="mcp:read"/);
  });

  it('auth:write-scope — a reader does not see write tools and gets 403 naming the scopes to request', async () => {
    const reader = await issuer.sign({ aud: url, sub: 'reader', scope: 'mcp:read' });
    const client = await connect(url, { token: reader });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('write_note');
    await expect(client.callTool({ name: 'write_note', arguments: { note: 'x' } })).rejects.toThrow(
      /403|insufficient/i,
    );
    await client.close();
    const answer = await call(reader, 'write_note', { note: 'x' });
    expect(answer.status).toBe(403);
    expect(header(answer)).toMatch(/error="insufficient_scope"/);
    expect(header(answer)).toMatch(/scope="mcp:read mcp:write"/);
    expect(server.deps.notes).not.toContain('x');
  });

  it('auth:writer — a token with the write scope (scp array, as Entra issues) sees and calls write tools', async () => {
    const writer = await issuer.sign({
      aud: url,
      sub: 'writer-bob',
      scope: undefined,
      scp: ['mcp:read', 'mcp:write'],
    });
    const client = await connect(url, { era: 'modern', token: writer });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('write_note');
    const result = await client.callTool({ name: 'write_note', arguments: { note: 'from bob' } });
    expect(result.isError).toBeFalsy();
    await client.close();
    // The tool's own audit entry names the caller without the tool passing it along.
    expect(server.serverAudit.at(-1)).toMatch(/"tool":"write_note".*"subject":"writer-bob"/);
  });

  it('auth:metrics — refusals are counted by reason', async () => {
    const text = await (await fetch(new URL('/metrics', url))).text();
    expect(text).toMatch(/bulwark_auth_failures_total\{reason="missing",server="bulwark-test"\} \d+/);
    expect(text).toMatch(/bulwark_auth_failures_total\{reason="expired",server="bulwark-test"\} 1/);
  });
});

describe('OAuth edge cases', () => {
  it('auth:jwks-unavailable — an unreachable JWKS gets 503 with Retry-After, not 401', async () => {
    const { url } = await start([
      '--oauth-issuer',
      issuer.issuer,
      '--oauth-jwks-url',
      'http://127.0.0.1:9/jwks.json',
    ]);
    const token = await issuer.sign({ aud: url });
    const answer = await raw(url, {
      headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
      body: callBody('echo', { message: 'x' }),
    });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
  });

  it('auth:configured-audience — --oauth-audience replaces the resource URL as the accepted aud', async () => {
    const { url } = await start(['--oauth-issuer', issuer.issuer, '--oauth-audience', 'api://bulwark']);
    const good = await issuer.sign({ aud: 'api://bulwark' });
    const client = await connect(url, { token: good });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'aud' } }))).toBe('aud');
    await client.close();
    const other = await issuer.sign({ aud: url });
    expect(
      (
        await raw(url, {
          headers: { ...MCP_HEADERS, authorization: `Bearer ${other}` },
          body: callBody('echo', { message: 'x' }),
        })
      ).status,
    ).toBe(401);
  });

  it('auth:no-passthrough — the verified token information never holds the raw token', async () => {
    const resource = new URL('http://127.0.0.1:1/mcp');
    const auth = createAuthenticator(
      {
        token: TOKEN,
        oauth: { issuer: issuer.issuer, audiences: [] },
        readScope: 'mcp:read',
        writeScope: 'mcp:write',
        allowUnauthenticated: false,
      },
      resource,
      'test',
      quiet,
    );
    const jwt = await issuer.sign({ aud: resource.href, sub: 'carol' });
    for (const [token, subject] of [
      [TOKEN, 'static-token'],
      [jwt, 'carol'],
    ] as const) {
      const caller = await auth.authenticate(
        new Request(resource, { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(caller).not.toBeInstanceOf(Response);
      if (caller instanceof Response) return;
      expect(caller.subject).toBe(subject);
      expect(caller.authInfo?.token).toBe('');
      expect(JSON.stringify(caller.authInfo)).not.toContain(token);
    }
  });
});
