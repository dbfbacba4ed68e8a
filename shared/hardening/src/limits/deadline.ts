import { BudgetExceededError } from './budgets.js';

/** Longest delay a Node.js timer honours (2^31-1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A wall-clock budget for one piece of work, tied to the request's cancellation signal. */
export interface Deadline {
  /** Milliseconds left (never negative). */
  remainingMs(): number;
  /** True once time is up or the request was cancelled. */
  expired(): boolean;
  /** Aborts when time is up or the request is cancelled; pass it to I/O that accepts a signal. */
  readonly signal: AbortSignal;
  /**
   * Throws when time is up or the request was cancelled.
   * @throws BudgetExceededError with budget `time` or `cancelled`
   */
  check(): void;
}

/**
 * Creates a deadline `ms` milliseconds from now.
 *
 * @param ms - budget in milliseconds
 * @param parent - the request's abort signal (cancellation), if any
 * @param now - clock, for tests
 * @returns the deadline
 * @example
 * const deadline = createDeadline(30_000, ctx.signal);
 * for (const file of files) { deadline.check(); ... }
 */
export function createDeadline(ms: number, parent?: AbortSignal, now: () => number = Date.now): Deadline {
  const end = now() + ms;
  // AbortSignal.timeout throws on a fractional delay, and Node fires a delay above 2^31-1 ms after 1 ms.
  const timeout = AbortSignal.timeout(Math.min(Math.max(0, Math.ceil(ms)), MAX_TIMER_MS));
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  return {
    signal,
    remainingMs: () => Math.max(0, end - now()),
    expired: () => signal.aborted || now() >= end,
    check() {
      if (parent?.aborted) throw new BudgetExceededError('cancelled', 'The request was cancelled.');
      if (signal.aborted || now() >= end) {
        throw new BudgetExceededError('time', `Time budget of ${Math.round(ms / 1000)} s ran out.`);
      }
    },
  };
}
