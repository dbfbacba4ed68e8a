import vm from 'node:vm';
import { BudgetExceededError } from './budgets.js';

/** Finds the lines of a text that a regular expression matches, within a time budget. */
export interface BoundedLineMatcher {
  /**
   * @param text - the text to scan (split on LF; a CR before the LF is ignored)
   * @param timeoutMs - wall-clock budget for this text, in milliseconds (at least 1)
   * @returns 0-based indexes of the matching lines, ascending
   * @throws BudgetExceededError `regex-time` when the budget ran out (catastrophic backtracking)
   */
  matchLines(text: string, timeoutMs: number): number[];
}

// Runs inside the sandboxed context: the loop and the regex both count against the timeout, and
// V8 interrupts a backtracking regex when it does.
const SCAN = `(() => {
  const found = [];
  const lines = input.split('\\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    pattern.lastIndex = 0;
    if (pattern.test(line.endsWith('\\r') ? line.slice(0, -1) : line)) found.push(index);
  }
  return found;
})()`;

/**
 * Compiles a regular expression whose matching is bounded in time. A pattern chosen by a client
 * (a grep query) can backtrack catastrophically (`^(a+)+$`) and block the event loop for minutes;
 * here each scan runs in a `node:vm` context with a timeout, which V8 enforces inside the regex
 * engine too.
 *
 * @param source - pattern source (JavaScript syntax)
 * @param flags - RegExp flags (`u`, `i`, ...)
 * @returns the matcher
 * @throws SyntaxError when the pattern is invalid
 * @example createBoundedLineMatcher('TODO', 'u').matchLines('a\nTODO b', 1000); // [1]
 */
export function createBoundedLineMatcher(source: string, flags: string): BoundedLineMatcher {
  const context = vm.createContext({ pattern: new RegExp(source, flags), input: '' });
  const script = new vm.Script(SCAN);
  return {
    matchLines(text: string, timeoutMs: number): number[] {
      context.input = text;
      try {
        return Array.from(
          script.runInContext(context, { timeout: Math.max(1, Math.ceil(timeoutMs)) }) as number[],
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
          throw new BudgetExceededError(
            'regex-time',
            'The regular expression took too long (catastrophic backtracking); simplify it or search literally.',
          );
        }
        throw error;
      } finally {
        context.input = '';
      }
    },
  };
}
