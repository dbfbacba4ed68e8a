// Side-by-side benchmark: @bulwark/server-filesystem against the official
// @modelcontextprotocol/server-filesystem, both started over stdio with a real MCP client on the
// same roots and inputs in one run. Prints medians and ratios; writes JSON to .bench-data/.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
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
  median,
  memoryKiB,
  percentile,
  printTable,
  repeat,
  runCommand,
  runPool,
  SDK_STDIO_MAX_MESSAGE,
  startSession,
  withTimeout,
} from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(repo, '.bench-data');
const bigFile = path.join(dataDir, 'big-200mb.txt');
const smallFile = path.join(dataDir, 'small.txt');

const SEARCH_ROOT = '/usr/share';
const SEARCH_PATTERN = '**/*.png';
const TREE_ROOT = '/usr/lib';
const BIG_LINE_BYTES = 100;
const BIG_LINES = 2 * 1024 * 1024; // 200 MiB
const SMALL_CALLS = 2000;
const SMALL_CONCURRENCY = 16;

const SERVERS = {
  ours: {
    label: '@bulwark/server-filesystem',
    bin: path.join(repo, 'servers/filesystem/dist/main.js'),
  },
  peer: {
    label: '@modelcontextprotocol/server-filesystem',
    bin: path.join(repo, 'test/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'),
  },
};
const SIDES = ['ours', 'peer'];
/** Every server gets the same roots: the search root, the tree root and the generated data. */
const ROOTS = [SEARCH_ROOT, TREE_ROOT, dataDir];

const live = new Set();

/**
 * Starts one server with the testkit's client (the SDK defaults, as a host would); returns the
 * session and the time from spawn to `connect` resolving.
 */
async function start(side) {
  const started = performance.now();
  const session = await withTimeout(
    startStdioServer({ args: [SERVERS[side].bin, ...ROOTS] }),
    itemTimeoutMs(),
    `${side}: start`,
  );
  const ms = performance.now() - started;
  live.add(session);
  return { session, ms };
}

/** Starts a long-lived server for items 2-6, with a stdio read limit large enough for the peer's tree. */
async function open(side, roots = ROOTS) {
  const session = await withTimeout(
    startSession({ args: [SERVERS[side].bin, ...roots] }),
    itemTimeoutMs(),
    side,
  );
  live.add(session);
  await session.client.listTools(); // fills the client's tool cache used for output validation
  return session;
}

async function stop(session) {
  live.delete(session);
  const pid = session.pid;
  await withTimeout(session.close(), 10_000, 'close').catch(() => {});
  if (pid && memoryKiB(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Stops every server this run started (also on error). */
async function stopAll() {
  await Promise.all([...live].map(stop));
}

function call(session, name, args) {
  const timeout = itemTimeoutMs();
  return session.client.callTool({ name, arguments: args }, { timeout, maxTotalTimeout: timeout });
}

function ensureOk(result, what) {
  if (result.isError) throw new Error(`${what} returned an error: ${textOf(result).slice(0, 300)}`);
  return result;
}

/** Creates the 200 MiB line file and a small file once. */
async function prepareData() {
  await mkdir(dataDir, { recursive: true });
  if (!existsSync(smallFile)) await writeFile(smallFile, 'a small file for metadata calls\n');
  const expected = BIG_LINE_BYTES * BIG_LINES;
  if (existsSync(bigFile) && (await stat(bigFile)).size === expected) return;
  console.log(`generating ${bigFile} (${formatBytes(expected)}) ...`);
  const filler =
    'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore';
  const { open } = await import('node:fs/promises');
  const handle = await open(bigFile, 'w');
  try {
    const perChunk = 16_384;
    for (let first = 1; first <= BIG_LINES; first += perChunk) {
      let chunk = '';
      for (let n = first; n < first + perChunk && n <= BIG_LINES; n++) {
        const head = `line ${String(n).padStart(7, '0')} `;
        chunk += `${(head + filler).slice(0, BIG_LINE_BYTES - 1)}\n`;
      }
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
}

const bigLine = (n) => `line ${String(n).padStart(7, '0')} `;

// ---- items ---------------------------------------------------------------------------------------

async function benchStartup(runs) {
  const out = {};
  for (const side of SIDES) {
    const rss = [];
    const measured = await repeat(
      async () => {
        const { session, ms } = await start(side);
        const memory = memoryKiB(session.pid);
        if (memory) rss.push(memory.rss);
        await stop(session);
        return { ms };
      },
      { runs, budgetMs: itemTimeoutMs() },
    );
    out[side] = { ms: measured.median, samples: measured.samples, rssAfterStartKiB: median(rss) };
  }
  return out;
}

async function benchToolsList(sessions, runs) {
  const out = {};
  for (const side of SIDES) {
    const { client } = sessions[side];
    const measured = await repeat(() => client.listTools(undefined, { cacheMode: 'bypass' }), {
      runs: Math.max(runs, 20),
    });
    const tools = measured.info.tools;
    out[side] = {
      ms: measured.median,
      samples: measured.samples,
      tools: tools.length,
      bytes: Buffer.byteLength(JSON.stringify(tools)),
    };
  }
  return out;
}

async function searchOurs(session) {
  const matches = [];
  let cursor;
  let pages = 0;
  let timedOut = false;
  do {
    const args = {
      path: SEARCH_ROOT,
      pattern: SEARCH_PATTERN,
      max_results: 10_000,
      ...(cursor ? { cursor } : {}),
    };
    const result = ensureOk(await call(session, 'search_files', args), 'search_files');
    const page = result.structuredContent;
    matches.push(...page.matches);
    timedOut ||= page.timed_out === true;
    cursor = page.next_cursor;
    pages++;
  } while (cursor);
  return { matches, pages, timedOut };
}

async function searchPeer(session) {
  const result = ensureOk(
    await call(session, 'search_files', { path: SEARCH_ROOT, pattern: SEARCH_PATTERN }),
    'peer search',
  );
  const text = textOf(result);
  const lines = text === 'No matches found' ? [] : text.split('\n');
  return { lines, bytes: Buffer.byteLength(text) };
}

async function benchSearch(sessions, runs) {
  const find = await repeat(() => runCommand('find', [SEARCH_ROOT, '-name', '*.png', '-type', 'f']), {
    runs,
  });
  const findPaths = find.info.stdout.split('\n').filter(Boolean);

  // The headline figures: fresh servers whose only root is the search root.
  const single = {};
  let ours;
  let peer;
  try {
    for (const side of SIDES) single[side] = await open(side, [SEARCH_ROOT]);
    ours = await repeat(() => searchOurs(single.ours), { runs, budgetMs: itemTimeoutMs() / 3 });
    peer = await repeat(() => searchPeer(single.peer), { runs, budgetMs: itemTimeoutMs() / 3 });
  } finally {
    await Promise.all(Object.values(single).map(stop));
  }
  // The same search on the long-lived servers with all three roots (every walked entry is
  // checked against each root), so the peak RSS of item 7 includes a search.
  const oursMulti = await repeat(() => searchOurs(sessions.ours), { runs, budgetMs: itemTimeoutMs() / 3 });
  const peerMulti = await repeat(() => searchPeer(sessions.peer), { runs, budgetMs: itemTimeoutMs() / 3 });

  const byType = {};
  for (const match of ours.info.matches) byType[match.type] = (byType[match.type] ?? 0) + 1;
  const oursAbs = new Set(ours.info.matches.map((match) => path.resolve(SEARCH_ROOT, match.path)));
  const peerAbs = new Set(peer.info.lines);
  const findSet = new Set(findPaths);
  const missing = (a, b) => [...a].filter((entry) => !b.has(entry));
  return {
    find: { ms: find.median, samples: find.samples, count: findPaths.length },
    ours: {
      ms: ours.median,
      samples: ours.samples,
      count: ours.info.matches.length,
      byType,
      pages: ours.info.pages,
      timedOut: ours.info.timedOut,
    },
    peer: {
      ms: peer.median,
      samples: peer.samples,
      count: peer.info.lines.length,
      textBytes: peer.info.bytes,
    },
    multiRoot: {
      ours: { ms: oursMulti.median, samples: oursMulti.samples, count: oursMulti.info.matches.length },
      peer: { ms: peerMulti.median, samples: peerMulti.samples, count: peerMulti.info.lines.length },
    },
    agreement: {
      oursNotInFind: missing(oursAbs, findSet).length,
      findNotInOurs: missing(findSet, oursAbs).length,
      peerNotInFind: missing(peerAbs, findSet).length,
      findNotInPeer: missing(findSet, peerAbs).length,
      oursNotInFindSample: missing(oursAbs, findSet).slice(0, 3),
      findNotInOursSample: missing(findSet, oursAbs).slice(0, 3),
      peerNotInFindSample: missing(peerAbs, findSet).slice(0, 3),
    },
  };
}

function countTreeNodes(nodes) {
  let count = 0;
  for (const node of nodes) {
    count++;
    if (Array.isArray(node.children)) count += countTreeNodes(node.children);
  }
  return count;
}

/** One tree call per side through the testkit's default client: does the response fit its 10 MiB limit? */
async function treeWithDefaultClient(side, args) {
  let session;
  try {
    session = (await start(side)).session;
    const result = await call(session, 'directory_tree', args);
    return { ok: !result.isError, resultBytes: Buffer.byteLength(JSON.stringify(result)) };
  } catch (error) {
    return { ok: false, error: error.message };
  } finally {
    if (session) await stop(session);
  }
}

async function benchTree(sessions, runs) {
  const oursArgs = { path: TREE_ROOT, max_depth: 20, max_entries: 10_000 };
  const peerArgs = { path: TREE_ROOT };
  const defaultClient = {
    ours: await treeWithDefaultClient('ours', oursArgs),
    peer: await treeWithDefaultClient('peer', peerArgs),
  };
  const ours = await repeat(
    async () => {
      const result = ensureOk(await call(sessions.ours, 'directory_tree', oursArgs), 'directory_tree');
      return {
        entries: result.structuredContent.entries.length,
        truncated: result.structuredContent.truncated,
        textBytes: Buffer.byteLength(textOf(result)),
        wireBytes: Buffer.byteLength(JSON.stringify(result)),
      };
    },
    { runs, budgetMs: itemTimeoutMs() / 2 },
  );
  const peer = await repeat(
    async () => {
      const result = ensureOk(await call(sessions.peer, 'directory_tree', peerArgs), 'peer tree');
      const text = textOf(result);
      return {
        entries: countTreeNodes(JSON.parse(text)),
        textBytes: Buffer.byteLength(text),
        wireBytes: Buffer.byteLength(JSON.stringify(result)),
      };
    },
    { runs, budgetMs: itemTimeoutMs() / 2 },
  );
  const total = await runCommand('find', [TREE_ROOT, '-mindepth', '1']);
  return {
    totalEntries: total.stdout.split('\n').filter(Boolean).length,
    defaultClient,
    ours: { ms: ours.median, samples: ours.samples, ...ours.info },
    peer: { ms: peer.median, samples: peer.samples, ...peer.info },
  };
}

async function benchHeadTail(sessions, runs) {
  const out = {};
  for (const mode of ['head', 'tail']) {
    const expected = mode === 'head' ? bigLine(1) : bigLine(BIG_LINES);
    out[mode] = {};
    for (const side of SIDES) {
      const measured = await repeat(
        async () => {
          const result = ensureOk(
            await call(sessions[side], 'read_text_file', { path: bigFile, [mode]: 10 }),
            mode,
          );
          const text = side === 'ours' ? result.structuredContent.content : textOf(result);
          const lines = text.split('\n').filter(Boolean);
          // The right end of the file must be there; how many non-empty lines came back is reported
          // (the peer's tail counts the empty string after the final newline as a line).
          const probe = mode === 'head' ? lines[0] : lines.at(-1);
          if (!probe?.startsWith(expected)) {
            throw new Error(`${side} ${mode}: unexpected content ("${probe?.slice(0, 20)}")`);
          }
          return { lines: lines.length, bytes: Buffer.byteLength(text) };
        },
        { runs: Math.max(runs, 10), budgetMs: itemTimeoutMs() / 4 },
      );
      out[mode][side] = { ms: measured.median, samples: measured.samples, ...measured.info };
    }
  }
  return out;
}

async function benchSmallCalls(sessions, runs) {
  const out = {};
  for (const side of SIDES) {
    const walls = [];
    const latencies = [];
    const measured = await repeat(
      async () => {
        const pool = await runPool(SMALL_CALLS, SMALL_CONCURRENCY, async () => {
          ensureOk(await call(sessions[side], 'get_file_info', { path: smallFile }), 'get_file_info');
        });
        walls.push(pool.wallMs);
        latencies.push(...pool.latencies);
        return { ms: pool.wallMs };
      },
      { runs, budgetMs: itemTimeoutMs() / 2 },
    );
    // Latency percentiles over the timed repetitions only (the warm-up pushed first).
    const timed = latencies.slice(latencies.length - measured.samples.length * SMALL_CALLS);
    out[side] = {
      ms: measured.median,
      samples: measured.samples,
      callsPerSecond: SMALL_CALLS / (measured.median / 1000),
      p50: percentile(timed, 50),
      p99: percentile(timed, 99),
    };
  }
  return out;
}

// ---- driver --------------------------------------------------------------------------------------

/** BENCH_ITEMS=3,4 runs only those items (startup and memory are items 1 and 7). */
const wantedItems = process.env.BENCH_ITEMS?.split(',').map((item) => item.trim());
/** A partial run writes its own file, so it never replaces the results of a full run. */
const resultsFile = path.join(
  dataDir,
  wantedItems ? `filesystem-results-items-${wantedItems.join('-')}.json` : 'filesystem-results.json',
);

async function runItem(name, fn) {
  if (wantedItems && !wantedItems.includes(name.split(' ')[0])) return undefined;
  const started = performance.now();
  process.stdout.write(`  ${name} ...`);
  try {
    const value = await withTimeout(fn(), itemTimeoutMs() * 2.5, name);
    console.log(` ${formatMs(performance.now() - started)}`);
    return value;
  } catch (error) {
    console.log(` FAILED: ${error.message}`);
    if (process.env.BENCH_DEBUG) console.error(error);
    return { error: error.message };
  }
}

function versionOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Runs the filesystem bench and prints the table. */
export async function run() {
  for (const side of SIDES) {
    if (!existsSync(SERVERS[side].bin))
      throw new Error(`${side}: ${SERVERS[side].bin} is missing; build it first`);
  }
  const runs = benchRuns();
  await prepareData();
  console.log(`filesystem bench: ${runs} runs per figure, item timeout ${itemTimeoutMs() / 1000} s`);
  console.log(`roots for both servers: ${ROOTS.join(' ')}`);

  const results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      runs,
      roots: ROOTS,
      ours: versionOf(path.join(repo, 'servers/filesystem/package.json')),
      peer: versionOf(path.join(path.dirname(SERVERS.peer.bin), '../package.json')),
    },
  };
  try {
    results.startup = await runItem('1 spawn -> initialized', () => benchStartup(runs));
    const sessions = {};
    for (const side of SIDES) sessions[side] = await open(side);
    const restarted = { ours: [], peer: [] };
    /** Runs an item on the long-lived sessions; a server that died is restarted for the next item. */
    const sessionItem = async (name, fn) => {
      const value = await runItem(name, () => fn(sessions, runs));
      for (const side of SIDES) {
        if (sessions[side].alive()) continue;
        console.log(
          `    ${side} died during "${name}"; restarting it. stderr: ${sessions[side].stderr().slice(-300)}`,
        );
        restarted[side].push(name);
        await stop(sessions[side]);
        sessions[side] = await open(side);
      }
      return value;
    };
    results.toolsList = await sessionItem('2 tools/list', benchToolsList);
    results.search = await sessionItem(`3 search ${SEARCH_PATTERN} in ${SEARCH_ROOT}`, benchSearch);
    results.tree = await sessionItem(`4 directory_tree ${TREE_ROOT}`, benchTree);
    results.headTail = await sessionItem('5 head/tail 200 MiB', benchHeadTail);
    results.smallCalls = await sessionItem(
      `6 ${SMALL_CALLS} x get_file_info @${SMALL_CONCURRENCY}`,
      benchSmallCalls,
    );
    results.memory = {};
    for (const side of SIDES) {
      results.memory[side] = { ...memoryKiB(sessions[side].pid), restartedAfter: restarted[side] };
    }
  } finally {
    await stopAll();
  }
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  report(results);
  console.log(`\nresults written to ${path.relative(process.cwd(), resultsFile) || resultsFile}`);
}

function report(r) {
  const rows = [];
  const timeRow = (item, item2, extraOurs = '', extraPeer = '') => {
    if (!item2 || item2.error) {
      rows.push([item, item2?.error ?? 'n/a', '', '']);
      return;
    }
    rows.push([
      item,
      `${formatMs(item2.ours.ms)}${extraOurs}`,
      `${formatMs(item2.peer.ms)}${extraPeer}`,
      formatRatio(item2.peer.ms / item2.ours.ms),
    ]);
  };
  timeRow('1 spawn -> initialized', r.startup);
  timeRow(
    '2 tools/list',
    r.toolsList,
    r.toolsList?.ours ? ` (${r.toolsList.ours.tools} tools, ${formatBytes(r.toolsList.ours.bytes)})` : '',
    r.toolsList?.peer ? ` (${r.toolsList.peer.tools} tools, ${formatBytes(r.toolsList.peer.bytes)})` : '',
  );
  const s = r.search;
  timeRow(
    `3 search ${SEARCH_PATTERN} ${SEARCH_ROOT}`,
    s,
    s?.ours ? ` (${s.ours.count} matches, ${s.ours.pages} page${s.ours.pages === 1 ? '' : 's'})` : '',
    s?.peer ? ` (${s.peer.count} matches)` : '',
  );
  if (s?.multiRoot) timeRow('   same, servers with 3 roots', s.multiRoot);
  const t = r.tree;
  timeRow(
    `4 directory_tree ${TREE_ROOT}`,
    t,
    t?.ours ? ` (${t.ours.entries} entries, ${formatBytes(t.ours.textBytes)} text)` : '',
    t?.peer ? ` (${t.peer.entries} entries, ${formatBytes(t.peer.textBytes)} text)` : '',
  );
  for (const mode of ['head', 'tail']) {
    const h = r.headTail?.error ? r.headTail : r.headTail?.[mode];
    const got = (side) => (h?.[side] ? ` (${h[side].lines} lines)` : '');
    timeRow(`5 ${mode} 10 lines of 200 MiB`, h, got('ours'), got('peer'));
  }
  const c = r.smallCalls;
  timeRow(
    `6 ${SMALL_CALLS} get_file_info @${SMALL_CONCURRENCY} (wall)`,
    c,
    c?.ours ? ` (${Math.round(c.ours.callsPerSecond)}/s)` : '',
    c?.peer ? ` (${Math.round(c.peer.callsPerSecond)}/s)` : '',
  );
  if (c?.ours && c?.peer) {
    rows.push([
      '   per-call p50',
      formatMs(c.ours.p50),
      formatMs(c.peer.p50),
      formatRatio(c.peer.p50 / c.ours.p50),
    ]);
    rows.push([
      '   per-call p99',
      formatMs(c.ours.p99),
      formatMs(c.peer.p99),
      formatRatio(c.peer.p99 / c.ours.p99),
    ]);
  }
  const m = r.memory;
  if (m?.ours && m?.peer) {
    rows.push([
      '7 peak RSS (VmHWM) after 3-6',
      formatBytes(m.ours.peak * 1024),
      formatBytes(m.peer.peak * 1024),
      formatRatio(m.peer.peak / m.ours.peak),
    ]);
  }
  if (r.startup?.ours?.rssAfterStartKiB) {
    rows.push([
      '   RSS right after initialize',
      formatBytes(r.startup.ours.rssAfterStartKiB * 1024),
      formatBytes(r.startup.peer.rssAfterStartKiB * 1024),
      formatRatio(r.startup.peer.rssAfterStartKiB / r.startup.ours.rssAfterStartKiB),
    ]);
  }
  console.log(
    `\n${r.meta.node}, ${r.meta.cpus} CPU, median of ${r.meta.runs} runs (tools/list >=20, head/tail >=10); ratio = peer / ours, >1 means ours is faster or smaller\n`,
  );
  printTable(['item', `ours ${r.meta.ours}`, `peer ${r.meta.peer}`, 'ratio'], rows);

  if (s?.find) {
    console.log(
      `\nfind ${SEARCH_ROOT} -name '*.png' -type f: ${formatMs(s.find.ms)} (${s.find.count} files)`,
    );
    if (s.ours) {
      console.log(`  ours / find = ${formatRatio(s.ours.ms / s.find.ms)} (target: within 2x; 1 root)`);
      console.log(
        `  ours matches by type: ${JSON.stringify(s.ours.byType)}${s.ours.timedOut ? ' TIMED OUT' : ''}`,
      );
    }
    if (s.peer) console.log(`  peer / find = ${formatRatio(s.peer.ms / s.find.ms)}`);
    if (s.agreement) {
      const a = s.agreement;
      console.log(
        `  vs find: ours +${a.oursNotInFind}/-${a.findNotInOurs}, peer +${a.peerNotInFind}/-${a.findNotInPeer} (extra/missing paths)`,
      );
    }
  }
  if (t?.ours) {
    console.log(
      `\ndirectory_tree ${TREE_ROOT} (${t.totalEntries} entries in total): ours ${t.ours.entries} entries, truncated=${t.ours.truncated}, ` +
        `${formatBytes(t.ours.textBytes)} text / ${formatBytes(t.ours.wireBytes)} result JSON; ` +
        `peer ${t.peer.entries} entries, ${formatBytes(t.peer.textBytes)} text / ${formatBytes(t.peer.wireBytes)} result JSON`,
    );
    for (const side of SIDES) {
      const probe = t.defaultClient?.[side];
      if (!probe) continue;
      const outcome = probe.ok ? `ok (${formatBytes(probe.resultBytes)} result)` : `FAILED: ${probe.error}`;
      console.log(
        `  through the SDK's default ${formatBytes(SDK_STDIO_MAX_MESSAGE)} stdio limit, ${side}: ${outcome}`,
      );
    }
  }
  for (const side of SIDES) {
    if (m?.[side]?.restartedAfter?.length) {
      console.log(
        `note: ${side} was restarted after ${m[side].restartedAfter.join(', ')}; its peak RSS covers less`,
      );
    }
  }
}
