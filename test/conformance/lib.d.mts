/** Types of lib.mjs, for the TypeScript test that imports it. */

/** One check as the conformance tool records it in `checks.json`. */
export interface ConformanceCheck {
  id: string;
  name: string;
  description: string;
  /** `SUCCESS`, `FAILURE`, `WARNING` or `INFO`; a failure or a warning fails the scenario. */
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
  details?: Record<string, unknown>;
}

/** One scenario of a run. */
export interface ScenarioResult {
  name: string;
  /** No FAILURE and no WARNING check (the tool's baseline rule), and checks were recorded. */
  passed: boolean;
  checks: ConformanceCheck[];
  /** `STATUS id: message` of each failing check. */
  problems: string[];
}

/** What one `conformance server` invocation reported. */
export interface SuiteRun {
  /** The `--spec-version` label. */
  toolLabel: string;
  /** The scenario count the tool announced for the active suite. */
  announcedCount: number;
  scenarios: ScenarioResult[];
  /** The tool's exit code with `--expected-failures`: 0 when its own baseline check passed. */
  toolExitCode: number | null;
  durationMs: number;
  stdout: string;
}

/** A run judged against the expected failures. */
export interface Verdict {
  passed: string[];
  /** Listed and failing, as expected. */
  expectedFailures: string[];
  /** Failing but not listed. */
  unexpectedFailures: string[];
  /** Listed but passing: the entry must go. */
  stale: string[];
  /** Listed but not part of this requirement set. */
  notRun: string[];
  /** Fewer scenario results than announced (a scenario crashed the tool). */
  incomplete: boolean;
  /** No unexpected failure, no stale entry, nothing missing. */
  ok: boolean;
}

/** One requirement set. */
export interface SpecSet {
  /** The MCP revision, e.g. `2026-07-28`. */
  revision: string;
  /** The tool's `--spec-version` for it, e.g. `draft`. */
  toolLabel: string;
}

/** One expected failure and the reason given in its comment. */
export interface ExpectedFailure {
  scenario: string;
  reason: string;
}

/** Everything measured for one target. */
export interface TargetResult {
  target: string;
  description: string;
  expected: ExpectedFailure[];
  sets: (SpecSet & { run: SuiteRun; verdict: Verdict })[];
  serverStderr: string;
  durationMs: number;
}

export declare const TOOL_VERSION: string;
export declare const TOOL_CLI: string;
export declare const SPEC_SETS: readonly SpecSet[];
export declare const EXPECTED_FAILURES_DIR: string;
export declare function listServerScenarios(toolLabel: string): Promise<string[]>;
export declare function readExpectedFailures(file: string): Promise<ExpectedFailure[]>;
export declare function runSuite(
  url: string,
  toolLabel: string,
  expectedFile: string,
  outputDir: string,
): Promise<SuiteRun>;
export declare function judge(run: SuiteRun, expected: readonly string[]): Verdict;
export declare function runConformance(options?: {
  targets?: readonly string[];
  concurrency?: number;
  onResult?: (result: TargetResult) => void;
}): Promise<TargetResult[]>;
export declare function formatTable(results: readonly TargetResult[]): string;
