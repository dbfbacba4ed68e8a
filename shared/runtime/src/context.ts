import type { Logger } from './logger.js';

/** Reports progress on long work (MCP `notifications/progress`). No-op when the client sent no progress token. */
export type ProgressReporter = (progress: number, total?: number, message?: string) => Promise<void>;

/** Everything a tool handler gets besides its arguments. */
export interface ToolContext<Deps> {
  /** Per-connection dependencies (sandbox, config, clients). */
  deps: Deps;
  /** Aborts when the client cancels the request (`notifications/cancelled`) or the connection closes. */
  signal: AbortSignal;
  /** Sends throttled progress notifications. */
  progress: ProgressReporter;
  /** Logs to stderr. */
  log: Logger;
  /**
   * Asks the user to confirm a destructive action through elicitation when the client supports it.
   * Resolves true when confirmed or when the client cannot be asked (the operator's flags and the
   * host's own tool approval then stand); false when the user declined.
   */
  confirm(message: string): Promise<boolean>;
}

/** Minimum interval between two progress notifications for one request, in milliseconds. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Wraps a raw progress sender so notifications go out at most every {@link PROGRESS_INTERVAL_MS}
 * (the final one, where progress reaches total, always goes out).
 *
 * @param send - sends one notification; undefined when the request carried no progress token
 * @param now - clock, for tests
 * @returns the reporter
 */
export function createProgressReporter(
  send: ((progress: number, total?: number, message?: string) => Promise<void>) | undefined,
  now: () => number = Date.now,
): ProgressReporter {
  if (!send) return async () => {};
  let last = Number.NEGATIVE_INFINITY;
  let lastProgress = Number.NEGATIVE_INFINITY;
  return async (progress, total, message) => {
    // MCP requires progress to increase with every notification.
    if (progress <= lastProgress) return;
    const final = total !== undefined && progress >= total;
    const at = now();
    if (!final && at - last < PROGRESS_INTERVAL_MS) return;
    last = at;
    lastProgress = progress;
    await send(progress, total, message).catch(() => {});
  };
}
