/**
 * The rule a read-only SQL guard applied. Each is a requirement id (`sql:<rule>`) that the tests
 * and the attack corpus cite, and the refusal message names it.
 */
export type SqlGuardRule =
  | 'parse-error'
  | 'empty'
  | 'multiple-statements'
  | 'statement-kind'
  | 'writable-cte'
  | 'select-into'
  | 'locking-clause'
  | 'explain-analyze'
  | 'show-setting'
  | 'function'
  | 'pragma'
  | 'not-read-only';

/**
 * A statement refused by a read-only SQL guard. `message` is one line that names the rule
 * (`sql:<rule>`) and what to do instead; it never echoes more than a short excerpt of the SQL.
 */
export class SqlGuardError extends Error {
  override readonly name = 'SqlGuardError';
  /**
   * @param rule - the rule that refused the statement
   * @param reason - one line of cause and remedy, without the prefix naming the guard and rule
   * @param guard - which guard refused it: the read-only guard of query/explain, or the write
   *   guard of a write-mode execute
   */
  constructor(
    readonly rule: SqlGuardRule,
    readonly reason: string,
    readonly guard: 'read-only' | 'write' = 'read-only',
  ) {
    super(`Refused by the ${guard} guard (sql:${rule}): ${reason}`);
  }
}
