/**
 * Small stand-ins for the Bottleneck limiters @octokit/plugin-throttling uses, passed in through
 * its options (`retryLimiter`, `global`, `auth`, `write`, `search`, `notifications`). The plugin's
 * decisions stay its own (which answers are rate limits, how long GitHub asks to wait, whether to
 * retry); these only run jobs. Bottleneck's in-memory store awaits a `setTimeout(0)` on every
 * bookkeeping step, which adds about 10 ms to each request (measured on loopback); these add none
 * when nothing needs to wait, and their waits scale with the server's wait factor.
 */

type Job<T> = (...args: unknown[]) => Promise<T>;

/** What the plugin calls on a group: `group.key(id).schedule(jobOptions, fn, ...args)`. */
export interface LimiterGroup {
  key(id?: string): { schedule<T>(options: unknown, fn: Job<T>, ...args: unknown[]): Promise<T> };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * A group whose jobs start at least `minMs` apart, in arrival order (GitHub asks for a second
 * between mutating requests; the plugin spaces searches two seconds and notification-triggering
 * writes three).
 *
 * @param minMs - spacing in milliseconds (0: none)
 */
export function spacingGroup(minMs: number): LimiterGroup {
  let next = 0;
  const limiter = {
    async schedule<T>(_options: unknown, fn: Job<T>, ...args: unknown[]): Promise<T> {
      const now = Date.now();
      const at = Math.max(now, next);
      next = at + minMs;
      await sleep(at - now);
      return fn(...args);
    },
  };
  return { key: () => limiter };
}

/**
 * A group that runs at most `max` jobs at once (the plugin's own: 10 for requests, 1 for
 * authentication endpoints).
 *
 * @param max - concurrent jobs
 */
export function concurrencyGroup(max: number): LimiterGroup {
  let running = 0;
  const waiting: (() => void)[] = [];
  const limiter = {
    async schedule<T>(_options: unknown, fn: Job<T>, ...args: unknown[]): Promise<T> {
      if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await fn(...args);
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
  };
  return { key: () => limiter };
}

/** Bottleneck's `failed` event payload, as far as the throttling plugin reads it. */
interface FailedInfo {
  args: unknown[];
  retryCount: number;
}

/**
 * The plugin's `retryLimiter`: runs a job, and when it fails asks the `failed` listener (the
 * plugin's rate-limit logic) how long to wait; a number means wait that many milliseconds and run
 * the job again, anything else means give up with the error.
 */
export function retryLimiter() {
  let onFailed: ((error: unknown, info: FailedInfo) => unknown) | undefined;
  return {
    on(event: string, listener: (error: unknown, info: FailedInfo) => unknown): void {
      if (event === 'failed') onFailed = listener;
    },
    async schedule<T>(fn: Job<T>, ...args: unknown[]): Promise<T> {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await fn(...args);
        } catch (error) {
          const wait = await onFailed?.(error, { args, retryCount });
          if (typeof wait !== 'number') throw error;
          await sleep(wait);
        }
      }
    },
  };
}
