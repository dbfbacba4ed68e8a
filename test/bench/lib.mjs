// Reusable measurement helpers for the side-by-side benchmarks: statistics, timing, peak memory
// from /proc, bounded child processes, a concurrency pool and table printing. No dependencies.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
 * A process and all its descendants (children, grandchildren, ...), from
 * `/proc/PID/task/TID/children`; just `[pid]` where that file is unavailable.
 *
 * @param pid - root process id
 * @returns process ids, the root first
 */
export function processTree(pid) {
  const pids = [];
  const visit = (current) => {
    if (pids.includes(current)) return;
    pids.push(current);
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(/\s+/).filter(Boolean)) visit(Number(child));
    }
  };
  if (pid) visit(pid);
  return pids;
}

/**
 * Memory of a process and its descendants, in KiB: VmHWM and VmRSS summed over the tree (the
 * summed VmHWM is an upper bound when the processes peaked at different times). Null when the
 * root process is gone.
 *
 * @param pid - root process id
 * @returns `{ peak, rss, processes }`
 */
export function treeMemoryKiB(pid) {
  if (!memoryKiB(pid)) return null;
  const total = { peak: 0, rss: 0, processes: 0 };
  for (const member of processTree(pid)) {
    const memory = memoryKiB(member);
    if (!memory) continue;
    total.peak += memory.peak;
    total.rss += memory.rss;
    total.processes++;
  }
  return total;
}

/**
 * Waits until a process tree's memory has settled: its summed VmHWM has not grown by more than
 * 1 MiB for `quietMs`. Work that a process finishes in the background after a call (V8 compiling
 * a WebAssembly module with its optimising tier, a lazily started child) is then done.
 *
 * @param pid - root process id
 * @param options - `quietMs` (default 1000), `maxMs` (default 15000), `intervalMs` (default 100)
 * @returns `{ ms, settled, peakKiB, rssKiB }` (`settled` false when `maxMs` passed first)
 */
export async function settleMemory(pid, { quietMs = 1000, maxMs = 15_000, intervalMs = 100 } = {}) {
  const started = performance.now();
  let last = treeMemoryKiB(pid);
  let quietSince = performance.now();
  while (last && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = treeMemoryKiB(pid);
    if (!now) break;
    if (now.peak - last.peak > 1024) quietSince = performance.now();
    last = now;
    if (performance.now() - quietSince >= quietMs) {
      return { ms: performance.now() - started, settled: true, peakKiB: last.peak, rssKiB: last.rss };
    }
  }
  return { ms: performance.now() - started, settled: false, peakKiB: last?.peak, rssKiB: last?.rss };
}

/**
 * Resets the resident high-water mark (VmHWM) of a process to its current RSS, by writing `5` to
 * `/proc/PID/clear_refs` (Linux 4.0+, same user or root).
 *
 * @returns whether the reset worked
 */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * How much a process tree's resident memory peaks above where it stood while `fn` runs. Before
 * `fn`, each process's VmHWM is reset (see {@link resetPeak}) and its VmRSS read; during `fn`, the
 * tree is polled (so a process that dies, or appears, is still counted with the last figures seen).
 * Growth per process is its last VmHWM minus its VmRSS before (a process that appeared during `fn`
 * counts whole); the total is their sum, an upper bound when the processes peak at different times.
 *
 * @param pid - root of the tree (a server; its query processes are children)
 * @param fn - the work; its value or error is returned, never thrown
 * @param options - `intervalMs` between polls (default 50)
 * @returns `{ ms, value, error, resetWorked, beforeKiB, peakKiB, growthKiB, byPid }` (KiB sums)
 */
export async function measurePeakGrowth(pid, fn, { intervalMs = 50 } = {}) {
  const before = {};
  let resetWorked = true;
  for (const member of processTree(pid)) {
    resetWorked = resetPeak(member) && resetWorked;
    const memory = memoryKiB(member);
    if (memory) before[member] = memory.rss;
  }
  const last = {};
  const poll = () => {
    for (const member of processTree(pid)) {
      const memory = memoryKiB(member);
      if (memory) last[member] = memory;
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  const started = performance.now();
  let value;
  let error;
  try {
    value = await fn();
  } catch (caught) {
    error = caught;
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  poll();
  const byPid = {};
  let beforeKiB = 0;
  let peakKiB = 0;
  let growthKiB = 0;
  for (const [member, memory] of Object.entries(last)) {
    const start = before[member] ?? 0;
    const peak = Math.max(memory.peak, memory.rss);
    byPid[member] = { beforeKiB: start, peakKiB: peak, growthKiB: peak - start };
    beforeKiB += start;
    peakKiB += peak;
    growthKiB += peak - start;
  }
  return { ms, value, error, resetWorked, beforeKiB, peakKiB, growthKiB, byPid };
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
 * @param options - `args` for node, extra `env` (over PATH and HOME), `maxBufferSize` in bytes
 *   (default 1 GiB)
 * @returns `{ client, pid, stderr(), alive(), close() }`
 */
export async function startSession({ args, env = {}, maxBufferSize = 1024 ** 3 }) {
  const client = new Client({ name: 'bulwark-bench', version: '0.0.0' }, { capabilities: {} });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
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

/** Longest response line that `startRawSession` parses (V8 strings hold at most about 512 Mi chars). */
const RAW_PARSE_LIMIT = 500 * 1024 * 1024;

/**
 * Starts a server over stdio with a bare JSON-RPC line client, for responses of hundreds of MiB.
 * The SDK's stdio `ReadBuffer` re-concatenates its whole buffer for every 64 KiB chunk and scans
 * it for a newline each time, so a 250 MiB line costs it minutes of copying in the harness; here a
 * line's chunks are kept in a list and joined once. One request at a time.
 *
 * @param options - `args` for node, extra `env` (over PATH and HOME)
 * @returns `{ pid, request(method, params, timeoutMs), callTool(name, args, timeoutMs), stderr(),
 *   exit (null while running, else "code N" or the signal), close() }`. A response is
 *   `{ message, bytes, head }`: `message` is the parsed JSON-RPC response, or undefined for a line
 *   over 500 MiB (then only its size and first bytes are known).
 */
export async function startRawSession({ args, env = {} }) {
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
  });
  let pending;
  let exit = null;
  const rawRequests = [];
  let chunks = [];
  let size = 0;
  const deliver = () => {
    const line = chunks;
    const bytes = size;
    chunks = [];
    size = 0;
    const head = Buffer.concat(line.slice(0, 4)).subarray(0, 256).toString('utf8');
    let message;
    if (bytes <= RAW_PARSE_LIMIT) {
      try {
        message = JSON.parse(Buffer.concat(line, bytes).toString('utf8'));
      } catch {
        return; // not a JSON-RPC line
      }
      if (message.method !== undefined) {
        // A request or notification from the server: answer a request (ping with an empty result,
        // anything else as unsupported) so that it is never mistaken for the pending response.
        if (message.id !== undefined) {
          rawRequests.push(message.method);
          send(
            message.method === 'ping'
              ? { id: message.id, result: {} }
              : { id: message.id, error: { code: -32601, message: 'Method not found' } },
          );
        }
        return;
      }
    }
    if (pending && (message === undefined || message.id === pending.id)) {
      const { resolve } = pending;
      pending = undefined;
      resolve({ message, bytes, head });
    }
  };
  child.stdout.on('data', (chunk) => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        if (start < chunk.length) {
          chunks.push(chunk.subarray(start));
          size += chunk.length - start;
        }
        return;
      }
      chunks.push(chunk.subarray(start, newline));
      size += newline - start;
      deliver();
      start = newline + 1;
    }
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      pending?.reject(new Error(`the server exited (${exit}); stderr: ${stderr.slice(-300).trim()}`));
      pending = undefined;
      resolve();
    });
  });
  child.on('error', (error) => {
    pending?.reject(error);
    pending = undefined;
  });
  child.stdin.on('error', () => {}); // a server that died mid-write is reported through 'exit'
  let nextId = 1;
  const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const request = (method, params, timeoutMs = itemTimeoutMs()) => {
    if (exit !== null) return Promise.reject(new Error(`the server has exited (${exit})`));
    const id = nextId++;
    const answer = new Promise((resolve, reject) => {
      pending = { id, resolve, reject };
    });
    send({ id, method, params });
    return withTimeout(answer, timeoutMs, method).finally(() => {
      if (pending?.id === id) pending = undefined;
    });
  };
  const close = async () => {
    const tree = processTree(child.pid);
    child.stdin.end();
    await withTimeout(exited, 3000, 'exit').catch(() => {});
    for (const member of tree) {
      try {
        process.kill(member, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    const init = await request(
      'initialize',
      {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bulwark-bench-raw', version: '0.0.0' },
      },
      itemTimeoutMs(),
    );
    if (init.message?.error) throw new Error(`initialize: ${JSON.stringify(init.message.error)}`);
    send({ method: 'notifications/initialized' });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    pid: child.pid,
    request,
    callTool: (name, args, timeoutMs) => request('tools/call', { name, arguments: args }, timeoutMs),
    stderr: () => stderr,
    /** Methods of the requests the server sent (answered as unsupported, or ping). */
    serverRequests: () => [...rawRequests],
    get exit() {
      return exit;
    },
    close,
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
