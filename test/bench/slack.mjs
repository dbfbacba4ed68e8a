// Side-by-side benchmark: @bulwark/server-slack against the archived
// @modelcontextprotocol/server-slack (the test package's pinned dependency), both started over
// stdio with a real MCP client against the same loopback Slack Web API (the testkit's
// startSlackApi) in one run. Prints medians and ratios (peer / ours: above 1 means ours is
// faster or smaller); writes JSON to .bench-data/slack-results.json.
//
// The peer calls https://slack.com/api/... with the global fetch and has no setting for another
// base URL. It runs unchanged, started with a preload module (node --import data:...) that
// rewrites that one URL prefix to the loopback API before calling the real fetch; no other
// request of either side leaves the machine.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSlackWorkspace,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  startSlackApi,
} from '@bulwark/testkit';
import {
  benchRuns,
  formatBytes,
  formatMs,
  formatRatio,
  itemTimeoutMs,
  median,
  printTable,
  repeat,
  startSession,
  timed,
  withTimeout,
} from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(repo, '.bench-data');
const OURS_BIN = path.join(repo, 'servers/slack/dist/main.js');
const PEER_NAME = '@modelcontextprotocol/server-slack';
const PEER_DIR = path.join(repo, 'test/node_modules/@modelcontextprotocol/server-slack');
const PEER_BIN = path.join(PEER_DIR, 'dist/index.js');

/** The workspace behind the API: the issue's 20,000 users and 5,000 channels. */
const USERS = 20_000;
const CHANNELS = 5_000;
/** Timed calls per tool and side for the per-call figures, after {@link WARMUP_CALLS} untimed ones. */
const CALLS = Math.max(50, benchRuns() * 10);
const WARMUP_CALLS = 10;
/** Fresh starts per side for the initialize figure. */
const STARTS = Math.max(5, benchRuns());

/** Rewrites the peer's hard-coded https://slack.com/api/ to the loopback API (BENCH_SLACK_API_URL). */
const PEER_PRELOAD = `data:text/javascript,${encodeURIComponent(`
const base = process.env.BENCH_SLACK_API_URL;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return realFetch(url.startsWith('https://slack.com/api/') ? base + url.slice(22) : input, init);
};`)}`;

function versionOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** How to start each side against the API. */
function sides(api) {
  return {
    ours: {
      label: '@bulwark/server-slack',
      args: [OURS_BIN, '--allow-post', 'C0000001'],
      env: { SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN, SLACK_API_URL: api.url },
    },
    peer: existsSync(PEER_BIN) && {
      label: PEER_NAME,
      args: ['--import', PEER_PRELOAD, PEER_BIN],
      env: { SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN, SLACK_TEAM_ID: 'T0000001', BENCH_SLACK_API_URL: api.url },
    },
  };
}

/** The same requests to both sides: [label, ours tool and args, peer tool and args]. */
const CALL_ITEMS = [
  [
    'channel history, 10 messages',
    ['get_channel_history', { channel: 'C0000001', limit: 10 }],
    ['slack_get_channel_history', { channel_id: 'C0000001', limit: 10 }],
  ],
  [
    'thread replies (parent + 3)',
    ['get_thread_replies', { channel: 'C0000001', thread_ts: '1700000300.000100' }],
    ['slack_get_thread_replies', { channel_id: 'C0000001', thread_ts: '1700000300.000100' }],
  ],
  [
    'list channels, 100',
    ['list_channels', { limit: 100, types: ['public_channel'] }],
    ['slack_list_channels', { limit: 100 }],
  ],
  ['list users, 100', ['get_users', { limit: 100 }], ['slack_get_users', { limit: 100 }]],
  [
    'user profile',
    ['get_user_profile', { user: 'U0000001' }],
    ['slack_get_user_profile', { user_id: 'U0000001' }],
  ],
  [
    'post message',
    ['post_message', { channel: 'C0000001', text: 'bench' }],
    ['slack_post_message', { channel_id: 'C0000001', text: 'bench' }],
  ],
];

/** Bytes a client receives for a result: its JSON (content and structuredContent). */
function resultBytes(result) {
  return Buffer.byteLength(JSON.stringify(result));
}

async function measureInitialize(side) {
  const samples = [];
  for (let i = 0; i < STARTS; i++) {
    const { value: session, ms } = await timed(() =>
      withTimeout(startSession({ args: side.args, env: side.env }), itemTimeoutMs(), `${side.label} start`),
    );
    samples.push(ms);
    await session.close();
  }
  return median(samples);
}

/** Runs the bench and prints the tables. */
export async function run() {
  if (!existsSync(OURS_BIN)) throw new Error(`ours: ${OURS_BIN} is missing; build it first`);
  const built = await timed(async () =>
    createSlackWorkspace({ users: USERS, channels: CHANNELS, messagesPerChannel: 30 }),
  );
  const api = await startSlackApi({ workspace: built.value, record: true });
  const { ours, peer } = sides(api);
  const results = {
    users: USERS,
    channels: CHANNELS,
    calls: CALLS,
    starts: STARTS,
    node: process.version,
    cpus: os.cpus().length,
  };
  console.log(
    `workspace: ${USERS.toLocaleString('en-US')} users, ${CHANNELS.toLocaleString('en-US')} channels behind a loopback Web API (${api.url}), generated in ${formatMs(built.ms)}`,
  );
  console.log(
    `ours: ${ours.label}@${versionOf(path.join(repo, 'servers/slack/package.json'))} --allow-post C0000001; ` +
      (peer
        ? `peer: ${PEER_NAME}@${versionOf(path.join(PEER_DIR, 'package.json'))} (fetch redirected by a preload)`
        : 'peer: not installed'),
  );
  try {
    // 1. Time to initialize, fresh process each time, with the large workspace behind the API.
    const from = api.calls.length;
    const initOurs = await measureInitialize(ours);
    const initPeer = peer ? await measureInitialize(peer) : Number.NaN;
    const startupCalls = api.calls.slice(from);
    // The same with Slack holding every auth.test unanswered for the whole start.
    const release = api.hold('auth.test');
    const initHeld = await measureInitialize(ours);
    release();
    results.initialize = {
      oursMs: initOurs,
      oursAuthTestHeldMs: initHeld,
      peerMs: initPeer,
      slackCallsDuringStarts: startupCalls.map((c) => c.method),
    };

    // 2. tools/list bytes, and per-call figures on one warm session per side.
    const oursSession = await startSession({ args: ours.args, env: ours.env });
    const oursFull = await startSession({
      args: [OURS_BIN, '--allow-post', '*', '--allow-edit'],
      env: { ...ours.env, SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN },
    });
    const peerSession = peer ? await startSession({ args: peer.args, env: peer.env }) : undefined;
    try {
      const listBytes = async (session) => {
        const { tools } = await session.client.listTools();
        return { bytes: Buffer.byteLength(JSON.stringify(tools)), count: tools.length };
      };
      const readOnlySession = await startSession({ args: [OURS_BIN], env: ours.env });
      const list = {
        oursReadOnly: await listBytes(readOnlySession),
        oursPosting: await listBytes(oursSession),
        oursEverything: await listBytes(oursFull),
        peer: peerSession ? await listBytes(peerSession) : { bytes: Number.NaN, count: 0 },
      };
      await readOnlySession.close();
      results.toolsList = list;

      const rows = [];
      results.perCall = [];
      for (const [label, [oursTool, oursArgs], [peerTool, peerArgs]] of CALL_ITEMS) {
        const measure = async (session, tool, args) => {
          if (!session) return { median: Number.NaN, bytes: Number.NaN, isError: undefined };
          let last;
          const once = async () => {
            last = await withTimeout(
              session.client.callTool({ name: tool, arguments: args }),
              itemTimeoutMs(),
              tool,
            );
          };
          for (let i = 0; i < WARMUP_CALLS; i++) await once();
          const figure = await repeat(once, { runs: CALLS, warmup: false });
          return { median: figure.median, bytes: resultBytes(last), isError: last?.isError === true };
        };
        const a = await measure(oursSession, oursTool, oursArgs);
        const b = await measure(peerSession, peerTool, peerArgs);
        results.perCall.push({ label, ours: a, peer: b });
        rows.push([
          label,
          formatMs(a.median) + (a.isError ? ' (error)' : ''),
          formatMs(b.median) + (b.isError ? ' (error)' : ''),
          formatRatio(b.median / a.median),
          formatBytes(a.bytes),
          formatBytes(b.bytes),
        ]);
      }

      // 3. Cost of lazy name resolution on a cold cache: the last channel and the last user.
      const cold = await startSession({ args: ours.args, env: ours.env });
      const coldFrom = api.calls.length;
      const byName = await timed(() =>
        cold.client.callTool({
          name: 'get_channel_history',
          arguments: { channel: `#channel-${CHANNELS}`, limit: 10 },
        }),
      );
      const byNameCalls = api.methods(coldFrom).filter((m) => m === 'conversations.list').length;
      const warmFrom = api.calls.length;
      const warmName = await timed(() =>
        cold.client.callTool({
          name: 'get_channel_history',
          arguments: { channel: `#channel-${CHANNELS}`, limit: 10 },
        }),
      );
      const warmCalls = api.methods(warmFrom).filter((m) => m === 'conversations.list').length;
      const userFrom = api.calls.length;
      const byHandle = await timed(() =>
        cold.client.callTool({ name: 'get_user_profile', arguments: { user: `@user${USERS}` } }),
      );
      const byHandleCalls = api.methods(userFrom).filter((m) => m === 'users.list').length;
      await cold.close();
      results.coldResolution = {
        channelMs: byName.ms,
        channelListCalls: byNameCalls,
        channelWarmMs: warmName.ms,
        userMs: byHandle.ms,
        userListCalls: byHandleCalls,
        errors: [byName.value.isError, warmName.value.isError, byHandle.value.isError],
      };

      console.log('\n1. time to initialize (spawn to initialize result; median of fresh starts)');
      printTable(
        ['', 'ours', 'peer', 'peer / ours'],
        [
          [
            `${USERS.toLocaleString('en-US')} users, ${CHANNELS.toLocaleString('en-US')} channels`,
            formatMs(initOurs),
            formatMs(initPeer),
            formatRatio(initPeer / initOurs),
          ],
          ['the same, auth.test never answered', formatMs(initHeld), '', ''],
        ],
      );
      const counts = startupCalls.reduce(
        (acc, c) => acc.set(c.method, (acc.get(c.method) ?? 0) + 1),
        new Map(),
      );
      console.log(
        `   Slack calls made by ${STARTS * (peer ? 2 : 1)} starts: ${[...counts].map(([m, n]) => `${m} x${n}`).join(', ') || 'none'} (ours: one background auth.test each; nothing is listed at startup)`,
      );

      console.log('\n2. tools/list (compact JSON of the tools array)');
      printTable(
        ['server', 'tools', 'bytes', 'peer / ours'],
        [
          [
            'ours, read-only (default)',
            String(list.oursReadOnly.count),
            formatBytes(list.oursReadOnly.bytes),
            formatRatio(list.peer.bytes / list.oursReadOnly.bytes),
          ],
          [
            'ours, --allow-post',
            String(list.oursPosting.count),
            formatBytes(list.oursPosting.bytes),
            formatRatio(list.peer.bytes / list.oursPosting.bytes),
          ],
          [
            'ours, everything + user token',
            String(list.oursEverything.count),
            formatBytes(list.oursEverything.bytes),
            formatRatio(list.peer.bytes / list.oursEverything.bytes),
          ],
          ['peer', String(list.peer.count), formatBytes(list.peer.bytes), ''],
        ],
      );
      console.log(
        '   ours carries input bounds, an outputSchema and four annotations per tool; the peer has input schemas only.',
      );

      console.log(
        `\n3. per call, warm session, median of ${CALLS} calls after ${WARMUP_CALLS} untimed (same loopback API)`,
      );
      printTable(['call', 'ours', 'peer', 'peer / ours', 'ours bytes', 'peer bytes'], rows);
      console.log(
        '   ours: names resolved, text compacted, one envelope per message, structuredContent; the peer returns Slack JSON as text.',
      );

      console.log('\n4. lazy name resolution on a cold cache (ours only; the peer accepts IDs only)');
      printTable(
        ['lookup', 'time', 'list pages read'],
        [
          [
            `#channel-${CHANNELS} (last of ${CHANNELS.toLocaleString('en-US')}), then history`,
            formatMs(byName.ms),
            String(byNameCalls),
          ],
          ['the same again (cached)', formatMs(warmName.ms), String(warmCalls)],
          [
            `@user${USERS} (last of ${USERS.toLocaleString('en-US')}), then profile`,
            formatMs(byHandle.ms),
            String(byHandleCalls),
          ],
        ],
      );
    } finally {
      await oursSession.close();
      await oursFull.close();
      await peerSession?.close();
    }
  } finally {
    await api.close();
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'slack-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(repo, path.join(dataDir, 'slack-results.json'))}`);
}
