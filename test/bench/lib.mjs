// Reusable measurement helpers for the side-by-side benchmarks: statistics, timing, peak memory
// from /proc, bounded child processes, a concurrency pool and table printing. No dependencies.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** The client SDK's default limit on one stdio message (10 MiB); larger responses close the connection. */
export const SDK_STDIO_MAX_MESSAGE = 10 * 1024 * 1024;

/** Repetitions per figure (BENCH_RUNS, default 5, at least 1). */
export function benchRuns() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  return Number.isSafeInteger(runs) && runs >= 1 ? runs : 5;
}

/** Seconds one bench item may take in total (BENCH_ITEM_TIMEOUT_S, default 120). */
export function itemTimeoutMs() {
  const seconds = Number(process.env.BENCH_ITEM_TIMEOUT_S ?? 120);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 120) * 1000;
}

/** Median of a list of numbers (NaN for an empty list). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile, p in [0, 100] (NaN for an empty list). */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Runs an async function once; returns its value and the elapsed milliseconds. */
export async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/**
 * Rejects when a promise has not settled within `ms`, so one hung call cannot stall the run.
 *
 * @param promise - the work
 * @param ms - time limit
 * @param label - named in the error
 */
export function withTimeout(promise, ms, label) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Repeats a measurement: one untimed warm-up (unless `warmup: false`), then up to `runs` timed
 * repetitions. When the warm-up took longer than `slowMs`, only `slowRuns` repetitions are made;
 * repetitions also stop once `budgetMs` has been spent (after at least one). `fn` may return
 * `{ ms, ...info }` to report its own time (e.g. excluding setup); otherwise the call is timed.
 *
 * @returns `{ samples, median, info }` where info is what the last repetition returned
 */
export async function repeat(
  fn,
  { runs = benchRuns(), warmup = true, slowMs = 10_000, slowRuns = 3, budgetMs } = {},
) {
  const started = performance.now();
  let count = runs;
  if (warmup) {
    const first = await measureOnce(fn);
    if (first.ms > slowMs) count = Math.min(runs, Math.max(3, slowRuns));
  }
  const samples = [];
  let info;
  for (let i = 0; i < count; i++) {
    if (budgetMs !== undefined && samples.length > 0 && performance.now() - started > budgetMs) break;
    const result = await measureOnce(fn);
    samples.push(result.ms);
    info = result.info;
  }
  return { samples, median: median(samples), info };
}

async function measureOnce(fn) {
  const started = performance.now();
  const value = await fn();
  const elapsed = performance.now() - started;
  if (value && typeof value === 'object' && typeof value.ms === 'number') {
    const { ms, ...info } = value;
    return { ms, info };
  }
  return { ms: elapsed, info: value };
}

/**
 * Runs `total` async calls with at most `concurrency` in flight.
 *
 * @param total - number of calls
 * @param concurrency - calls in flight at once
 * @param call - `(index) => Promise`
 * @returns wall milliseconds and each call's latency in milliseconds
 */
export async function runPool(total, concurrency, call) {
  const latencies = new Array(total);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const begun = performance.now();
      await call(index);
      latencies[index] = performance.now() - begun;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { wallMs: performance.now() - started, latencies };
}

/**
 * Memory figures of a live process from /proc/PID/status, in KiB: `peak` (VmHWM, the resident
 * high-water mark) and `rss` (VmRSS). Null when the process is gone or /proc is unavailable.
 *
 * @param pid - process id
 */
export function memoryKiB(pid) {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peak: field('VmHWM'), rss: field('VmRSS') };
  } catch {
    return null;
  }
}

/**
 * Spawns a local command, collects stdout, and resolves when it exits; kills it (SIGKILL) after
 * `timeoutMs`.
 *
 * @returns `{ ms, code, stdout }`
 */
export function runCommand(command, args, { timeoutMs = itemTimeoutMs() } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command}: timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, stdout: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/**
 * Starts a server over stdio with a real MCP client, like the testkit's `startStdioServer`, but
 * with a configurable stdio read limit so that unbounded peer responses (over the SDK's 10 MiB
 * default) can still be measured.
 *
 * @param options - `args` for node, `maxBufferSize` in bytes (default 1 GiB)
 * @returns `{ client, pid, stderr(), alive(), close() }`
 */
export async function startSession({ args, maxBufferSize = 1024 ** 3 }) {
  const client = new Client({ name: 'bulwark-bench', version: '0.0.0' }, { capabilities: {} });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
    maxBufferSize,
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk.toString('utf8');
  });
  let closed = false;
  client.onclose = () => {
    closed = true;
  };
  await client.connect(transport);
  const pid = transport.pid;
  return {
    client,
    pid,
    stderr: () => stderr,
    alive: () => !closed && memoryKiB(pid) !== null,
    close: () => client.close(),
  };
}

/** Milliseconds for a table cell: 3 significant digits below 100, whole numbers above. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Bytes for a table cell (B, KiB, MiB). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** A ratio for a table cell, e.g. `2.31x`. */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return 'n/a';
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}x`;
}

/**
 * Prints rows as an aligned plain-text table.
 *
 * @param headers - column titles
 * @param rows - arrays of cell strings, same length as headers
 */
export function printTable(headers, rows) {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (cells) => cells.map((cell, column) => String(cell ?? '').padEnd(widths[column])).join(' | ');
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(row));
}
