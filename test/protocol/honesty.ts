// The shared shape of the annotation-honesty suites: for every tool a server lists with
// `readOnlyHint: true`, call it with valid arguments from a per-server table and prove, with a
// witness that observes the outside world (files, rows, upstream requests), that nothing changed.
// A tool listed as read-only without a table entry fails the coverage test, so a new tool cannot
// slip through unprobed.
import type { StdioSession } from '@bulwark/testkit';
import { expect, it } from 'vitest';
import {
  callTool,
  type ListedTool,
  listAllTools,
  type Mode,
  resultText,
  type ServerName,
} from './servers.js';

/** One call of a read-only tool: valid arguments, and the modes it applies to (default: all). */
export interface ReadOnlyCall {
  args: Record<string, unknown>;
  /** Only in these modes (e.g. an option the read-only configuration refuses). */
  modes?: readonly Mode[];
  /**
   * The server refuses this call (a guard, a missing target): it must answer with an isError
   * result, and must still have changed nothing on the way to the refusal.
   */
  refused?: boolean;
}

/**
 * Valid calls of every read-only tool of one server, by tool name. Each call must succeed, except
 * those marked `refused`, and every tool needs at least one call that succeeds.
 */
export type ReadOnlyCalls = Readonly<Record<string, readonly ReadOnlyCall[]>>;

/**
 * Observes what a server could change. Called before a tool call, it records the state and
 * returns a check; the check asserts (with `expect`) that nothing changed since, naming `label`.
 */
export type Witness = () => Promise<(label: string) => Promise<void>>;

/** Options of {@link describeReadOnlyHonesty}. */
export interface ReadOnlyHonestyOptions {
  server: ServerName;
  /** The modes the server is running in; one session each. */
  modes: readonly Mode[];
  /** The running session of a mode (started in the suite's `beforeAll`). */
  session(mode: Mode): StdioSession;
  calls: ReadOnlyCalls;
  witness: Witness;
}

/** The calls of a table entry that apply to a mode. */
function callsIn(calls: readonly ReadOnlyCall[], mode: Mode): readonly ReadOnlyCall[] {
  return calls.filter((call) => !call.modes || call.modes.includes(mode));
}

/** Names of the listed tools whose annotations satisfy a predicate, sorted. */
export function toolsWhere(
  tools: readonly ListedTool[],
  predicate: (annotations: NonNullable<ListedTool['annotations']>) => boolean,
): string[] {
  return tools
    .filter((tool) => predicate(tool.annotations ?? {}))
    .map((tool) => tool.name)
    .sort();
}

/**
 * Registers, for each mode: `honesty:<server>:read-only-coverage (<mode>)`, which fails when a
 * tool listed with `readOnlyHint: true` has no calls in the table (or the table names a tool that
 * is not listed as read-only); and `honesty:<server>:<tool> (<mode>)` for every table entry,
 * which checks the tool is listed as read-only, makes each call (each must succeed, or be refused
 * when marked so) and asserts through the witness that each call changed nothing.
 *
 * @param options - server, modes, sessions, calls and witness
 */
export function describeReadOnlyHonesty(options: ReadOnlyHonestyOptions): void {
  const { server, calls, witness } = options;
  for (const mode of options.modes) {
    it(`honesty:${server}:read-only-coverage (${mode}) — every readOnlyHint tool has valid arguments`, async () => {
      const tools = await listAllTools(options.session(mode));
      const readOnly = toolsWhere(tools, (hints) => hints.readOnlyHint === true);
      const covered = Object.keys(calls)
        .filter((name) => callsIn(calls[name] ?? [], mode).some((call) => !call.refused))
        .sort();
      expect(readOnly.length).toBeGreaterThan(0);
      expect(
        readOnly.filter((name) => !covered.includes(name)),
        'tools listed with readOnlyHint: true but without valid arguments in the table',
      ).toEqual([]);
      expect(
        covered.filter((name) => !readOnly.includes(name)),
        'table entries for tools this mode does not list as read-only',
      ).toEqual([]);
    });

    for (const [tool, entries] of Object.entries(calls)) {
      const here = callsIn(entries, mode);
      if (here.length === 0) continue;
      it(`honesty:${server}:${tool} (${mode}) — readOnlyHint holds over ${here.length} call(s)`, async () => {
        const session = options.session(mode);
        const listed = (await listAllTools(session)).find((candidate) => candidate.name === tool);
        expect(listed?.annotations?.readOnlyHint, `${tool} is listed as read-only`).toBe(true);
        for (const call of here) {
          const label = `${tool}(${JSON.stringify(call.args)})`;
          const check = await witness();
          const result = await callTool(session, tool, call.args);
          if (call.refused) expect(result.isError, `${label} is refused`).toBe(true);
          else expect(result.isError, `${label} failed: ${resultText(result)}`).toBeFalsy();
          await check(label);
        }
      });
    }
  }
}

/**
 * Registers `honesty:<server>:additive-coverage (<mode>)`: the tools listed with
 * `readOnlyHint: false` and `destructiveHint: false` must be exactly `tested`, the tools the suite
 * proves additive, so a new non-destructive write tool fails until it has its own test.
 *
 * @param server - the server
 * @param mode - the mode of `session`
 * @param session - returns the running session of that mode
 * @param tested - the non-destructive write tools the suite has tests for
 */
export function describeAdditiveCoverage(
  server: ServerName,
  mode: Mode,
  session: () => StdioSession,
  tested: readonly string[],
): void {
  it(`honesty:${server}:additive-coverage (${mode}) — every non-destructive write tool has a test`, async () => {
    const tools = await listAllTools(session());
    const additive = toolsWhere(
      tools,
      (hints) => hints.readOnlyHint === false && hints.destructiveHint === false,
    );
    expect(additive).toEqual([...tested].sort());
  });
}
