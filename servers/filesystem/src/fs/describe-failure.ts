import { type Logger, toErrorResult } from '@bulwark/runtime';

/**
 * The one-line message the runtime would give for an error, for per-item errors inside a
 * successful result (read_multiple_files). Uses the runtime's mapping so the wording is the same.
 *
 * @param error - what was thrown
 * @param toolName - for the log when the error is unexpected
 * @param logger - where unexpected errors are recorded
 */
export function describeFailure(error: unknown, toolName: string, logger: Logger): string {
  const result = toErrorResult(error, toolName, logger);
  const first = result.content[0];
  return first && first.type === 'text' ? first.text : 'Unknown error.';
}
