/**
 * The shapes of the attack corpora: a case names the server configuration it runs against, the
 * tool, its arguments and what must happen; a target starts that configuration once (a built
 * server over stdio with a real MCP client, plus its fixtures) and reports, after every case,
 * whatever the case changed that it must not have changed.
 */
import type { StdioSession } from '@bulwark/testkit';

/** The four classes of attack the corpora cover. */
export type AttackClass = 'path' | 'sql' | 'ssrf' | 'unicode';

/** The servers under test. */
export type ServerName = 'filesystem' | 'sqlite' | 'postgres' | 'fetch' | 'github' | 'slack';

/** Tool arguments as the client sends them. */
export type ToolArguments = Record<string, unknown>;

/**
 * What a case expects from the server. Every kind also requires that no string of the target's
 * and the case's `forbidden` lists appears in the result, and that the target's and the case's
 * post-checks find nothing changed.
 *
 * - `refused`: the result is `isError: true` and its text matches `message` (a refusal for
 *   another reason counts as an escape: the guard that should have refused did not).
 * - `rule`: the result is `isError: true` and its text names the rule id (`sql:pragma`).
 * - `contained`: the call may succeed or fail; only the forbidden strings and post-checks judge
 *   it (a listing that must not reach outside, a request path that must stay in its repository).
 *   When `message` is set, the text must also match it (a per-file error inside a batch result).
 * - `clean`: no smuggled code point anywhere in the content text or the structured content, and
 *   every `visible` string (the planted text with its hidden characters removed) appears, which
 *   proves the planted item was returned at all. `error: true` expects an error result (an error
 *   message that quotes data), otherwise success.
 * - `clean-text`: the text content holds no smuggled code point and shows every `visible`
 *   string, while `structuredContent` keeps every `exact` value unchanged (the SQL tools'
 *   contract: exact values for follow-up calls, cleaned text for reading).
 * - `verbatim`: the `exact` values come back unchanged in text and structured content (file
 *   contents, which a client edits and must not see altered).
 * - `allowed`: a control: the call succeeds and its result contains `contains`, so a server that
 *   refuses everything cannot pass the corpus.
 */
export type Expectation =
  | { kind: 'refused'; message: RegExp }
  | { kind: 'rule'; rule: string }
  | { kind: 'contained'; message?: RegExp }
  | { kind: 'clean'; visible: readonly string[]; error?: boolean }
  | { kind: 'clean-text'; visible: readonly string[]; exact: readonly string[] }
  | { kind: 'verbatim'; exact: readonly string[] }
  | { kind: 'allowed'; contains: string };

/**
 * One attack (or control) against one server configuration.
 *
 * @typeParam F - the fixture of the target the case runs against
 */
export interface AttackCase<F = unknown> {
  /** Stable, unique, greppable: `<class>:<name>`, e.g. `path:symlink-file-out/read_text_file`. */
  id: string;
  class: AttackClass;
  /** The tool called. */
  tool: string;
  /** The arguments, fixed or computed from the target's fixture (temp paths, ports). */
  arguments: ToolArguments | ((fixture: F) => ToolArguments);
  /** What must happen, fixed or computed from the fixture (planted values). */
  expect: Expectation | ((fixture: F) => Expectation);
  /** Strings besides the target's own that must not appear in the result. */
  forbidden?: (fixture: F) => readonly string[];
  /** Post-conditions besides the target's own; returns the problems found (empty when none). */
  verify?: (fixture: F) => Promise<readonly string[]>;
}

/** A server configuration started and ready for cases. */
export interface StartedTarget<F> {
  session: StdioSession;
  fixture: F;
  /**
   * Strings that must never appear in any result of this target (secrets outside the sandbox,
   * canary page bodies). A string that the case's own arguments contain is not held against it.
   */
  forbidden: readonly string[];
  /**
   * Records the state a case must not change; the returned function compares it afterwards and
   * returns the differences (empty when nothing changed).
   */
  watch(): Promise<() => Promise<readonly string[]>>;
  /**
   * Puts back what a case may legitimately change inside the sandbox (a link replaced by a
   * rename, a file written), so every case meets the same fixture. Runs after every case.
   */
  reset?(): Promise<void>;
  /** Stops the server and removes the fixtures. */
  close(): Promise<void>;
}

/**
 * A server configuration: one built server started once with fixed flags, and its fixtures.
 *
 * @typeParam F - the fixture its cases compute arguments from
 */
export interface Target<F> {
  /** Short unique name, e.g. `fetch-default`. */
  name: string;
  server: ServerName;
  /** The flags and fixtures in one line, for the report. */
  description: string;
  start(): Promise<StartedTarget<F>>;
}

/** How one case ended. `escape`: the server did what the case forbids; `error`: the case could not be judged or a control failed. */
export type OutcomeStatus = 'held' | 'escape' | 'error';

/** The result of one case. */
export interface Outcome {
  id: string;
  class: AttackClass;
  server: ServerName;
  target: string;
  tool: string;
  status: OutcomeStatus;
  /** Why, in one line; for a case that held, an excerpt of the server's answer. */
  detail: string;
}
