// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
// test/package.json) against each target and judges the outcome against the target's
// expected-failures file. Shared by run.mjs (`pnpm conformance`) and conformance.test.ts.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const toolManifestPath = require.resolve('@modelcontextprotocol/conformance/package.json');
const toolManifest = JSON.parse(await readFile(toolManifestPath, 'utf8'));

/** Version of the conformance tool in use (pinned in test/package.json). */
export const TOOL_VERSION = toolManifest.version;
/** Absolute path of the tool's CLI (its `conformance` bin). */
export const TOOL_CLI = path.join(path.dirname(toolManifestPath), toolManifest.bin.conformance);

/**
 * The requirement sets the run covers: the MCP revision, and the `--spec-version` label the pinned
 * tool files its scenarios under. The tool has no `2026-07-28` label: that revision is its
 * `draft` (the next, unreleased revision when 0.1.16 was cut).
 */
export const SPEC_SETS = Object.freeze([
  Object.freeze({ revision: '2025-11-25', toolLabel: '2025-11-25' }),
  Object.freeze({ revision: '2026-07-28', toolLabel: 'draft' }),
]);

/** Directory of the expected-failures files, one `<target>.yml` per target. */
export const EXPECTED_FAILURES_DIR = path.join(here, 'expected-failures');

/** Milliseconds one tool invocation may take before it is killed. */
const TOOL_TIMEOUT_MS = 150_000;

/**
 * Runs the tool's CLI and collects its output.
 *
 * @param {string[]} args - CLI arguments
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function runTool(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TOOL_CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`conformance ${args[0]} killed (${signal}) after ${TOOL_TIMEOUT_MS} ms`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The server scenarios the tool lists for a `--spec-version` label (all suites, pending included).
 *
 * @param {string} toolLabel - e.g. `2025-11-25` or `draft`
 * @returns {Promise<string[]>} scenario names
 */
export async function listServerScenarios(toolLabel) {
  const { code, stdout, stderr } = await runTool(['list', '--server', '--spec-version', toolLabel]);
  if (code !== 0) throw new Error(`conformance list failed (${code}): ${stderr}`);
  return [...stdout.matchAll(/^ {2}- (\S+)/gm)].map((match) => match[1]);
}

/**
 * Reads an expected-failures file: the tool's format (`server:` followed by a list of scenario
 * names). Only that subset of YAML is accepted; every entry must carry its reason in a comment
 * (on the lines just above it or after it on the same line).
 *
 * @param {string} file - path of the YAML file
 * @returns {Promise<{ scenario: string, reason: string }[]>} the entries, in file order
 * @throws {Error} for another shape, or an entry without a reason
 */
export async function readExpectedFailures(file) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const entries = [];
  let inServer = false;
  let comment = [];
  for (const [index, line] of lines.entries()) {
    const where = `${path.basename(file)}:${index + 1}`;
    if (/^\s*(#.*)?$/.test(line)) {
      const text = line.replace(/^\s*#?\s?/, '').trim();
      if (inServer && text) comment.push(text);
      else if (inServer) comment = [];
      continue;
    }
    if (/^server:\s*(\[\])?\s*$/.test(line)) {
      inServer = !line.includes('[]');
      comment = [];
      continue;
    }
    const item = /^\s+-\s+([a-z0-9][a-z0-9./-]*)\s*(?:#\s*(.*))?$/.exec(line);
    if (!inServer || !item) throw new Error(`${where}: expected "server:" and "- scenario  # reason" lines`);
    const reason = [...comment, item[2] ?? ''].join(' ').trim();
    if (!reason) throw new Error(`${where}: ${item[1]} has no reason comment`);
    entries.push({ scenario: item[1], reason });
    comment = [];
  }
  return entries;
}

/** Status names of the tool's checks that make a scenario fail (the tool's own baseline rule). */
const FAILING = new Set(['FAILURE', 'WARNING']);

/**
 * Runs the active suite of one requirement set against a URL, with the target's expected-failures
 * file, and reads every scenario's `checks.json` from the output directory.
 *
 * @param {string} url - the MCP endpoint
 * @param {string} toolLabel - the tool's `--spec-version`
 * @param {string} expectedFile - the expected-failures YAML
 * @param {string} outputDir - an empty directory for the tool's `-o`
 * @returns {Promise<import('./lib.d.mts').SuiteRun>}
 */
export async function runSuite(url, toolLabel, expectedFile, outputDir) {
  const started = performance.now();
  const { code, stdout, stderr } = await runTool([
    'server',
    '--url',
    url,
    '--suite',
    'active',
    '--spec-version',
    toolLabel,
    '--expected-failures',
    expectedFile,
    '-o',
    outputDir,
  ]);
  const announced = /Running active suite \((\d+) scenarios\)/.exec(stdout);
  if (!announced)
    throw new Error(`conformance server printed no suite header (exit ${code}): ${stderr || stdout}`);
  const ran = [...stdout.matchAll(/^=== Running scenario: (\S+) ===$/gm)].map((match) => match[1]);
  const dirs = await readdir(outputDir).catch(() => []);
  const scenarios = [];
  for (const name of ran) {
    const prefix = `server-${name}-`;
    const dir = dirs.find(
      (entry) => entry.startsWith(prefix) && /^\d{4}-\d\d-\d\dT/.test(entry.slice(prefix.length)),
    );
    const checks = dir
      ? JSON.parse(await readFile(path.join(outputDir, dir, 'checks.json'), 'utf8'))
      : undefined;
    const failing = (checks ?? []).filter((check) => FAILING.has(check.status));
    scenarios.push({
      name,
      passed: checks !== undefined && failing.length === 0,
      checks: checks ?? [],
      problems: checks
        ? failing.map((check) => `${check.status} ${check.id}: ${check.errorMessage ?? check.description}`)
        : ['no checks.json: the scenario did not complete'],
    });
  }
  return {
    toolLabel,
    announcedCount: Number(announced[1]),
    scenarios,
    toolExitCode: code,
    durationMs: performance.now() - started,
    stdout,
  };
}

/**
 * Judges a suite run against the expected failures.
 *
 * @param {import('./lib.d.mts').SuiteRun} run - what the tool reported
 * @param {readonly string[]} expected - scenario names expected to fail
 * @returns {import('./lib.d.mts').Verdict}
 */
export function judge(run, expected) {
  const expectedSet = new Set(expected);
  const passed = [];
  const expectedFailures = [];
  const unexpectedFailures = [];
  const stale = [];
  for (const scenario of run.scenarios) {
    if (scenario.passed) (expectedSet.has(scenario.name) ? stale : passed).push(scenario.name);
    else (expectedSet.has(scenario.name) ? expectedFailures : unexpectedFailures).push(scenario.name);
  }
  const ranNames = new Set(run.scenarios.map((scenario) => scenario.name));
  // A listed scenario that this set does not run is neither stale nor a failure here.
  const notRun = expected.filter((name) => !ranNames.has(name));
  const incomplete = run.scenarios.length !== run.announcedCount;
  return {
    passed,
    expectedFailures,
    unexpectedFailures,
    stale,
    notRun,
    incomplete,
    ok: unexpectedFailures.length === 0 && stale.length === 0 && !incomplete,
  };
}

/**
 * Starts each target, runs every requirement set against it, stops it. Targets run `concurrency`
 * at a time (the machine has two cores; each target is one server process plus the tool).
 *
 * @param {{ targets?: readonly string[], concurrency?: number, onResult?: (result: import('./lib.d.mts').TargetResult) => void }} [options]
 * @returns {Promise<import('./lib.d.mts').TargetResult[]>} one result per target, in table order
 */
export async function runConformance(options = {}) {
  const names = options.targets ?? TARGETS.map((target) => target.name);
  const unknown = names.filter((name) => !TARGETS.some((target) => target.name === name));
  if (unknown.length > 0) throw new Error(`unknown target(s): ${unknown.join(', ')}`);
  const selected = TARGETS.filter((target) => names.includes(target.name));
  const work = await mkdtemp(path.join(tmpdir(), 'bulwark-conformance-'));
  const results = new Array(selected.length);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const index = next++;
      results[index] = await runTarget(selected[index], work);
      options.onResult?.(results[index]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

async function runTarget(target, work) {
  const started = performance.now();
  const expectedFile = path.join(EXPECTED_FAILURES_DIR, `${target.name}.yml`);
  const expected = await readExpectedFailures(expectedFile);
  const names = expected.map((entry) => entry.scenario);
  const server = await target.start();
  const sets = [];
  try {
    for (const set of SPEC_SETS) {
      const outputDir = path.join(work, `${target.name}-${set.toolLabel}`);
      const run = await runSuite(server.url, set.toolLabel, expectedFile, outputDir);
      sets.push({ ...set, run, verdict: judge(run, names) });
    }
  } finally {
    await server.stop();
  }
  return {
    target: target.name,
    description: target.description,
    expected,
    sets,
    serverStderr: server.stderr(),
    durationMs: performance.now() - started,
  };
}

/**
 * Renders the results as a plain-text table: one row per target and requirement set.
 *
 * @param {readonly import('./lib.d.mts').TargetResult[]} results
 * @returns {string} the table, lines ending in `\n`
 */
export function formatTable(results) {
  const header = ['target', 'requirement set', 'scenarios', 'passed', 'expected fail', 'unexpected', 'stale'];
  const rows = results.flatMap((result) =>
    result.sets.map((set) => [
      result.target,
      `${set.revision}${set.toolLabel === set.revision ? '' : ` (${set.toolLabel})`}`,
      String(set.run.scenarios.length),
      String(set.verdict.passed.length),
      String(set.verdict.expectedFailures.length),
      String(set.verdict.unexpectedFailures.length),
      String(set.verdict.stale.length),
    ]),
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) =>
    `${cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd()}\n`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('');
}
