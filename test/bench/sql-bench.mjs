// The shared driver of the SQL benches (postgres.mjs, sqlite.mjs): the same five items on one of
// our SQL servers and its peer, on the same database in one run, with the same table and JSON
// output. A bench passes a spec: how to start each side, how to phrase a query for it, and how to
// read the rows of its result. Not a bench of its own (run.mjs does not list it).
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStdioServer, textOf } from '@bulwark/testkit';
import {
  benchRuns,
  formatBytes,
  formatMs,
  formatRatio,
  itemTimeoutMs,
  measurePeakGrowth,
  median,
  memoryKiB,
  percentile,
  printTable,
  processTree,
  repeat,
  runPool,
  settleMemory,
  startRawSession,
  startSession,
  timed,
  treeMemoryKiB,
  withTimeout,
} from './lib.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dataDir = path.join(repo, '.bench-data');

/** The queries every SQL bench runs, on the sample database plus the `big` and `tenk` tables. */
export const SMALL_SQL = 'SELECT id, name FROM customers WHERE id = 42';
export const TENK_SQL = 'SELECT * FROM tenk';
export const BIG_SQL = 'SELECT * FROM big';
export const TENK_ROWS = 10_000;
export const BIG_ROWS = 2_000_000;
/** Our servers start with these caps, so that one page holds the whole 10,000-row result. */
export const OURS_MAX_ROWS = 10_000;
export const OURS_MAX_BYTES = 4 * 1024 * 1024;

const SMALL_CALLS = 200;
/** Target: our peak RSS growth while `SELECT * FROM big` runs stays under this. */
const OURS_GROWTH_TARGET_BYTES = 50 * 1000 * 1000;

/** Seconds the `SELECT * FROM big` call may take per side (BENCH_BIG_TIMEOUT_S, default 180). */
export function bigTimeoutMs() {
  const seconds = Number(process.env.BENCH_BIG_TIMEOUT_S ?? 180);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 180) * 1000;
}

/** The `version` of a package.json ('unknown' when it cannot be read). */
export function versionOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Reads our servers' `query` result (the shared sql-tools tool): rows are arrays in column order.
 *
 * @returns `{ count, firstId, truncated }`
 */
export function readOursResult(result) {
  const page = result.structuredContent;
  if (!page || !Array.isArray(page.rows)) throw new Error('no structuredContent rows in the result');
  return { count: page.row_count, firstId: page.rows[0]?.[0], truncated: page.truncated === true };
}

/**
 * Runs one SQL bench.
 *
 * @param spec - `{ name, title, sides: { ours, peer? }, describe: string[], meta, notes? }`; a side is
 *   `{ label, version, args, env, tool, toolArgs(sql), read(result) -> { count, firstId, truncated } }`.
 *   Without `peer`, ours runs alone.
 */
export async function runSqlBench(spec) {
  const bench = new SqlBench(spec);
  await bench.run();
}

class SqlBench {
  constructor(spec) {
    this.spec = spec;
    this.sides = Object.keys(spec.sides).filter((side) => spec.sides[side]);
    this.live = new Set();
    /** BENCH_ITEMS=2,3 runs only those items. */
    this.wantedItems = process.env.BENCH_ITEMS?.split(',').map((item) => item.trim());
    /** A partial run writes its own file, so it never replaces the results of a full run. */
    this.resultsFile = path.join(
      dataDir,
      this.wantedItems
        ? `${spec.name}-results-items-${this.wantedItems.join('-')}.json`
        : `${spec.name}-results.json`,
    );
  }

  // ---- sessions ----------------------------------------------------------------------------------

  /** A fresh server with the testkit's client (the SDK defaults, as a host would). */
  async start(side) {
    const { args, env } = this.spec.sides[side];
    const session = await withTimeout(startStdioServer({ args, env }), itemTimeoutMs(), `${side}: start`);
    this.live.add(session);
    return session;
  }

  /** A long-lived server for items 2, 3 and 5; fills the client's tool cache (output validation). */
  async open(side) {
    const { args, env } = this.spec.sides[side];
    const session = await withTimeout(startSession({ args, env }), itemTimeoutMs(), side);
    this.live.add(session);
    await session.client.listTools();
    return session;
  }

  async stop(session) {
    this.live.delete(session);
    const tree = processTree(session.pid);
    await withTimeout(session.close(), 10_000, 'close').catch(() => {});
    // The server and whatever it started (our SQLite server's query process) must be gone.
    for (const pid of tree) {
      if (!memoryKiB(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async stopAll() {
    await Promise.all([...this.live].map((session) => this.stop(session)));
  }

  call(session, side, sql, timeout = itemTimeoutMs()) {
    const { tool, toolArgs } = this.spec.sides[side];
    return session.client.callTool(
      { name: tool, arguments: toolArgs(sql) },
      { timeout, maxTotalTimeout: timeout },
    );
  }

  /** Reads a result's rows; throws on a tool error or on rows that cannot be read. */
  read(side, result, what) {
    if (result.isError) throw new Error(`${side} ${what} returned an error: ${textOf(result).slice(0, 300)}`);
    return this.spec.sides[side].read(result);
  }

  checkSmall(side, result) {
    const info = this.read(side, result, 'small query');
    if (info.count !== 1 || Number(info.firstId) !== 42) {
      throw new Error(
        `${side} small query: expected customer 42, got ${info.count} rows (id ${info.firstId})`,
      );
    }
  }

  // ---- items -------------------------------------------------------------------------------------

  async benchStartup(runs) {
    const out = {};
    for (const side of this.sides) {
      const firstResult = [];
      const rss = [];
      const measured = await repeat(
        async () => {
          const started = performance.now();
          const session = await this.start(side);
          const ms = performance.now() - started;
          try {
            // As a host would go on: tools/list, then the first call.
            await session.client.listTools();
            this.checkSmall(side, await this.call(session, side, SMALL_SQL));
            firstResult.push(performance.now() - started);
            const memory = treeMemoryKiB(session.pid);
            if (memory) rss.push(memory.rss);
          } finally {
            await this.stop(session);
          }
          return { ms };
        },
        { runs, budgetMs: itemTimeoutMs() },
      );
      out[side] = {
        ms: measured.median,
        samples: measured.samples,
        firstResultMs: median(firstResult.slice(firstResult.length - measured.samples.length)),
        rssAfterFirstQueryKiB: median(rss),
        ...(await this.settledPeak(side)),
      };
    }
    return out;
  }

  /**
   * One more fresh server: the first query, then the peak RSS of its process tree once memory
   * has settled (background work after the first call counts: it is what a host sees).
   */
  async settledPeak(side) {
    const session = await this.start(side);
    try {
      await session.client.listTools();
      this.checkSmall(side, await this.call(session, side, SMALL_SQL));
      const settled = await settleMemory(session.pid);
      return { settledPeakKiB: settled.peakKiB, settledRssKiB: settled.rssKiB, settledAfterMs: settled.ms };
    } finally {
      await this.stop(session);
    }
  }

  async benchSmall(sessions, runs) {
    const out = {};
    for (const side of this.sides) {
      const session = sessions[side];
      this.checkSmall(side, await this.call(session, side, SMALL_SQL));
      const latencies = [];
      const measured = await repeat(
        async () => {
          const pool = await runPool(SMALL_CALLS, 1, async () => {
            const result = await this.call(session, side, SMALL_SQL);
            if (result.isError) throw new Error(`${side} small query: ${textOf(result).slice(0, 300)}`);
          });
          latencies.push(...pool.latencies);
          return { ms: pool.wallMs };
        },
        { runs, budgetMs: itemTimeoutMs() / 2 },
      );
      // Latency percentiles over the timed repetitions only (the warm-up pushed first).
      const timedLatencies = latencies.slice(latencies.length - measured.samples.length * SMALL_CALLS);
      out[side] = {
        wallMs: measured.median,
        samples: measured.samples,
        callsPerSecond: SMALL_CALLS / (measured.median / 1000),
        calls: timedLatencies.length,
        p50: percentile(timedLatencies, 50),
        p99: percentile(timedLatencies, 99),
      };
    }
    return out;
  }

  async benchTenk(sessions, runs) {
    const out = {};
    for (const side of this.sides) {
      const measured = await repeat(
        async () => {
          const { value, ms } = await timed(() => this.call(sessions[side], side, TENK_SQL));
          const info = this.read(side, value, '10,000-row query');
          if (info.count !== TENK_ROWS || info.truncated) {
            throw new Error(
              `${side}: expected all ${TENK_ROWS} rows, got ${info.count}${info.truncated ? ' (truncated)' : ''}`,
            );
          }
          return { ms, rows: info.count, truncated: info.truncated, resultBytes: jsonBytes(value) };
        },
        { runs: Math.max(runs, 10), budgetMs: itemTimeoutMs() / 2 },
      );
      out[side] = {
        ms: measured.median,
        p99: percentile(measured.samples, 99),
        samples: measured.samples,
        ...measured.info,
      };
    }
    return out;
  }

  /**
   * `SELECT * FROM big` on a fresh server with the bare line client (see startRawSession): one
   * small query first, then the peak RSS growth of the server's process tree during the call.
   */
  async bigOnce(side) {
    const { args, env, tool, toolArgs } = this.spec.sides[side];
    const session = await startRawSession({ args, env });
    try {
      const warm = await session.callTool(tool, toolArgs(SMALL_SQL), itemTimeoutMs());
      this.checkSmall(side, resultOf(warm));
      // Background work after the first call (our PostgreSQL server's parser is WebAssembly, which
      // V8 recompiles with its optimising tier for a few hundred ms) must not count as the query's.
      const settled = await settleMemory(session.pid);
      const measured = await measurePeakGrowth(session.pid, () =>
        session.callTool(tool, toolArgs(BIG_SQL), bigTimeoutMs()),
      );
      const out = {
        ms: measured.ms,
        growthKiB: measured.growthKiB,
        beforeKiB: measured.beforeKiB,
        peakKiB: measured.peakKiB,
        byPid: measured.byPid,
        peakResetWorked: measured.resetWorked,
        peakBeforeKiB: settled.peakKiB,
        settled: settled.settled,
      };
      if (measured.error) {
        const died = session.exit !== null;
        return {
          ...out,
          ok: false,
          outcome: `${died ? 'server died' : 'failed'}: ${measured.error.message.slice(0, 300)}`,
          exit: session.exit,
          stderrTail: session.stderr().slice(-500),
        };
      }
      const response = measured.value;
      out.responseBytes = response.bytes;
      if (!response.message) {
        return {
          ...out,
          ok: false,
          outcome: `response of ${formatBytes(response.bytes)} too large to parse`,
        };
      }
      if (response.message.error) {
        return {
          ...out,
          ok: false,
          outcome: `protocol error: ${String(response.message.error.message).slice(0, 300)}`,
        };
      }
      const result = response.message.result;
      if (result.isError)
        return { ...out, ok: false, outcome: `tool error: ${textOf(result).slice(0, 300)}` };
      const info = this.spec.sides[side].read(result);
      return {
        ...out,
        ok: true,
        rows: info.count,
        truncated: info.truncated,
        outcome: `${info.count.toLocaleString('en-US')} rows${info.truncated ? ', truncated' : ''}`,
      };
    } finally {
      await session.close();
    }
  }

  async benchBig() {
    const out = {};
    // One side after the other, so that neither competes with the other for memory or CPU.
    for (const side of this.sides) {
      try {
        out[side] = await this.bigOnce(side);
      } catch (error) {
        out[side] = { ok: false, outcome: `failed: ${error.message}` };
      }
      console.log(`\n    ${side}: ${describeBig(out[side])}`);
    }
    return out;
  }

  // ---- driver ------------------------------------------------------------------------------------

  async runItem(name, fn, limitMs = itemTimeoutMs() * 2.5) {
    if (this.wantedItems && !this.wantedItems.includes(name.split(' ')[0])) return undefined;
    const started = performance.now();
    process.stdout.write(`  ${name} ...`);
    try {
      const value = await withTimeout(fn(), limitMs, name);
      console.log(` ${formatMs(performance.now() - started)}`);
      return value;
    } catch (error) {
      console.log(` FAILED: ${error.message}`);
      if (process.env.BENCH_DEBUG) console.error(error);
      return { error: error.message };
    }
  }

  async run() {
    const { spec } = this;
    const runs = benchRuns();
    await mkdir(dataDir, { recursive: true });
    console.log(`${spec.name} bench: ${runs} runs per figure, item timeout ${itemTimeoutMs() / 1000} s`);
    for (const line of spec.describe) console.log(line);
    const results = {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        runs,
        ...spec.meta,
        ours: `${spec.sides.ours.label}@${spec.sides.ours.version}`,
        peer: spec.sides.peer ? `${spec.sides.peer.label}@${spec.sides.peer.version}` : null,
        oursArgs: redactArgs(spec.sides.ours.args),
        peerArgs: spec.sides.peer ? redactArgs(spec.sides.peer.args) : null,
      },
    };
    try {
      results.startup = await this.runItem('1 spawn -> initialized', () => this.benchStartup(runs));
      const sessions = {};
      if (!this.wantedItems || this.wantedItems.some((item) => ['2', '3', '5'].includes(item))) {
        for (const side of this.sides) sessions[side] = await this.open(side);
      }
      const sessionItem = async (name, fn) => {
        const value = await this.runItem(name, () => fn(sessions, runs));
        for (const side of this.sides) {
          if (sessions[side].alive()) continue;
          console.log(
            `    ${side} died during "${name}"; restarting it. stderr: ${sessions[side].stderr().slice(-300)}`,
          );
          await this.stop(sessions[side]);
          sessions[side] = await this.open(side);
        }
        return value;
      };
      if (this.sides.every((side) => sessions[side])) {
        results.small = await sessionItem(`2 ${SMALL_CALLS} x small query, one at a time`, (s, r) =>
          this.benchSmall(s, r),
        );
        results.tenk = await sessionItem(`3 ${TENK_ROWS.toLocaleString('en-US')}-row query`, (s, r) =>
          this.benchTenk(s, r),
        );
        if (!this.wantedItems || this.wantedItems.includes('5')) {
          results.memory = {};
          for (const side of this.sides) results.memory[side] = treeMemoryKiB(sessions[side].pid);
        }
        for (const side of this.sides) await this.stop(sessions[side]);
      }
      results.big = await this.runItem(
        `4 ${BIG_SQL} (${BIG_ROWS.toLocaleString('en-US')} rows): peak RSS growth`,
        () => this.benchBig(),
        this.sides.length * (bigTimeoutMs() + 2 * itemTimeoutMs()),
      );
    } finally {
      await this.stopAll();
    }
    await writeFile(this.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    this.report(results);
    console.log(`\nresults written to ${path.relative(process.cwd(), this.resultsFile) || this.resultsFile}`);
  }

  // ---- report ------------------------------------------------------------------------------------

  report(r) {
    const hasPeer = this.sides.includes('peer');
    const rows = [];
    const row = (item, ours, peer, ratio = '', target = '') => rows.push([item, ours, peer, ratio, target]);
    const failed = (item, figure) => row(item, figure?.error ?? 'n/a', '', '', '');
    const ratioOf = (peer, ours) => (hasPeer ? formatRatio(peer / ours) : '');
    const atLeastOne = (peer, ours) => (hasPeer ? (peer / ours >= 1 ? 'met (>= 1)' : 'MISSED (>= 1)') : '');

    const s = r.startup;
    if (s?.ours) {
      row(
        '1 spawn -> initialized',
        formatMs(s.ours.ms),
        hasPeer ? formatMs(s.peer.ms) : '',
        ratioOf(s.peer?.ms, s.ours.ms),
      );
      row(
        '   spawn -> tools/list -> 1st result',
        formatMs(s.ours.firstResultMs),
        hasPeer ? formatMs(s.peer.firstResultMs) : '',
        ratioOf(s.peer?.firstResultMs, s.ours.firstResultMs),
      );
      row(
        '   RSS after 1st query (process tree)',
        formatBytes(s.ours.rssAfterFirstQueryKiB * 1024),
        hasPeer ? formatBytes(s.peer.rssAfterFirstQueryKiB * 1024) : '',
        ratioOf(s.peer?.rssAfterFirstQueryKiB, s.ours.rssAfterFirstQueryKiB),
      );
      row(
        '   peak RSS once settled after 1st query',
        formatBytes(s.ours.settledPeakKiB * 1024),
        hasPeer ? formatBytes(s.peer.settledPeakKiB * 1024) : '',
        ratioOf(s.peer?.settledPeakKiB, s.ours.settledPeakKiB),
      );
    } else if (s) failed('1 spawn -> initialized', s);

    const q = r.small;
    if (q?.ours) {
      const perSecond = (side) => ` (${Math.round(q[side].callsPerSecond)}/s)`;
      row(
        `2 small query x${SMALL_CALLS}, p50`,
        `${formatMs(q.ours.p50)}${perSecond('ours')}`,
        hasPeer ? `${formatMs(q.peer.p50)}${perSecond('peer')}` : '',
        ratioOf(q.peer?.p50, q.ours.p50),
        atLeastOne(q.peer?.p50, q.ours.p50),
      );
      row(
        '   p99',
        formatMs(q.ours.p99),
        hasPeer ? formatMs(q.peer.p99) : '',
        ratioOf(q.peer?.p99, q.ours.p99),
        atLeastOne(q.peer?.p99, q.ours.p99),
      );
    } else if (q) failed(`2 small query x${SMALL_CALLS}`, q);

    const t = r.tenk;
    if (t?.ours) {
      const info = (side) => ` (${t[side].rows} rows, ${formatBytes(t[side].resultBytes)})`;
      row(
        `3 ${TENK_ROWS.toLocaleString('en-US')}-row query, median`,
        `${formatMs(t.ours.ms)}${info('ours')}`,
        hasPeer ? `${formatMs(t.peer.ms)}${info('peer')}` : '',
        ratioOf(t.peer?.ms, t.ours.ms),
        atLeastOne(t.peer?.ms, t.ours.ms),
      );
      row(
        `   slowest of ${t.ours.samples.length}`,
        formatMs(t.ours.p99),
        hasPeer ? formatMs(t.peer.p99) : '',
        ratioOf(t.peer?.p99, t.ours.p99),
      );
    } else if (t) failed(`3 ${TENK_ROWS}-row query`, t);

    const b = r.big;
    if (b?.ours) {
      const growth = (side) =>
        Number.isFinite(b[side]?.growthKiB) ? formatBytes(b[side].growthKiB * 1024) : 'n/a';
      const oursBytes = b.ours.growthKiB * 1024;
      row(
        `4 ${BIG_SQL}: peak RSS growth`,
        growth('ours'),
        hasPeer ? growth('peer') : '',
        ratioOf(b.peer?.growthKiB, b.ours.growthKiB),
        Number.isFinite(oursBytes)
          ? `ours < 50 MB: ${oursBytes < OURS_GROWTH_TARGET_BYTES ? 'met' : 'MISSED'}`
          : '',
      );
      const outcome = (side) => {
        const o = b[side];
        if (!o) return '';
        return `${o.ok ? '' : 'FAILED '}${Number.isFinite(o.ms) ? formatMs(o.ms) : ''}${o.responseBytes ? `, ${formatBytes(o.responseBytes)}` : ''}`;
      };
      row('   time, response size', outcome('ours'), hasPeer ? outcome('peer') : '');
      row('   rows returned', b.ours.outcome, hasPeer ? (b.peer?.outcome ?? '') : '');
    } else if (b) failed(`4 ${BIG_SQL}`, b);

    const m = r.memory;
    if (m?.ours) {
      row(
        '5 peak RSS (tree VmHWM) after 2-3',
        formatBytes(m.ours.peak * 1024),
        hasPeer ? formatBytes(m.peer.peak * 1024) : '',
        ratioOf(m.peer?.peak, m.ours.peak),
      );
    }

    console.log(
      `\n${r.meta.node}, ${r.meta.cpus} CPU, median of ${r.meta.runs} runs (10,000-row query >= 10); ` +
        `ratio = peer / ours, >1 means ours is faster or smaller`,
    );
    printTable(
      ['item', `ours ${r.meta.ours}`, hasPeer ? `peer ${r.meta.peer}` : 'peer (none)', 'ratio', 'target'],
      rows,
    );
    for (const line of this.spec.notes ?? []) console.log(line);
    if (b) {
      for (const side of this.sides) {
        const o = b[side];
        if (o?.byPid && Object.keys(o.byPid).length > 1) {
          const parts = Object.entries(o.byPid).map(
            ([pid, figures]) => `pid ${pid} +${formatBytes(figures.growthKiB * 1024)}`,
          );
          console.log(`${side}'s growth in item 4 by process (server first): ${parts.join(', ')}`);
        }
        if (o && o.peakResetWorked === false) {
          console.log(`note: VmHWM of ${side} could not be reset; its growth may include the startup peak`);
        }
        if (o?.stderrTail) console.log(`${side} stderr (tail): ${o.stderrTail.trim().slice(-300)}`);
      }
    }
  }
}

/** The result inside a raw JSON-RPC response (throws on a protocol error or an unparsed line). */
function resultOf(response) {
  if (!response.message) throw new Error(`unparsed response of ${response.bytes} bytes`);
  if (response.message.error) throw new Error(`protocol error: ${JSON.stringify(response.message.error)}`);
  return response.message.result;
}

function jsonBytes(value) {
  return Buffer.byteLength(JSON.stringify(value));
}

function describeBig(o) {
  const growth = Number.isFinite(o.growthKiB)
    ? `peak RSS +${formatBytes(o.growthKiB * 1024)}`
    : 'no memory figure';
  const time = Number.isFinite(o.ms) ? `, ${formatMs(o.ms)}` : '';
  const size = o.responseBytes ? `, ${formatBytes(o.responseBytes)} response` : '';
  return `${o.outcome}; ${growth}${time}${size}`;
}

/** Arguments for the JSON file, with any password in a connection URL replaced. */
function redactArgs(args) {
  return args.map((arg) => arg.replace(/^(\w+:\/\/[^:/@]+):[^@]*@/, '$1:***@'));
}
