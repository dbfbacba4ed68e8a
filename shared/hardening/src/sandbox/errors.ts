/**
 * Why the sandbox refused a path. Each code is a requirement id (`sandbox:<code>`) that the
 * tests cite, so the threat model doubles as a checklist.
 */
export type SandboxErrorCode =
  | 'invalid-path'
  | 'outside-roots'
  | 'no-roots'
  | 'denied'
  | 'read-only'
  | 'not-found'
  | 'wrong-kind'
  | 'special-file'
  | 'hard-link'
  | 'symlink-loop'
  | 'swapped';

/**
 * An expected refusal from the sandbox. `message` is one line naming the cause and the remedy; it
 * never contains a path outside the roots (callers pass the path as the client wrote it, and the
 * sandbox only ever adds paths that are inside a root).
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  /**
   * @param code - requirement id of the rule that refused the path
   * @param message - one line of cause and remedy, safe to show to the client
   */
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}
