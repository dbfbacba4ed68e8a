import type { Logger } from '@bulwark/runtime';
import type { Octokit } from '@octokit/rest';
import { concurrencyGroup, retryLimiter, spacingGroup } from './limiters.js';

/** Longest wait (seconds) GitHub may ask for before a rate-limited request is retried; longer ones fail at once. */
export const MAX_RATE_LIMIT_WAIT_S = 60;
/** Retries after a primary rate limit (`x-ratelimit-remaining: 0`) whose reset is close enough. */
export const PRIMARY_LIMIT_RETRIES = 1;
/** Retries after a secondary rate limit (403/429 naming it, with `retry-after` or GitHub's 60 s fallback). */
export const SECONDARY_LIMIT_RETRIES = 2;
/** Retries after a 5xx answer or a network failure, waiting 1, 4 and 9 s (plugin-retry's (n+1)² s). */
export const SERVER_ERROR_RETRIES = 3;
/** Spacing GitHub asks for between mutating requests, and between search requests (milliseconds). */
export const WRITE_SPACING_MS = 1000;
const SEARCH_SPACING_MS = 2000;
const NOTIFICATION_SPACING_MS = 3000;
/** The REST API version requested (`X-GitHub-Api-Version`). */
export const API_VERSION = '2022-11-28';

/** How to reach GitHub. */
export interface GitHubClientOptions {
  /** REST base URL without a trailing slash. */
  apiUrl: string;
  /** Sent as `Authorization: token …`; never logged. */
  token: string;
  /** Factor on every retry and spacing wait (1 in production). */
  waitScale: number;
  userAgent: string;
  logger: Logger;
}

/** Returns the shared Octokit client, created on first use. */
export type GitHubClientFactory = () => Promise<Octokit>;

/**
 * Creates the Octokit client lazily, so that loading it (about 25 ms of modules) never delays
 * `initialize`. The client carries @octokit/plugin-throttling (primary and secondary rate limits:
 * a wait of at most {@link MAX_RATE_LIMIT_WAIT_S} s is waited out, {@link PRIMARY_LIMIT_RETRIES} or
 * {@link SECONDARY_LIMIT_RETRIES} times; mutating requests are spaced one second apart and searches
 * two, as GitHub's REST best practices ask) and @octokit/plugin-retry ({@link SERVER_ERROR_RETRIES}
 * retries of 5xx answers; 4xx are never retried, 429 is left to the throttling plugin). Every wait
 * is multiplied by `waitScale`. The throttling plugin runs on the light limiters of
 * `limiters.ts` instead of Bottleneck's. Octokit's own log goes to the server logger (stderr).
 *
 * @param options - base URL, token, wait scale, user agent and logger
 * @returns a function resolving to the one client of this process
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClientFactory {
  let client: Promise<Octokit> | undefined;
  return () => {
    client ??= build(options);
    return client;
  };
}

async function build(options: GitHubClientOptions): Promise<Octokit> {
  const [{ Octokit }, { throttling }, { retry }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-throttling'),
    import('@octokit/plugin-retry'),
  ]);
  const { logger, waitScale } = options;
  const unit = 1000 * waitScale;
  const Client = Octokit.plugin(throttling, retry);
  const octokit = new Client({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warning(`octokit: ${message}`),
      error: (message: string) => logger.error(`octokit: ${message}`),
    },
    throttle: {
      retryAfterBaseValue: unit,
      retryLimiter: retryLimiter(),
      global: concurrencyGroup(10),
      auth: concurrencyGroup(1),
      write: spacingGroup(WRITE_SPACING_MS * waitScale),
      search: spacingGroup(SEARCH_SPACING_MS * waitScale),
      notifications: spacingGroup(NOTIFICATION_SPACING_MS * waitScale),
      onRateLimit: (
        after: number,
        request: { method: string; url: string },
        _octokit: unknown,
        count: number,
      ) => retryRateLimit('primary', after, count, PRIMARY_LIMIT_RETRIES, request, logger),
      onSecondaryRateLimit: (
        after: number,
        request: { method: string; url: string },
        _octokit: unknown,
        count: number,
      ) => retryRateLimit('secondary', after, count, SECONDARY_LIMIT_RETRIES, request, logger),
    } as never,
    retry: {
      retryAfterBaseValue: unit,
      retries: SERVER_ERROR_RETRIES,
      // Only 5xx and network failures: a 4xx will not change on its own (403 and 429 rate limits
      // are the throttling plugin's).
      doNotRetry: Array.from({ length: 100 }, (_, index) => 400 + index),
    },
  });
  // Pin the REST API version whose response shapes the tools project (GitHub Enterprise Server
  // before 3.9 ignores the header).
  octokit.hook.before('request', (request) => {
    request.headers['x-github-api-version'] = API_VERSION;
  });
  return octokit as unknown as Octokit;
}

function retryRateLimit(
  kind: 'primary' | 'secondary',
  after: number,
  count: number,
  retries: number,
  request: { method: string; url: string },
  logger: Logger,
): boolean {
  const retrying = count < retries && after <= MAX_RATE_LIMIT_WAIT_S;
  logger.warning(
    `${kind} rate limit on ${request.method} ${request.url}; ${retrying ? `retrying in ${after} s` : 'giving up'}`,
  );
  return retrying;
}
