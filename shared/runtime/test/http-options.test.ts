// The HTTP options: parsing, defaults and the refusals that keep a deployment safe by default;
// plus audit redaction and the request scope that stamps the caller on audit entries.
import { describe, expect, it } from 'vitest';
import { HTTP_CLI_OPTIONS, parseHttpConfig } from '../src/http/index.js';
import {
  CliUsageError,
  createAuditLog,
  parseCommandLine,
  redactArguments,
  runInRequestScope,
} from '../src/index.js';

const TOKEN = 'a-static-token-for-tests-0123456789abcdef';
function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return parseHttpConfig(parseCommandLine(HTTP_CLI_OPTIONS, argv, env).values, env);
}

describe('parseHttpConfig', () => {
  it('config:http-absent — without --http (or BULWARK_HTTP) the server stays on stdio', () => {
    expect(parse([])).toBeUndefined();
    expect(parse([], { BULWARK_HTTP: '8080' })?.port).toBe(8080);
  });

  it('config:http-defaults — loopback host, loopback Host/Origin allowlists, 1 MiB, 60 s, no limits', () => {
    const config = parse(['--http', '3000']);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      allowedOrigins: ['localhost', '127.0.0.1', '[::1]'],
      maxBodyBytes: 1_048_576,
      requestTimeoutMs: 60_000,
      shutdownTimeoutMs: 30_000,
      auditLog: 'stderr',
      auth: { readScope: 'mcp:read', writeScope: 'mcp:write', allowUnauthenticated: false },
      rateLimit: { perSubject: 0, perTool: {}, windowSeconds: 60, store: 'memory', prefix: 'bulwark' },
    });
    expect(parse(['--http', '[::1]:0'])).toMatchObject({ host: '::1', port: 0 });
  });

  it('config:http-public — a public address needs authentication and a Host allowlist', () => {
    expect(() => parse(['--http', '0.0.0.0:8080'])).toThrow(/needs authentication/);
    expect(() => parse(['--http', '0.0.0.0:8080'], { BULWARK_HTTP_TOKEN: TOKEN })).toThrow(/--allowed-hosts/);
    const config = parse(['--http', '0.0.0.0:8080', '--resource-url', 'https://mcp.example.com/mcp'], {
      BULWARK_HTTP_TOKEN: TOKEN,
    });
    expect(config?.allowedHosts).toEqual(['mcp.example.com']);
    expect(config?.allowedOrigins).toEqual(['mcp.example.com']);
    expect(config?.auth.token).toBe(TOKEN);
    expect(
      parse([
        '--http',
        '0.0.0.0:8080',
        '--allowed-hosts',
        'a.example:443,b.example',
        '--http-allow-unauthenticated',
      ])?.allowedHosts,
    ).toEqual(['a.example', 'b.example']);
    expect(() =>
      parse([
        '--http',
        '0.0.0.0:8080',
        '--oauth-issuer',
        'https://idp.example',
        '--allowed-hosts',
        'mcp.example.com',
      ]),
    ).toThrow(/needs --resource-url/);
  });

  it('config:http-refusals — malformed values and secrets on the command line are usage errors', () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--http', 'localhost'], {}, /\[HOST:\]PORT/],
      [['--http', '70000'], {}, /\[HOST:\]PORT/],
      [['--http', '8080'], { BULWARK_HTTP_TOKEN: 'short' }, /at least 32 characters/],
      [['--http', '8080', '--resource-url', 'http://mcp.example.com/mcp'], {}, /must use https/],
      [['--http', '8080', '--oauth-issuer', 'http://idp.example'], {}, /must use https/],
      [['--http', '8080', '--oauth-audience', 'x'], {}, /need --oauth-issuer/],
      [['--http', '8080', '--oauth-write-scope', 'a b'], {}, /one scope token/],
      [['--http', '8080', '--rate-limit-tool', 'echo'], {}, /TOOL=N/],
      [['--http', '8080', '--rate-limit-store', 'postgres://x'], {}, /redis/],
      [
        ['--http', '8080', '--rate-limit-store', 'redis://:hunter2@127.0.0.1:6379'],
        {},
        /BULWARK_RATE_LIMIT_STORE/,
      ],
      [['--http', '8080', '--http-max-body-bytes', '10'], {}, /--http-max-body-bytes/],
      [['--http', '8080', '--http-timeout', 'soon'], {}, /--http-timeout/],
    ];
    for (const [argv, env, message] of cases) {
      expect(() => parse(argv, env), argv.join(' ')).toThrow(CliUsageError);
      expect(() => parse(argv, env), argv.join(' ')).toThrow(message);
    }
    // The same Redis URL is fine from the environment, where only the operator can read it.
    const url = 'redis://:hunter2@127.0.0.1:6379';
    expect(parse(['--http', '8080'], { BULWARK_RATE_LIMIT_STORE: url })?.rateLimit.store).toBe(url);
  });

  it('config:http-token-not-a-flag — the token has no flag (argv is visible in ps)', () => {
    expect(() => parseCommandLine(HTTP_CLI_OPTIONS, ['--http', '8080', '--http-token', TOKEN], {})).toThrow(
      CliUsageError,
    );
    expect(Object.keys(HTTP_CLI_OPTIONS).some((name) => /token/.test(name))).toBe(false);
  });

  it('config:rate-limit — per-tool limits, the * default and the window', () => {
    const config = parse([
      '--http',
      '8080',
      '--rate-limit',
      '100',
      '--rate-limit-tool',
      'write_file=5',
      '--rate-limit-tool',
      '*=50',
      '--rate-limit-window',
      '30',
    ]);
    expect(config?.rateLimit).toMatchObject({
      perSubject: 100,
      perTool: { write_file: 5, '*': 50 },
      windowSeconds: 30,
    });
  });
});

describe('redactArguments', () => {
  it('audit:redact — credentials by key and shape, bodies and long strings by length, depth and size bounded', () => {
    const redacted = redactArguments({
      path: 'notes/a.md',
      content: 'x'.repeat(5000),
      apiKey: 'abc',
      access_token: 'abc',
      headers: { Authorization: 'Bearer abc', accept: 'json' },
      author: 'octocat',
      query: 'SELECT 1',
      long: 'y'.repeat(300),
      pat: 'ghp_0123456789abcdef',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
      list: Array.from({ length: 40 }, (_, i) => i),
      deep: { a: { b: { c: { d: 1 } } } },
    });
    expect(redacted).toEqual({
      path: 'notes/a.md',
      content: '[5000 chars]',
      apiKey: '[redacted]',
      access_token: '[redacted]',
      headers: { Authorization: '[redacted]', accept: 'json' },
      author: 'octocat',
      query: 'SELECT 1',
      long: '[300 chars]',
      pat: '[redacted]',
      jwt: '[redacted]',
      list: [...Array.from({ length: 32 }, (_, i) => i), '[8 more]'],
      deep: { a: { b: { c: '[nested]' } } },
    });
  });
});

describe('audit subject', () => {
  it('audit:subject — entries recorded inside a request scope name its subject; an explicit one wins', () => {
    const lines: string[] = [];
    const audit = createAuditLog('srv', undefined, (line) => lines.push(line));
    audit.record({ tool: 't', target: 'x', outcome: 'ok' });
    runInRequestScope({ subject: 'alice' }, () => {
      audit.record({ tool: 't', target: 'x', outcome: 'ok' });
      audit.record({ tool: 't', target: 'x', outcome: 'ok', subject: 'bob' });
    });
    const parsed = lines.map((line) => JSON.parse(line) as { subject?: string });
    expect(parsed.map((entry) => entry.subject)).toEqual([undefined, 'alice', 'bob']);
  });
});
