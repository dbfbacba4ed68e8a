/**
 * The HTTP transport's command-line options and their validation. Light on purpose: it is loaded
 * on every start (to parse and list the flags), while the transport itself loads only with `--http`.
 */
import { type CliOption, CliUsageError, parseSecondsOption, parseWholeNumberOption } from '../cli.js';

/** Environment variable holding the static bearer token; never a flag (argv is visible in `ps`). */
export const HTTP_TOKEN_ENV = 'BULWARK_HTTP_TOKEN';

/** Environment variable of the rate-limit store, the one place a Redis password may be given. */
export const RATE_LIMIT_STORE_ENV = 'BULWARK_RATE_LIMIT_STORE';

/**
 * Options every server gets for remote deployment, keyed by long flag name. `runServerCli` adds
 * them to each server's own table (a server that declares a flag of the same name keeps its own).
 */
export const HTTP_CLI_OPTIONS: Readonly<Record<string, CliOption>> = Object.freeze({
  http: {
    type: 'string',
    env: 'BULWARK_HTTP',
    help: 'Serve Streamable HTTP at /mcp on [HOST:]PORT (host default 127.0.0.1) instead of stdio.',
  },
  'allowed-hosts': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_HTTP_ALLOWED_HOSTS',
    help: 'Host header names to answer (comma-separated or repeated, * for any); default the loopback names on loopback, plus the --resource-url host.',
  },
  'allowed-origins': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_HTTP_ALLOWED_ORIGINS',
    help: 'Browser Origin hostnames to answer (comma-separated or repeated, * for any); requests without Origin pass. Default as --allowed-hosts.',
  },
  'resource-url': {
    type: 'string',
    env: 'BULWARK_HTTP_RESOURCE_URL',
    help: 'Public URL of the /mcp endpoint, e.g. https://mcp.example.com/mcp: the OAuth audience (RFC 8707).',
  },
  'http-max-body-bytes': {
    type: 'string',
    env: 'BULWARK_HTTP_MAX_BODY_BYTES',
    help: 'Largest request body in bytes; larger ones get 413 (default 1048576).',
  },
  'http-timeout': {
    type: 'string',
    env: 'BULWARK_HTTP_TIMEOUT',
    help: 'Seconds one HTTP request may take before it is cut with 504 (default 60).',
  },
  'http-shutdown-timeout': {
    type: 'string',
    env: 'BULWARK_HTTP_SHUTDOWN_TIMEOUT',
    help: 'Seconds SIGTERM waits for in-flight requests while refusing new ones with 503 (default 30).',
  },
  'http-allow-unauthenticated': {
    type: 'boolean',
    env: 'BULWARK_HTTP_ALLOW_UNAUTHENTICATED',
    help: 'Serve a non-loopback address without a token or OAuth (only behind a proxy that authenticates).',
  },
  'oauth-issuer': {
    type: 'string',
    env: 'BULWARK_OAUTH_ISSUER',
    help: 'Accept JWT access tokens from this OAuth 2.1 issuer (its JWKS is discovered from its metadata).',
  },
  'oauth-jwks-url': {
    type: 'string',
    env: 'BULWARK_OAUTH_JWKS_URL',
    help: "The issuer's JWKS URL, when its metadata cannot be discovered.",
  },
  'oauth-audience': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_OAUTH_AUDIENCE',
    help: 'Accepted token audience (repeatable); default the --resource-url.',
  },
  'oauth-read-scope': {
    type: 'string',
    env: 'BULWARK_OAUTH_READ_SCOPE',
    help: 'Scope every request needs (default mcp:read; empty for none).',
  },
  'oauth-write-scope': {
    type: 'string',
    env: 'BULWARK_OAUTH_WRITE_SCOPE',
    help: 'Scope a write tool (readOnlyHint false) needs; tokens without it do not see write tools (default mcp:write).',
  },
  'rate-limit': {
    type: 'string',
    env: 'BULWARK_RATE_LIMIT',
    help: 'Tool calls one subject may make per window, over all tools (default 0: no limit).',
  },
  'rate-limit-tool': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_RATE_LIMIT_TOOL',
    help: 'TOOL=N: calls of one tool per subject per window (repeatable); *=N applies to each tool.',
  },
  'rate-limit-window': {
    type: 'string',
    env: 'BULWARK_RATE_LIMIT_WINDOW',
    help: 'Rate-limit window in seconds (default 60).',
  },
  'rate-limit-store': {
    type: 'string',
    env: RATE_LIMIT_STORE_ENV,
    help: 'memory (default), or redis://host:port[/db] to share limits between instances (a password only via the environment).',
  },
  'rate-limit-prefix': {
    type: 'string',
    env: 'BULWARK_RATE_LIMIT_PREFIX',
    help: 'Prefix of the rate-limit keys in a shared store (default bulwark).',
  },
  'http-audit-log': {
    type: 'string',
    env: 'BULWARK_HTTP_AUDIT_LOG',
    help: 'Where each HTTP tool call is recorded as a JSON line: stderr (default), a file path, or off.',
  },
} satisfies Record<string, CliOption>);

/** Lines for `--help` about settings that are never flags. */
export const HTTP_ENV_HELP = `  ${HTTP_TOKEN_ENV.padEnd(34)} Static bearer token clients must send (at least 32 characters; environment only).`;

/** Token verification and scope settings; see {@link HttpConfig.auth}. */
export interface HttpAuthConfig {
  /** The static bearer token (from {@link HTTP_TOKEN_ENV}); grants every scope. */
  token?: string;
  /** OAuth 2.1 resource server: JWT access tokens from one issuer. */
  oauth?: {
    /** The issuer identifier, compared with the `iss` claim exactly. */
    issuer: string;
    /** The JWKS URL; discovered from the issuer's metadata (RFC 8414, then OIDC) when absent. */
    jwksUrl?: string;
    /** Accepted `aud` values; empty means the resource URL (with and without a trailing slash). */
    audiences: string[];
  };
  /** Scope every authenticated request needs; empty string for none. */
  readScope: string;
  /** Scope a write tool needs. */
  writeScope: string;
  /** Whether a non-loopback address may be served with no authentication at all. */
  allowUnauthenticated: boolean;
}

/** Rate-limit settings; see {@link HttpConfig.rateLimit}. */
export interface HttpRateLimitConfig {
  /** Tool calls per subject per window over all tools; 0 for none. */
  perSubject: number;
  /** Calls per subject per window of one tool, by tool name; `*` applies to each tool without its own entry. */
  perTool: Record<string, number>;
  /** Window length in seconds (fixed windows). */
  windowSeconds: number;
  /** `memory`, or a `redis://` / `rediss://` URL. */
  store: string;
  /** Key prefix in the store. */
  prefix: string;
}

/** Everything `--http` and its companions configure. */
export interface HttpConfig {
  /** Address to bind (`127.0.0.1`, `0.0.0.0`, `::`). */
  host: string;
  /** TCP port; 0 picks a free one (the bound URL is logged). */
  port: number;
  /** Accepted Host header hostnames (no port; IPv6 in brackets), or `*` for any. */
  allowedHosts: string[] | '*';
  /** Accepted Origin hostnames, or `*` for any; a request without Origin always passes. */
  allowedOrigins: string[] | '*';
  /** Public URL of the MCP endpoint; defaults to `http://HOST:PORT/mcp` once bound. */
  resourceUrl?: URL;
  /** Largest request body in bytes. */
  maxBodyBytes: number;
  /** Deadline of one request in milliseconds. */
  requestTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests, in milliseconds. */
  shutdownTimeoutMs: number;
  auth: HttpAuthConfig;
  rateLimit: HttpRateLimitConfig;
  /** `stderr`, `off`, or the path of a JSON-lines file. */
  auditLog: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether an address or host name is a loopback one (`localhost`, `127.0.0.0/8`, `::1`).
 *
 * @param host - a bind address or hostname, IPv6 with or without brackets
 * @returns true for loopback
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * Reads the HTTP transport's configuration from parsed option values (flags over environment).
 *
 * @param values - `parseCommandLine(...).values` over a table that includes {@link HTTP_CLI_OPTIONS}
 * @param env - the environment, for {@link HTTP_TOKEN_ENV} and to tell a flag from an environment value
 * @returns the configuration, or `undefined` when `--http` was not given (serve stdio)
 * @throws CliUsageError for a malformed address, URL, number or limit, a token shorter than 32
 *   characters, a Redis password given as a flag, or a non-loopback address with no
 *   authentication (unless `--http-allow-unauthenticated`) or no way to check the Host header
 * @example
 * const { values } = parseCommandLine({ ...CLI_OPTIONS, ...HTTP_CLI_OPTIONS });
 * const http = parseHttpConfig(values); // undefined: serve stdio
 */
export function parseHttpConfig(
  values: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): HttpConfig | undefined {
  const address = values.http;
  if (typeof address !== 'string') return undefined;
  const { host, port } = parseListenAddress(address);
  const loopback = isLoopbackHost(host);
  const resourceUrl = parseResourceUrl(values['resource-url']);
  const auth = parseAuth(values, env, resourceUrl, loopback);
  const allowedHosts = parseHostList(values['allowed-hosts'], '--allowed-hosts', loopback, resourceUrl);
  if (allowedHosts !== '*' && allowedHosts.length === 0) {
    throw new CliUsageError(
      `--http binds ${host}, which is not a loopback address: give --allowed-hosts (the names clients use to reach this server) or --resource-url.`,
    );
  }
  return {
    host,
    port,
    allowedHosts,
    allowedOrigins: parseHostList(values['allowed-origins'], '--allowed-origins', loopback, resourceUrl),
    ...(resourceUrl ? { resourceUrl } : {}),
    maxBodyBytes: parseWholeNumberOption(
      values['http-max-body-bytes'],
      '--http-max-body-bytes',
      1024,
      64 * 1024 * 1024,
      1024 * 1024,
    ),
    requestTimeoutMs: parseSecondsOption(values['http-timeout'], '--http-timeout', 60) * 1000,
    shutdownTimeoutMs:
      parseSecondsOption(values['http-shutdown-timeout'], '--http-shutdown-timeout', 30) * 1000,
    auth,
    rateLimit: parseRateLimit(values, env),
    auditLog: typeof values['http-audit-log'] === 'string' ? values['http-audit-log'] : 'stderr',
  };
}

function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(port) || port > 65535) {
    throw new CliUsageError(`--http takes [HOST:]PORT (e.g. 8080, 0.0.0.0:8080, [::1]:8080), not "${text}".`);
  }
  const host = (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
}

function parseResourceUrl(raw: unknown): URL | undefined {
  if (typeof raw !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(
      `--resource-url must be an absolute URL such as https://mcp.example.com/mcp, not "${raw}".`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new CliUsageError('--resource-url must use https (plain http only for a loopback host).');
  }
  if (url.hash || url.search) throw new CliUsageError('--resource-url must not have a query or fragment.');
  return url;
}

function hostnameOf(text: string, flag: string): string {
  try {
    return new URL(`http://${text}`).hostname;
  } catch {
    throw new CliUsageError(`${flag} takes host names such as mcp.example.com, not "${text}".`);
  }
}

function parseHostList(
  raw: unknown,
  flag: string,
  loopback: boolean,
  resourceUrl: URL | undefined,
): string[] | '*' {
  const given = (Array.isArray(raw) ? raw : [])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  if (given.includes('*')) return '*';
  const names = new Set(
    given.length > 0 ? given.map((item) => hostnameOf(item, flag)) : loopback ? LOOPBACK_NAMES : [],
  );
  if (resourceUrl) names.add(resourceUrl.hostname);
  return [...names];
}

function parseAuth(
  values: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv,
  resourceUrl: URL | undefined,
  loopback: boolean,
): HttpAuthConfig {
  const token = env[HTTP_TOKEN_ENV];
  if (token !== undefined && token !== '' && token.length < 32) {
    throw new CliUsageError(
      `${HTTP_TOKEN_ENV} must be at least 32 characters (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  const issuer = typeof values['oauth-issuer'] === 'string' ? values['oauth-issuer'] : undefined;
  let oauth: HttpAuthConfig['oauth'];
  if (issuer) {
    checkAuthServerUrl(issuer, '--oauth-issuer');
    const jwksUrl = typeof values['oauth-jwks-url'] === 'string' ? values['oauth-jwks-url'] : undefined;
    if (jwksUrl) checkAuthServerUrl(jwksUrl, '--oauth-jwks-url');
    if (!resourceUrl && !loopback) {
      throw new CliUsageError(
        '--oauth-issuer on a non-loopback address needs --resource-url (the public URL tokens are issued for).',
      );
    }
    oauth = {
      issuer,
      ...(jwksUrl ? { jwksUrl } : {}),
      audiences: Array.isArray(values['oauth-audience']) ? values['oauth-audience'] : [],
    };
  } else if (values['oauth-jwks-url'] !== undefined || values['oauth-audience'] !== undefined) {
    throw new CliUsageError('--oauth-jwks-url and --oauth-audience need --oauth-issuer.');
  }
  const allowUnauthenticated = values['http-allow-unauthenticated'] === true;
  if (!loopback && !token && !oauth && !allowUnauthenticated) {
    throw new CliUsageError(
      `A non-loopback address needs authentication: set ${HTTP_TOKEN_ENV} or --oauth-issuer (or pass --http-allow-unauthenticated when a proxy in front authenticates).`,
    );
  }
  const readScope =
    typeof values['oauth-read-scope'] === 'string' ? values['oauth-read-scope'].trim() : 'mcp:read';
  const writeScope =
    typeof values['oauth-write-scope'] === 'string' ? values['oauth-write-scope'].trim() : 'mcp:write';
  for (const [flag, scope] of [
    ['--oauth-read-scope', readScope],
    ['--oauth-write-scope', writeScope],
  ] as const) {
    // RFC 6749 section 3.3 scope-token: printable ASCII except space, double quote and backslash.
    if (scope !== '' && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) {
      throw new CliUsageError(`${flag} must be one scope token (no spaces or quotes), not "${scope}".`);
    }
  }
  if (writeScope === '') throw new CliUsageError('--oauth-write-scope must not be empty.');
  return {
    ...(token ? { token } : {}),
    ...(oauth ? { oauth } : {}),
    readScope,
    writeScope,
    allowUnauthenticated,
  };
}

function checkAuthServerUrl(raw: string, flag: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`${flag} must be an absolute URL, not "${raw}".`);
  }
  // OAuth 2.1 and RFC 8414: the issuer is an https URL; plain http only for a loopback test issuer.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new CliUsageError(`${flag} must use https (plain http only for a loopback host).`);
  }
  if (url.hash) throw new CliUsageError(`${flag} must not have a fragment.`);
}

function parseRateLimit(
  values: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv,
): HttpRateLimitConfig {
  const perTool: Record<string, number> = {};
  for (const entry of Array.isArray(values['rate-limit-tool']) ? values['rate-limit-tool'] : []) {
    const match = /^([A-Za-z0-9_.-]+|\*)=(\d+)$/.exec(entry.trim());
    if (!match)
      throw new CliUsageError(
        `--rate-limit-tool takes TOOL=N (e.g. write_file=10 or *=100), not "${entry}".`,
      );
    perTool[match[1]!] = parseWholeNumberOption(match[2], '--rate-limit-tool', 0, 1_000_000_000, 0);
  }
  const store = typeof values['rate-limit-store'] === 'string' ? values['rate-limit-store'] : 'memory';
  if (store !== 'memory') {
    let url: URL;
    try {
      url = new URL(store);
    } catch {
      throw new CliUsageError(`--rate-limit-store takes memory or a redis:// URL, not "${store}".`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new CliUsageError(
        `--rate-limit-store takes memory or a redis:// or rediss:// URL, not "${url.protocol}".`,
      );
    }
    if (url.password && env[RATE_LIMIT_STORE_ENV] !== store) {
      throw new CliUsageError(
        `Put a Redis URL with a password in ${RATE_LIMIT_STORE_ENV}, not on the command line (argv is visible to every user).`,
      );
    }
  }
  const prefix = typeof values['rate-limit-prefix'] === 'string' ? values['rate-limit-prefix'] : 'bulwark';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new CliUsageError('--rate-limit-prefix takes 1 to 64 letters, digits or _.:- characters.');
  }
  return {
    perSubject: parseWholeNumberOption(values['rate-limit'], '--rate-limit', 0, 1_000_000_000, 0),
    perTool,
    windowSeconds: parseWholeNumberOption(values['rate-limit-window'], '--rate-limit-window', 1, 86_400, 60),
    store,
    prefix,
  };
}
