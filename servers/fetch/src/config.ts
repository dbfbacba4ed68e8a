import { DEFAULT_MAX_BODY_BYTES, DEFAULT_NET_TIMEOUT_MS, isAddressOrRange } from '@bulwark/hardening/net';
import {
  type CliOption,
  CliUsageError,
  parseCommandLine,
  parseSecondsOption,
  parseWholeNumberOption,
} from '@bulwark/runtime';
import { VERSION } from './version.js';

/** Default `max_length` of one fetch result, in characters. */
export const DEFAULT_MAX_LENGTH = 10_000;
/** Largest `max_length` a call may ask for, in characters. */
export const MAX_MAX_LENGTH = 1_000_000;

/** The user agent sent unless the operator sets another (RFC 9309 §2.2.1 product token first). */
export const DEFAULT_USER_AGENT = `BulwarkFetch/${VERSION} (+https://github.com/bulwark-mcp/bulwark; MCP fetch server)`;

/** Everything the operator can set for the fetch server. None of it is reachable from tool arguments. */
export interface FetchConfig {
  /** Host names, `*.suffix` wildcards, IP addresses or CIDR ranges exempt from the address policy. */
  allowHosts: string[];
  /** Host names, wildcards, addresses or ranges always refused. */
  denyHosts: string[];
  /** Allow RFC 1918, CGNAT and unique-local addresses (intranet deployments). */
  allowPrivate: boolean;
  /** Skip robots.txt for tool calls. */
  ignoreRobotsTxt: boolean;
  userAgent: string;
  /** HTTP(S) proxy URL, or undefined for direct connections. */
  proxy: string | undefined;
  /** Overall deadline of one fetch, redirects and robots.txt included, in ms. */
  timeoutMs: number;
  /** Cap on a decoded response body, in bytes. */
  maxBodyBytes: number;
  /** Default `max_length` of a result, in characters. */
  defaultMaxLength: number;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  'allow-host': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_FETCH_ALLOW_HOSTS',
    help: 'Host, *.suffix, IP or CIDR reachable even when not public (repeatable or comma-separated).',
  },
  'deny-host': {
    type: 'string',
    multiple: true,
    env: 'BULWARK_FETCH_DENY_HOSTS',
    help: 'Host, *.suffix, IP or CIDR never fetched (repeatable or comma-separated).',
  },
  'allow-private': {
    type: 'boolean',
    env: 'BULWARK_FETCH_ALLOW_PRIVATE',
    help: 'Allow private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) for intranet use.',
  },
  'ignore-robots-txt': {
    type: 'boolean',
    env: 'BULWARK_FETCH_IGNORE_ROBOTS_TXT',
    help: 'Do not consult robots.txt before fetching.',
  },
  'user-agent': {
    type: 'string',
    env: 'BULWARK_FETCH_USER_AGENT',
    help: 'User-Agent header (default identifies this server).',
  },
  proxy: {
    type: 'string',
    env: 'BULWARK_FETCH_PROXY',
    help: 'HTTP(S) proxy URL; see the README for what the guard can check through a proxy.',
  },
  timeout: {
    type: 'string',
    env: 'BULWARK_FETCH_TIMEOUT',
    help: `Seconds one fetch may take, redirects included (default ${DEFAULT_NET_TIMEOUT_MS / 1000}).`,
  },
  'max-body-bytes': {
    type: 'string',
    env: 'BULWARK_FETCH_MAX_BODY_BYTES',
    help: `Most bytes of a decoded response body (default ${DEFAULT_MAX_BODY_BYTES}).`,
  },
  'max-length': {
    type: 'string',
    env: 'BULWARK_FETCH_MAX_LENGTH',
    help: `Default characters of content in one result (default ${DEFAULT_MAX_LENGTH}).`,
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE = 'bulwark-server-fetch [options]';

/**
 * Builds the configuration from argv and the environment.
 *
 * @param argv - arguments after the script
 * @param env - environment
 * @returns the config, or `{ help: true }` / `{ version: true }`
 * @throws CliUsageError for unknown flags, positional arguments, malformed host entries, a proxy
 *   that is not an http(s) URL, or numbers out of range
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): FetchConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  if (positionals.length > 0) {
    throw new CliUsageError(`Unexpected argument "${positionals[0]}"; the fetch server takes only options.`);
  }
  const allowHosts = hostList(values['allow-host'], '--allow-host');
  const denyHosts = hostList(values['deny-host'], '--deny-host');
  const proxy = typeof values.proxy === 'string' && values.proxy !== '' ? values.proxy : undefined;
  if (proxy !== undefined && !/^https?:\/\/[^/]/i.test(proxy)) {
    throw new CliUsageError('--proxy must be an http:// or https:// URL.');
  }
  return {
    allowHosts,
    denyHosts,
    allowPrivate: values['allow-private'] === true,
    ignoreRobotsTxt: values['ignore-robots-txt'] === true,
    userAgent:
      typeof values['user-agent'] === 'string' && values['user-agent'].trim() !== ''
        ? values['user-agent'].trim()
        : DEFAULT_USER_AGENT,
    proxy,
    timeoutMs: parseSecondsOption(values.timeout, '--timeout', DEFAULT_NET_TIMEOUT_MS / 1000, 600) * 1000,
    maxBodyBytes: parseWholeNumberOption(
      values['max-body-bytes'],
      '--max-body-bytes',
      1024,
      512 * 1024 * 1024,
      DEFAULT_MAX_BODY_BYTES,
    ),
    defaultMaxLength: parseWholeNumberOption(
      values['max-length'],
      '--max-length',
      100,
      MAX_MAX_LENGTH,
      DEFAULT_MAX_LENGTH,
    ),
  };
}

// Entries come from repeated flags or a comma-separated variable; each must be a host name,
// a *.suffix wildcard, an IP address or a CIDR range (hardening validates the names).
function hostList(raw: unknown, flag: string): string[] {
  const entries = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
    .flatMap((entry: string) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const name = entry.startsWith('*.') ? entry.slice(2) : entry;
    if (!isAddressOrRange(entry) && !/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i.test(name)) {
      throw new CliUsageError(`${flag} "${entry}" is not a host name, *.suffix, IP address or CIDR range.`);
    }
  }
  return entries;
}
