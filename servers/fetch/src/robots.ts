import { createRequire } from 'node:module';
import { type GuardedClient, NetGuardError, type NetGuardRule } from '@bulwark/hardening/net';

interface RobotsRules {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
}

// robots-parser is CommonJS whose module.exports is the parser function; its typings describe an
// ES default export, so it is loaded through require to keep the types and the runtime in step.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (
  url: string,
  text: string,
) => RobotsRules;

/** RFC 9309 §2.5: a parser must handle at least 500 KiB of robots.txt. */
export const ROBOTS_MAX_BYTES = 512 * 1024;
/** How long a robots.txt answer is reused, in ms (RFC 9309 §2.4: at most 24 hours). */
export const ROBOTS_CACHE_MS = 60 * 60 * 1000;
/** How long a failure (5xx, unreachable) is reused, in ms; shorter so a recovered site is seen. */
export const ROBOTS_FAILURE_CACHE_MS = 5 * 60 * 1000;
const MAX_ORIGINS = 256;
const HOST_RULES: ReadonlySet<NetGuardRule> = new Set([
  'scheme',
  'credentials',
  'host-denied',
  'address',
  'dns',
]);

/** The answer for one URL. */
export type RobotsVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'disallowed' | 'unavailable'; robotsUrl: string };

type Rules =
  | { kind: 'parsed'; isAllowed(url: string): boolean }
  | { kind: 'allow-all' }
  | { kind: 'disallow-all' };

/** A per-origin robots.txt cache; see {@link createRobotsChecker}. */
export interface RobotsChecker {
  /**
   * Whether the user agent may fetch a URL.
   *
   * @param url - the page URL
   * @param signal - the tool call's cancellation
   */
  check(url: URL, signal?: AbortSignal): Promise<RobotsVerdict>;
}

/**
 * Creates the robots.txt checker for tool calls, per RFC 9309: robots.txt is fetched through the
 * same guarded client as pages (so its redirects, at most five, are checked hop by hop), a 2xx
 * is parsed with robots-parser (longest match, Allow wins ties), a 4xx means no restrictions
 * (§2.3.1.3), and a 5xx, a network failure or a guard refusal means complete disallow
 * (§2.3.1.4). Answers are cached per origin (scheme, host, port). When the guard refuses
 * robots.txt's own URL (the host resolves to an internal address, say), that refusal is thrown,
 * since the page would be refused the same way.
 *
 * @param client - the guarded client
 * @param userAgent - the full User-Agent; its product token (before `/`) is matched against
 *   `User-agent:` lines
 * @param now - clock in ms (for tests)
 * @returns the checker
 */
export function createRobotsChecker(
  client: GuardedClient,
  userAgent: string,
  now: () => number = Date.now,
): RobotsChecker {
  const cache = new Map<string, { rules: Rules; expires: number }>();

  const load = async (origin: string, signal?: AbortSignal): Promise<Rules> => {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await client.get(robotsUrl, {
        ...(signal ? { signal } : {}),
        headers: { accept: 'text/plain' },
        maxBodyBytes: ROBOTS_MAX_BYTES,
      });
      if (response.status >= 200 && response.status < 300) {
        // The parser is bound to the URL that answered, but rules apply to the origin asked about.
        const robots = robotsParser(robotsUrl, response.body.toString('utf8'));
        return { kind: 'parsed', isAllowed: (url) => robots.isAllowed(url, userAgent) !== false };
      }
      if (response.status >= 400 && response.status < 500) return { kind: 'allow-all' };
      return { kind: 'disallow-all' };
    } catch (error) {
      if (signal?.aborted) throw error;
      // The guard refusing robots.txt's own URL refuses the page's host too: say that. A failure
      // further on (a redirect refused, a timeout, a reset) is an unreachable robots.txt.
      if (error instanceof NetGuardError && error.url === robotsUrl && HOST_RULES.has(error.rule))
        throw error;
      return { kind: 'disallow-all' };
    }
  };

  return {
    async check(url, signal) {
      const origin = url.origin;
      let entry = cache.get(origin);
      if (!entry || entry.expires <= now()) {
        const rules = await load(origin, signal);
        entry = {
          rules,
          expires: now() + (rules.kind === 'disallow-all' ? ROBOTS_FAILURE_CACHE_MS : ROBOTS_CACHE_MS),
        };
        cache.delete(origin);
        cache.set(origin, entry);
        if (cache.size > MAX_ORIGINS) cache.delete(cache.keys().next().value as string);
      }
      const robotsUrl = `${origin}/robots.txt`;
      if (entry.rules.kind === 'allow-all') return { allowed: true };
      if (entry.rules.kind === 'disallow-all') return { allowed: false, reason: 'unavailable', robotsUrl };
      return entry.rules.isAllowed(url.href)
        ? { allowed: true }
        : { allowed: false, reason: 'disallowed', robotsUrl };
    },
  };
}
