import path from 'node:path';
import { type CliOption, CliUsageError, parseCommandLine } from '@bulwark/runtime';
import { parseRepoPatterns, type RepoPattern } from './safety/allowlist.js';
import { TOOLSET_NAMES, type ToolsetName } from './tools/toolsets.js';

/** Everything the operator can set for the GitHub server. */
export interface GitHubConfig {
  /** REST API base URL without a trailing slash (`https://api.github.com`, `https://ghe.example.com/api/v3`). */
  apiUrl: string;
  /** The token, from `GITHUB_PERSONAL_ACCESS_TOKEN` or `GITHUB_TOKEN` only (never argv, never logged). */
  token: string;
  /** Toolsets asked for (`--toolsets`), `undefined` when neither `--toolsets` nor `--tools` was given. */
  toolsets: ToolsetName[] | undefined;
  /** Individual tools added to the toolsets (`--tools`). */
  tools: string[];
  /** Tools removed after everything else (`--exclude-tools`). */
  excludeTools: string[];
  /** Register the write tools. */
  allowWrite: boolean;
  /** Repository allowlist; empty means every repository the token can reach. */
  repos: RepoPattern[];
  /** In public repositories, withhold bodies written by authors without push access. */
  lockdown: boolean;
  /** Turn the session guard off (writes to other repositories after untrusted content was read). */
  allowCrossRepoWrites: boolean;
  /** Absolute path of the audit log file; `undefined` writes audit lines to stderr. */
  auditLog: string | undefined;
  /** Retry and spacing waits are multiplied by this (1 in production; tests set it small). */
  waitScale: number;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  toolsets: {
    type: 'string',
    multiple: true,
    env: 'GITHUB_TOOLSETS',
    help: `Toolsets to offer: ${TOOLSET_NAMES.join(', ')}, default or all (default: context,repos,issues,pull_requests).`,
  },
  tools: {
    type: 'string',
    multiple: true,
    env: 'GITHUB_TOOLS',
    help: 'Individual tools to offer, added to --toolsets (alone: only these tools).',
  },
  'exclude-tools': {
    type: 'string',
    multiple: true,
    env: 'GITHUB_EXCLUDE_TOOLS',
    help: 'Tools never to offer, whatever else says so.',
  },
  'allow-write': {
    type: 'boolean',
    env: 'BULWARK_GITHUB_ALLOW_WRITE',
    help: 'Offer the write tools (issues, comments, pull requests, reviews, merges).',
  },
  repos: {
    type: 'string',
    multiple: true,
    env: 'BULWARK_GITHUB_REPOS',
    help: 'Only these repositories: owner/name or owner/* (repeatable or comma-separated).',
  },
  lockdown: {
    type: 'boolean',
    env: 'BULWARK_GITHUB_LOCKDOWN',
    help: 'In public repositories, withhold bodies written by authors without push access.',
  },
  'allow-cross-repo-writes': {
    type: 'boolean',
    env: 'BULWARK_GITHUB_ALLOW_CROSS_REPO_WRITES',
    help: 'Turn off the session guard that confines writes to the repositories read in the session.',
  },
  'gh-host': {
    type: 'string',
    env: 'GITHUB_HOST',
    help: 'GitHub Enterprise Server or ghe.com host, e.g. ghe.example.com or octo.ghe.com (GITHUB_API_URL sets the API URL itself).',
  },
  'audit-log': {
    type: 'string',
    env: 'BULWARK_GITHUB_AUDIT_LOG',
    help: 'Append one JSON line per write to this file (default: stderr).',
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE =
  'bulwark-server-github [options]   (token from GITHUB_PERSONAL_ACCESS_TOKEN or GITHUB_TOKEN)';

/** Toolsets offered when neither `--toolsets` nor `--tools` is given. */
export const DEFAULT_TOOLSETS: readonly ToolsetName[] = ['context', 'repos', 'issues', 'pull_requests'];

/**
 * Builds the configuration from argv and the environment.
 *
 * The API URL comes from, in order: `--gh-host` (flag), `GITHUB_API_URL` (a full REST base URL),
 * `GITHUB_HOST`, else `https://api.github.com`. A host maps as GitHub documents it: `github.com`
 * to `https://api.github.com`, `*.ghe.com` (GitHub Enterprise Cloud with data residency) to
 * `https://api.<host>`, anything else (GitHub Enterprise Server) to `https://<host>/api/v3`.
 * Plain `http://` is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost).
 *
 * @param argv - arguments after the script
 * @param env - environment
 * @returns the config, or `{ help: true }` / `{ version: true }` when those were asked for
 * @throws CliUsageError for unknown flags or toolsets, malformed repository patterns, an API URL
 *   that is not HTTPS (or loopback), no token, or positional arguments (a token on argv is refused)
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): GitHubConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  if (positionals.length > 0) {
    throw new CliUsageError(
      'The GitHub server takes no positional arguments; the token comes only from GITHUB_PERSONAL_ACCESS_TOKEN or GITHUB_TOKEN.',
    );
  }
  const token = env.GITHUB_PERSONAL_ACCESS_TOKEN || env.GITHUB_TOKEN;
  if (!token) {
    throw new CliUsageError('Set GITHUB_PERSONAL_ACCESS_TOKEN (or GITHUB_TOKEN) in the environment.');
  }
  const list = (key: string) => splitList(values[key] as string[] | undefined);
  const toolsetArgs = list('toolsets');
  const tools = list('tools');
  const auditLog = values['audit-log'] as string | undefined;
  return {
    apiUrl: resolveApiUrl(values['gh-host'] as string | undefined, env),
    token,
    toolsets:
      toolsetArgs.length > 0 ? expandToolsets(toolsetArgs) : tools.length > 0 ? [] : [...DEFAULT_TOOLSETS],
    tools,
    excludeTools: list('exclude-tools'),
    allowWrite: values['allow-write'] === true,
    repos: parseRepoPatterns(list('repos')),
    lockdown: values.lockdown === true,
    allowCrossRepoWrites: values['allow-cross-repo-writes'] === true,
    auditLog: auditLog ? path.resolve(auditLog) : undefined,
    waitScale: waitScale(env.BULWARK_GITHUB_WAIT_SCALE),
  };
}

/** Flags may repeat and each value may hold a comma-separated list. */
function splitList(raw: readonly string[] | undefined): string[] {
  return (raw ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function expandToolsets(names: readonly string[]): ToolsetName[] {
  const result = new Set<ToolsetName>();
  for (const name of names) {
    if (name === 'all') for (const toolset of TOOLSET_NAMES) result.add(toolset);
    else if (name === 'default') for (const toolset of DEFAULT_TOOLSETS) result.add(toolset);
    else if ((TOOLSET_NAMES as readonly string[]).includes(name)) result.add(name as ToolsetName);
    else {
      throw new CliUsageError(
        `Unknown toolset "${name}"; choose from ${TOOLSET_NAMES.join(', ')}, default or all.`,
      );
    }
  }
  return [...result];
}

/**
 * The REST API base URL for a host or URL (see {@link loadConfig} for the mapping).
 *
 * @param flagHost - `--gh-host` (wins over the environment)
 * @param env - reads `GITHUB_API_URL` and `GITHUB_HOST`
 * @returns the base URL without a trailing slash
 * @throws CliUsageError when the URL is malformed, has credentials, or is plain HTTP off loopback
 */
export function resolveApiUrl(flagHost: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flagHost) return apiUrlForHost(flagHost, '--gh-host');
  if (env.GITHUB_API_URL) return checkedUrl(env.GITHUB_API_URL, 'GITHUB_API_URL');
  if (env.GITHUB_HOST) return apiUrlForHost(env.GITHUB_HOST, 'GITHUB_HOST');
  return 'https://api.github.com';
}

function apiUrlForHost(raw: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const url = new URL(checkedUrl(withScheme, source));
  const host = url.hostname.toLowerCase();
  if (host === 'github.com' || host === 'api.github.com') return 'https://api.github.com';
  if (host.endsWith('.ghe.com')) {
    return host.startsWith('api.') ? `${url.origin}` : `${url.protocol}//api.${url.host}`;
  }
  const base = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${base.endsWith('/api/v3') ? base : `${base}/api/v3`}`;
}

function checkedUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`${source} is not a URL or host name: "${raw}".`);
  }
  if (url.username || url.password) {
    throw new CliUsageError(`${source} must not carry credentials; the token comes from the environment.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new CliUsageError(`${source} must use https:// (plain http is allowed for loopback hosts only).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function waitScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new CliUsageError(`BULWARK_GITHUB_WAIT_SCALE must be a number from 0 to 1, not "${raw}".`);
  }
  return value;
}
