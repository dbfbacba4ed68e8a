// Startup bench: the time from spawning a server's bin to reading its `initialize` result, for
// each of our six servers and for the official @modelcontextprotocol/server-filesystem, all
// installed from packed tarballs into one app outside the workspace (test/e2e/packed-app.mjs), as
// a user's `npx` would find them. Prints medians, p90 and each server's share of the official
// server's median against the target (at most 60%); writes JSON to .bench-data/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSampleSqlite,
  createTempTree,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  startGitHubApi,
  startSlackApi,
  startTestPostgres,
} from '@bulwark/testkit';
import {
  installPackedApp,
  OFFICIAL_FILESYSTEM,
  pinnedVersion,
  preparePackedApp,
} from '../e2e/packed-app.mjs';
import { formatMs, median, percentile, printTable, withTimeout } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Our median may be at most this share of the official filesystem server's. */
const TARGET = 0.6;
/** Time limit of one start, until the `initialize` result. */
const START_LIMIT_MS = 20_000;
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'bulwark-bench-startup', version: '0.0.0' },
  },
})}\n`;

/** Starts per server: BENCH_RUNS when set, else 15. */
function startRuns() {
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  return Number.isSafeInteger(runs) && runs >= 1 ? runs : 15;
}

/** The file a package's bin runs, from its installed package.json. */
function binFile(app, name) {
  const dir = path.join(app, 'node_modules', name);
  const { bin } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = typeof bin === 'string' ? bin : Object.values(bin)[0];
  return path.join(dir, file);
}

/**
 * Spawns `node <bin> ...args`, writes the initialize request at once, and resolves with the
 * milliseconds until a stdout line carries its result. The process is then stopped (stdin closed,
 * SIGKILL after 2 s). Rejects on an error response, an early exit or after START_LIMIT_MS.
 */
async function timeStart({ bin, args, env }) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  child.stdin.on('error', () => {});
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const answered = new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.id !== 1) continue;
        if (message.result?.serverInfo) resolve(performance.now() - started);
        else reject(new Error(`initialize failed: ${line.slice(0, 300)}`));
      }
    });
    void exited.then((code) =>
      reject(new Error(`exited (${code}) before answering; stderr: ${stderr.trim()}`)),
    );
  });
  child.stdin.write(INITIALIZE);
  try {
    return await withTimeout(answered, START_LIMIT_MS, 'initialize');
  } finally {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Counts the instructions one start executes, from spawn until the server exits after answering
 * `initialize` (its stdin is closed right after the request), under valgrind's callgrind, all
 * threads included. Unlike wall time this hardly moves with machine load (two runs agree within
 * about 1%), so it tells small start-up changes apart on a busy or virtual machine; the count
 * includes the exit, which costs every server alike. Resolves with millions of instructions.
 * Rejects when valgrind is missing or the start fails; callgrind runs it about 70 times slower.
 */
async function countInstructions({ bin, args, env }) {
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      '--smc-check=all-non-file',
      process.execPath,
      bin,
      ...args,
    ],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  child.stdin.end(INITIALIZE);
  const exited = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  await withTimeout(exited, 300_000, 'callgrind start');
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) throw new Error(`callgrind counted nothing: ${stderr.trim().slice(-300)}`);
  return Number(collected[1]) / 1e6;
}

/** A PostgreSQL database for the server: a fresh one on the loopback server, else PGlite. */
async function startDatabase() {
  const from = ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL'].find((name) => process.env[name]);
  const admin = from ? process.env[from] : DEFAULT_ADMIN_URL;
  const host = new URL(admin).hostname;
  if (!LOOPBACK_HOSTS.has(host))
    throw new Error(`${from} names host "${host}"; the bench contacts loopback servers only`);
  try {
    return await startTestPostgres({ TEST_DATABASE_URL: admin });
  } catch (error) {
    console.log(`PostgreSQL at ${host} is unavailable (${error.message}); using PGlite`);
    return startTestPostgres({});
  }
}

/** Runs the startup bench and prints the table. */
export async function run() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-startup-'));
  const cleanups = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const official = pinnedVersion(repo, OFFICIAL_FILESYSTEM);
    let phase = performance.now();
    const { app, servers } = await preparePackedApp(repo, work, {
      registry: { [OFFICIAL_FILESYSTEM]: official },
    });
    await installPackedApp(app, { offline: false });
    console.log(
      `packed ${servers.length} servers and installed them with ${OFFICIAL_FILESYSTEM}@${official} into ${app} in ${formatMs(performance.now() - phase)}`,
    );

    phase = performance.now();
    const data = await createTempTree({ 'hello.txt': 'hello\n', docs: { 'a.md': '# a\n' } });
    cleanups.push(() => data.remove());
    const sqliteFile = path.join(work, 'shop.db');
    await createSampleSqlite(sqliteFile);
    const database = await startDatabase();
    cleanups.push(() => database.close());
    const github = await startGitHubApi(fakeGitHub());
    cleanups.push(() => github.close());
    const slack = await startSlackApi();
    cleanups.push(() => slack.close());
    const bin = (name) => binFile(app, name);
    const subjects = [
      {
        label: `${OFFICIAL_FILESYSTEM} (official)`,
        bin: bin(OFFICIAL_FILESYSTEM),
        args: [data.dir],
        env: {},
      },
      {
        label: '@bulwark/server-filesystem',
        bin: bin('@bulwark/server-filesystem'),
        args: [data.dir],
        env: {},
      },
      { label: '@bulwark/server-sqlite', bin: bin('@bulwark/server-sqlite'), args: [sqliteFile], env: {} },
      {
        label: `@bulwark/server-postgres (${database.kind})`,
        bin: bin('@bulwark/server-postgres'),
        args: [],
        env: { DATABASE_URL: database.url },
      },
      { label: '@bulwark/server-fetch', bin: bin('@bulwark/server-fetch'), args: [], env: {} },
      {
        label: '@bulwark/server-github',
        bin: bin('@bulwark/server-github'),
        args: [],
        env: {
          GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bulwarkBenchToken00000000000000000000',
          GITHUB_API_URL: github.url,
        },
      },
      {
        label: '@bulwark/server-slack',
        bin: bin('@bulwark/server-slack'),
        args: [],
        env: { SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN, SLACK_API_URL: slack.url },
      },
    ];
    console.log(`fixtures ready in ${formatMs(performance.now() - phase)}`);

    // One untimed start each (ours write Node's compile cache then), then `runs` rounds that
    // start every server once, in alternating order, so that drift in machine load hits all alike.
    for (const subject of subjects) {
      try {
        subject.first = await timeStart(subject);
        subject.samples = [];
      } catch (error) {
        subject.error = error.message;
      }
    }
    const runs = startRuns();
    const live = subjects.filter((subject) => !subject.error);
    for (let round = 0; round < runs; round++) {
      for (const subject of round % 2 === 0 ? live : [...live].reverse()) {
        subject.samples.push(await timeStart(subject));
      }
    }

    const reference = median(subjects[0].samples ?? []);
    const rows = subjects.map((subject, index) => {
      if (subject.error) return [subject.label, 'n/a', 'n/a', 'n/a', 'n/a', `error: ${subject.error}`];
      const mid = median(subject.samples);
      const share = mid / reference;
      const verdict = index === 0 ? 'reference' : share <= TARGET ? 'PASS' : 'FAIL';
      return [
        subject.label,
        formatMs(subject.first),
        formatMs(mid),
        formatMs(percentile(subject.samples, 90)),
        index === 0 ? '100%' : `${Math.round(share * 100)}%`,
        verdict,
      ];
    });
    console.log(
      `\nspawn -> initialize result, ${runs} starts per server (after one untimed start), node ${process.version}, ${os.cpus().length} CPUs`,
    );
    printTable(['server', 'first start', 'median', 'p90', 'of official', `target <= ${TARGET * 100}%`], rows);
    const ours = rows.slice(1);
    const passed = ours.filter((row) => row[5] === 'PASS').length;
    console.log(
      `\n${passed} of ${ours.length} servers start in at most ${TARGET * 100}% of the official server's median.`,
    );

    // Opt-in: instructions per start, one callgrind run each (see countInstructions).
    if (process.env.BENCH_INSTRUCTIONS === '1') {
      for (const subject of live) {
        try {
          subject.instructions = await countInstructions(subject);
        } catch (error) {
          subject.instructionsError = error.message;
        }
      }
      const officialCount = subjects[0].instructions;
      console.log('\ninstructions from spawn to exit after answering initialize (callgrind, one start each)');
      printTable(
        ['server', 'instructions', 'of official'],
        subjects.map((subject) => [
          subject.label,
          subject.instructions
            ? `${subject.instructions.toFixed(1)} M`
            : `n/a ${subject.instructionsError ?? subject.error ?? ''}`,
          subject.instructions && officialCount
            ? `${Math.round((subject.instructions / officialCount) * 100)}%`
            : 'n/a',
        ]),
      );
    }

    const dataDir = path.join(repo, '.bench-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      path.join(dataDir, 'startup-results.json'),
      `${JSON.stringify(
        {
          node: process.version,
          runs,
          target: TARGET,
          servers: subjects.map(({ label, first, samples, error, instructions }) => ({
            label,
            instructions_millions: instructions ?? null,
            first_ms: first,
            median_ms: samples ? median(samples) : null,
            p90_ms: samples ? percentile(samples, 90) : null,
            share_of_official: samples ? median(samples) / reference : null,
            samples_ms: samples ?? [],
            error,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
