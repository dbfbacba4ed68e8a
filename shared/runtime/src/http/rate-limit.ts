/**
 * Rate limits per subject and per tool over fixed windows (rate-limiter-flexible): in memory, or
 * shared by every instance of a deployment through Redis, with the in-memory limiter standing in
 * while Redis cannot be reached. Loaded only with `--http`.
 */
import type { Redis as RedisClient } from 'ioredis';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { HttpRateLimitConfig } from './options.js';

/** The answer to one call's request for budget. */
export type RateLimitVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** Whole seconds until the window that refused the call resets (at least 1). */
      retryAfterSeconds: number;
      /** The limit that refused it: calls per window. */
      limit: number;
      /** `subject` for the limit over all tools, `tool` for the tool's own. */
      scope: 'subject' | 'tool';
      /** The window in seconds. */
      windowSeconds: number;
    };

/** The limits of one server; see {@link createRateLimits}. */
export interface RateLimits {
  /** False when no limit is configured (every call is allowed without a store round trip). */
  readonly enabled: boolean;
  /**
   * Takes one call from the subject's budget and from the tool's budget for that subject.
   *
   * @param subject - who calls (`sub` of the token)
   * @param tool - the tool's name
   * @returns whether the call may run, and if not when to retry
   */
  consume(subject: string, tool: string): Promise<RateLimitVerdict>;
  /** Disconnects from the store. */
  close(): Promise<void>;
}

/**
 * Builds the limiters. With a `redis://` store, one connection is opened (commands fail fast
 * instead of queueing while it is down: `enableOfflineQueue: false`); each limiter carries an
 * in-memory insurance limiter with the same limit, which answers whenever Redis is not ready,
 * so calls keep being limited per instance rather than failing or running unlimited. State
 * changes of the store are logged once each and reported to `onStoreState`.
 *
 * Keys are `PREFIX:SERVER:subject:SUBJECT` and `PREFIX:SERVER:tool:TOOL:SUBJECT`.
 *
 * @param config - limits, window, store and key prefix
 * @param server - the server name, part of every key
 * @param logger - for store state changes
 * @param onStoreState - called with true when Redis becomes ready, false when it goes away
 * @returns the limits
 */
export async function createRateLimits(
  config: HttpRateLimitConfig,
  server: string,
  logger: Logger,
  onStoreState: (up: boolean) => void = () => {},
): Promise<RateLimits> {
  const toolLimits = Object.entries(config.perTool).filter(([, points]) => points > 0);
  if (config.perSubject === 0 && toolLimits.length === 0) {
    if (config.store !== 'memory') {
      logger.warning(
        '--rate-limit-store is set but no --rate-limit or --rate-limit-tool is; nothing is limited',
      );
    }
    return { enabled: false, consume: async () => ({ allowed: true }), close: async () => {} };
  }
  const { RateLimiterMemory, RateLimiterRedis } = (await import('rate-limiter-flexible')).default;
  let redis: RedisClient | undefined;
  if (config.store !== 'memory') redis = await connectRedis(config.store, logger, onStoreState);
  const duration = config.windowSeconds;
  const makeLimiter = (points: number, keyPrefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      points,
      duration,
      keyPrefix,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const base = `${config.prefix}:${server}`;
  const subjectLimiter =
    config.perSubject > 0 ? makeLimiter(config.perSubject, `${base}:subject`) : undefined;
  const perTool = new Map<string, { limiter: RateLimiterAbstract; points: number }>();
  for (const [tool, points] of toolLimits) {
    perTool.set(tool, { limiter: makeLimiter(points, `${base}:tool`), points });
  }

  const take = async (
    limiter: RateLimiterAbstract,
    key: string,
    points: number,
    scope: 'subject' | 'tool',
  ): Promise<RateLimitVerdict> => {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof Error) {
        // The store and its insurance both failed: let the call through rather than fail it.
        logger.warning('rate limiter failed; allowing the call', rejection);
        return { allowed: true };
      }
      const ms = (rejection as RateLimiterRes).msBeforeNext;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
        limit: points,
        scope,
        windowSeconds: duration,
      };
    }
  };

  return {
    enabled: true,
    async consume(subject, tool) {
      const own = perTool.get(tool) ?? perTool.get('*');
      const verdicts = await Promise.all([
        own ? take(own.limiter, `${tool}:${subject}`, own.points, 'tool') : { allowed: true as const },
        subjectLimiter
          ? take(subjectLimiter, subject, config.perSubject, 'subject')
          : { allowed: true as const },
      ]);
      const refused = verdicts.filter((verdict) => !verdict.allowed);
      if (refused.length === 0) return { allowed: true };
      return refused.reduce((a, b) => (a.retryAfterSeconds >= b.retryAfterSeconds ? a : b));
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

async function connectRedis(
  url: string,
  logger: Logger,
  onStoreState: (up: boolean) => void,
): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const safeUrl = redactUrl(url);
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  });
  let up: boolean | undefined;
  const report = (next: boolean, detail?: string) => {
    if (up === next) return;
    up = next;
    onStoreState(next);
    if (next) logger.info(`rate limits shared through ${safeUrl}`);
    else
      logger.warning(
        `rate-limit store ${safeUrl} is unavailable${detail ? ` (${detail})` : ''}; each instance limits on its own until it returns`,
      );
  };
  client.on('ready', () => report(true));
  client.on('error', (error: Error) => report(false, error.message));
  client.on('end', () => report(false));
  // Wait briefly for the first connection so the first calls are already shared; start anyway.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', done);
    client.once('error', done);
  });
  return client;
}

function redactUrl(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.href;
}
