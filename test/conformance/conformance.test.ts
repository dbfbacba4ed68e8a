// The official MCP conformance suite (@modelcontextprotocol/conformance, pinned) against the
// fixture server and every Bulwark server over Streamable HTTP on 127.0.0.1, for the 2025-11-25
// and 2026-07-28 requirement sets: the fixture passes everything; each real server fails exactly
// the scenarios its expected-failures file lists, each for the documented kind of reason.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPECTED_FAILURES_DIR,
  formatTable,
  judge,
  listServerScenarios,
  readExpectedFailures,
  runConformance,
  SPEC_SETS,
  type SuiteRun,
  type TargetResult,
  TOOL_VERSION,
} from './lib.mjs';
import { TARGETS } from './targets.mjs';

const REAL_SERVERS = ['filesystem', 'sqlite', 'postgres', 'fetch', 'github', 'slack'] as const;

/**
 * Scenarios the pinned tool (0.1.16) marks pending: listed for 2025-11-25 but left out of its
 * active suite. A tool upgrade that changes this makes the suite-coverage test fail on purpose.
 */
const PENDING_IN_TOOL = ['json-schema-2020-12', 'server-sse-polling'];

/** Protocol basics every server must pass: none of them needs a fixture. */
const BASICS = ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'dns-rebinding-protection'];

/**
 * Why an expected failure of a real server may fail: a fixture name it lacks, a capability it
 * does not declare, or the one warning about the optional session id. Anything else (a crash, a
 * timeout, an internal error) is a real fault hiding behind the list.
 */
const DOCUMENTED_CAUSES = [
  /^FAILURE [\w-]+: Failed: MCP error -32602: (Tool|Prompt) test_\w+ not found$/,
  /^FAILURE [\w-]+: Failed: MCP error -32602: Resource not found: test:\/\/\S+$/,
  /^FAILURE [\w-]+: Failed: MCP error -32601: Method not found$/,
  /^WARNING server-sse-multiple-streams-session: /,
];

let results: TargetResult[] = [];
const listed = new Map<string, string[]>();

beforeAll(async () => {
  const [runs, ...lists] = await Promise.all([
    runConformance(),
    ...SPEC_SETS.map((set) => listServerScenarios(set.toolLabel)),
  ]);
  results = runs;
  SPEC_SETS.forEach((set, index) => {
    listed.set(set.toolLabel, lists[index] ?? []);
  });
  console.log(`@modelcontextprotocol/conformance ${TOOL_VERSION}, active suite\n${formatTable(results)}`);
}, 240_000);

function resultOf(target: string): TargetResult {
  const result = results.find((entry) => entry.target === target);
  if (!result) throw new Error(`no result for ${target}`);
  return result;
}

function setOf(target: string, revision: string) {
  const set = resultOf(target).sets.find((entry) => entry.revision === revision);
  if (!set) throw new Error(`no ${revision} run for ${target}`);
  return set;
}

function scenario(run: SuiteRun, name: string) {
  const found = run.scenarios.find((entry) => entry.name === name);
  if (!found) throw new Error(`scenario ${name} did not run`);
  return found;
}

describe('conformance suite coverage', () => {
  it('conformance:sets — 2026-07-28 is the tool label draft; every set ran what the tool lists for it, minus pending', () => {
    expect(SPEC_SETS).toEqual([
      { revision: '2025-11-25', toolLabel: '2025-11-25' },
      { revision: '2026-07-28', toolLabel: 'draft' },
    ]);
    expect(results.map((result) => result.target)).toEqual(TARGETS.map((target) => target.name));
    for (const result of results) {
      for (const set of result.sets) {
        const ran = set.run.scenarios.map((entry) => entry.name);
        expect(set.run.announcedCount, `${result.target} ${set.revision}`).toBe(ran.length);
        const all = listed.get(set.toolLabel) ?? [];
        expect([...ran].sort()).toEqual(all.filter((name) => !PENDING_IN_TOOL.includes(name)).sort());
      }
    }
    // 0.1.16 files every server scenario under 2025-06-18 and/or 2025-11-25; none under draft.
    expect(setOf('fixture', '2025-11-25').run.scenarios).toHaveLength(30);
    expect(setOf('fixture', '2026-07-28').run.scenarios).toHaveLength(0);
  });
});

describe('conformance fixture server', () => {
  it('conformance:fixture — passes every scenario of both requirement sets, by its own judgement too', () => {
    expect(resultOf('fixture').expected).toEqual([]);
    for (const set of resultOf('fixture').sets) {
      const failing = set.run.scenarios.filter((entry) => !entry.passed);
      expect(failing.map((entry) => `${entry.name}: ${entry.problems.join('; ')}`)).toEqual([]);
      expect(set.verdict.ok).toBe(true);
      expect(set.verdict.passed).toHaveLength(set.run.scenarios.length);
      expect(set.run.toolExitCode).toBe(0);
    }
  });

  it('conformance:fixture-round-trips — sampling and elicitation answers, progress and log messages reach the other side', () => {
    const { run } = setOf('fixture', '2025-11-25');
    const details = (name: string) => scenario(run, name).checks[0]?.details as Record<string, unknown>;
    const sampling = details('tools-call-sampling') as {
      result: { content: { text: string }[]; isError?: boolean };
    };
    expect(sampling.result.isError).toBeFalsy();
    expect(sampling.result.content[0]?.text).toBe('LLM response: This is a test response from the client');
    const elicitation = details('tools-call-elicitation') as { result: { content: { text: string }[] } };
    expect(elicitation.result.content[0]?.text).toBe(
      'User response: action=accept, content={"username":"testuser","email":"test@example.com"}',
    );
    const progress = details('tools-call-with-progress') as { progressNotifications: { progress: number }[] };
    expect(progress.progressNotifications.map((entry) => entry.progress)).toEqual([0, 50, 100]);
    const logging = details('tools-call-with-logging') as { logs: { level: string; data: string }[] };
    expect(logging.logs.map((entry) => entry.data)).toEqual([
      'Tool execution started',
      'Tool processing data',
      'Tool execution completed',
    ]);
    const error = details('tools-call-error') as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(error.result).toMatchObject({
      isError: true,
      content: [{ text: 'This tool intentionally returns an error for testing' }],
    });
  });

  it("conformance:runtime-http — over the runtime's own --http the fixture fails only what needs a 2025 session", () => {
    const { run, verdict } = setOf('fixture-runtime-http', '2025-11-25');
    expect(verdict.unexpectedFailures).toEqual([]);
    expect(verdict.stale).toEqual([]);
    expect(run.toolExitCode).toBe(0);
    expect(verdict.expectedFailures.sort()).toEqual(
      [
        'elicitation-sep1034-defaults',
        'elicitation-sep1330-enums',
        'server-sse-multiple-streams',
        'tools-call-elicitation',
        'tools-call-sampling',
      ].sort(),
    );
    expect(scenario(run, 'tools-call-elicitation').checks[0]?.details).toMatchObject({
      result: { isError: true, content: [{ text: 'Client does not support form elicitation.' }] },
    });
    expect(verdict.passed).toEqual(
      expect.arrayContaining([...BASICS, 'tools-call-with-progress', 'completion-complete']),
    );
  });
});

describe('conformance of each server', () => {
  it.each(REAL_SERVERS)(
    'conformance:%s — fails exactly its listed scenarios, each for a documented cause',
    (server) => {
      const result = resultOf(server);
      const listedNames = result.expected.map((entry) => entry.scenario);
      for (const set of result.sets) {
        expect(set.verdict.unexpectedFailures, `${server} ${set.revision} unexpected`).toEqual([]);
        expect(set.verdict.stale, `${server} ${set.revision} stale`).toEqual([]);
        expect(set.verdict.incomplete).toBe(false);
        expect(set.run.toolExitCode, `${server} ${set.revision}: the tool's own baseline check`).toBe(0);
      }
      const { run, verdict } = setOf(server, '2025-11-25');
      // Every entry is exercised by the 2025-11-25 set (no entry kept for a scenario that is gone).
      expect([...verdict.expectedFailures].sort()).toEqual([...listedNames].sort());
      expect(verdict.passed).toEqual(expect.arrayContaining(BASICS));
      for (const name of verdict.expectedFailures) {
        for (const problem of scenario(run, name).problems) {
          expect(
            DOCUMENTED_CAUSES.some((cause) => cause.test(problem)),
            `${server} ${name}: ${problem}`,
          ).toBe(true);
        }
      }
    },
  );

  it('conformance:passable — every scenario a server is excused from is one the fixture server passes', () => {
    // A scenario a real server is excused from because of a fixture name must be one the fixture
    // server passes: the list never excuses what no Bulwark code can pass.
    const fixturePassed = new Set(setOf('fixture', '2025-11-25').verdict.passed);
    for (const server of REAL_SERVERS) {
      for (const { scenario: name } of resultOf(server).expected)
        expect(fixturePassed.has(name), name).toBe(true);
    }
  });
});

describe('conformance judgement', () => {
  const run = (
    outcomes: Record<string, boolean>,
    announcedCount = Object.keys(outcomes).length,
  ): SuiteRun => ({
    toolLabel: '2025-11-25',
    announcedCount,
    scenarios: Object.entries(outcomes).map(([name, passed]) => ({
      name,
      passed,
      checks: [],
      problems: passed ? [] : [`FAILURE ${name}: broken`],
    })),
    toolExitCode: 0,
    durationMs: 0,
    stdout: '',
  });

  it('conformance:judge — unexpected failures, stale entries and missing results each fail the verdict', () => {
    expect(judge(run({ ping: true, 'tools-call-error': false }), ['tools-call-error'])).toMatchObject({
      passed: ['ping'],
      expectedFailures: ['tools-call-error'],
      ok: true,
    });
    expect(judge(run({ ping: false }), [])).toMatchObject({ unexpectedFailures: ['ping'], ok: false });
    expect(judge(run({ ping: true }), ['ping'])).toMatchObject({ stale: ['ping'], ok: false });
    expect(judge(run({ ping: true }), ['json-schema-2020-12'])).toMatchObject({
      notRun: ['json-schema-2020-12'],
      ok: true,
    });
    expect(judge(run({ ping: true }, 2), [])).toMatchObject({ incomplete: true, ok: false });
  });

  describe('expected-failures files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'bulwark-conformance-yml-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('conformance:reasons — every target has a file and every entry states its reason', async () => {
      for (const target of TARGETS) {
        const entries = await readExpectedFailures(path.join(EXPECTED_FAILURES_DIR, `${target.name}.yml`));
        for (const entry of entries) expect(entry.reason.length, entry.scenario).toBeGreaterThan(20);
      }
      const bare = path.join(dir, 'bare.yml');
      await writeFile(
        bare,
        'server:\n  # Calls the fixture tool test_simple_text.\n  - tools-call-simple-text\n  - ping\n',
      );
      await expect(readExpectedFailures(bare)).rejects.toThrow(/ping has no reason comment/);
      const other = path.join(dir, 'other.yml');
      await writeFile(other, 'client:\n  - initialize # reason\n');
      await expect(readExpectedFailures(other)).rejects.toThrow(/expected "server:"/);
    });
  });
});
