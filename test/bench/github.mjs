// Side-by-side benchmark: @bulwark/server-github against @modelcontextprotocol/server-github (the
// archived TypeScript server, pinned in test/package.json), both started over stdio with a real
// MCP client in one run, against one loopback GitHub API (127.0.0.1 only). Prints:
//   1. tools/list size in bytes: ours (default toolsets, default + --allow-write, every toolset)
//      next to the peer, the tasks each list covers, and the figure the official Go server's
//      maintainers published for its full tool list;
//   2. per-call time of the same tasks against the loopback API (medians, ratios), next to a
//      direct HTTP request to the same API as the floor.
// The peer hard-codes https://api.github.com; it is started with a preload that rewrites that
// origin to the loopback API and refuses any other non-loopback URL, so nothing leaves the machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureRoutes, startGitHubApi } from '@bulwark/testkit';
import {
  benchRuns,
  formatBytes,
  formatMs,
  formatRatio,
  median,
  printTable,
  startSession,
  withTimeout,
} from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OURS_BIN = path.join(repo, 'servers/github/dist/main.js');
const PEER_DIR = path.join(repo, 'test/node_modules/@modelcontextprotocol/server-github');
const PEER_BIN = path.join(PEER_DIR, 'dist/index.js');
const TOKEN = 'ghp_benchToken000000000000000000000000000';

/**
 * The official Go server's own figure: "102 tools consuming 64.6k tokens by default", with every
 * toolset on (github/github-mcp-server pull request #1159, "Adding default toolset grouping",
 * 2025-09-30, by its maintainers). A token count, not bytes; the rough conversion below uses
 * 4 bytes per token.
 */
const GO_FIGURE = { tools: 102, tokens: 64_600, source: 'github/github-mcp-server PR #1159 (2025-09-30)' };
const BYTES_PER_TOKEN = 4;

/**
 * Tasks an agent does on GitHub, and the tool that does each on either side (null: no tool).
 * A task counts as covered when that tool is in the side's tools/list.
 */
const TASKS = [
  ['read a file', 'get_file_contents', 'get_file_contents'],
  ['list a directory', 'get_file_contents', 'get_file_contents'],
  ['list every path of a ref', 'get_repository_tree', null],
  ['list branches', 'list_branches', null],
  ['list commits', 'list_commits', 'list_commits'],
  ['read a commit and its files', 'get_commit', null],
  ['list tags', 'list_tags', null],
  ['list releases', 'list_releases', null],
  ['search code', 'search_code', 'search_code'],
  ['search repositories', 'search_repositories', 'search_repositories'],
  ['list issues', 'list_issues', 'list_issues'],
  ['read an issue', 'get_issue', 'get_issue'],
  ['read issue comments', 'get_issue', null],
  ['search issues and PRs', 'search_issues', 'search_issues'],
  ['list labels', 'list_labels', null],
  ['list pull requests', 'list_pull_requests', 'list_pull_requests'],
  ['read a pull request', 'get_pull_request', 'get_pull_request'],
  ['list a PR’s changed files', 'get_pull_request', 'get_pull_request_files'],
  ['read a PR’s diff', 'get_pull_request_diff', null],
  ['read PR reviews', 'list_pull_request_reviews', 'get_pull_request_reviews'],
  ['read PR review comments', 'list_pull_request_review_comments', 'get_pull_request_comments'],
  ['read PR checks and statuses', 'get_pull_request_checks', 'get_pull_request_status'],
  ['who am I, what may I do', 'get_me', null],
  ['search users', 'search_users', 'search_users'],
  ['list workflow runs', 'list_workflow_runs', null],
  ['read a workflow run', 'get_workflow_run', null],
  ['list a run’s jobs', 'list_workflow_jobs', null],
  ['read a job’s log tail', 'get_job_logs', null],
  ['create an issue', 'create_issue', 'create_issue'],
  ['edit, close or reopen an issue', 'update_issue', 'update_issue'],
  ['set labels and assignees', 'update_issue', 'update_issue'],
  ['comment on an issue or PR', 'add_issue_comment', 'add_issue_comment'],
  ['open a pull request', 'create_pull_request', 'create_pull_request'],
  ['edit or close a pull request', 'update_pull_request', null],
  ['review a pull request', 'create_pull_request_review', 'create_pull_request_review'],
  ['merge a pull request', 'merge_pull_request', 'merge_pull_request'],
  ['update a PR branch from its base', 'update_pull_request_branch', 'update_pull_request_branch'],
  ['create or update a file', null, 'create_or_update_file'],
  ['push several files in one commit', null, 'push_files'],
  ['create a branch', null, 'create_branch'],
  ['create a repository', null, 'create_repository'],
  ['fork a repository', null, 'fork_repository'],
];

/** The peer's preload: rewrite https://api.github.com to the loopback API, refuse anything else off loopback. */
const PEER_PRELOAD = `data:text/javascript,${encodeURIComponent(`
const base = process.env.BENCH_GITHUB_API_URL;
const real = globalThis.fetch;
globalThis.fetch = (input, init) => {
  let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith('https://api.github.com')) url = base + url.slice('https://api.github.com'.length);
  else if (!/^http:\\/\\/127\\.0\\.0\\.1[:/]/.test(url)) throw new Error('bench: refusing ' + url);
  return real(url, init);
};`)}`;

const requireFromGitHub = createRequire(path.join(repo, 'servers/github/package.json'));
function fixture(name) {
  const file = requireFromGitHub.resolve(
    `@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`,
  );
  return JSON.parse(readFileSync(file, 'utf8'));
}

const ORG = 'octokit-fixture-org';

/** The loopback API: recorded responses where @octokit/fixtures has them, documented shapes elsewhere. */
function routes() {
  const pageOne = fixture('paginate-issues')[0];
  const issue = { ...pageOne.response[0], body: 'Steps to reproduce:\n\n1. start\n2. crash\n'.repeat(20) };
  const comments = Array.from({ length: 10 }, (_, i) => ({
    id: 100 + i,
    user: issue.user,
    author_association: i % 2 ? 'NONE' : 'MEMBER',
    body: `Comment ${i}: same here.\n`.repeat(5),
    created_at: '2026-01-01T00:00:00Z',
  }));
  const readme = `# hello-world\n\n${'Some documentation text. '.repeat(200)}\n`;
  return {
    ...fixtureRoutes(fixture('search-issues')),
    'GET /repos/:owner/:repo/issues': { body: pageOne.response, headers: { link: pageOne.headers.link } },
    'GET /repos/:owner/:repo/issues/:number': { body: issue },
    'GET /repos/:owner/:repo/issues/:number/comments': { body: comments },
    'GET /repos/:owner/:repo/contents/*': ({ headers, params }) =>
      /raw/.test(String(headers.accept))
        ? { headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: readme }
        : {
            body: {
              type: 'file',
              encoding: 'base64',
              size: Buffer.byteLength(readme),
              name: params['*'],
              path: params['*'],
              content: Buffer.from(readme).toString('base64'),
              sha: '0'.repeat(40),
              url: '',
              git_url: '',
              html_url: '',
              download_url: '',
              _links: { self: '', git: '', html: '' },
            },
          },
  };
}

/** What each side is asked, per item. */
const ITEMS = [
  {
    name: 'list_issues (1 page)',
    ours: ['list_issues', { repo: `${ORG}/paginate-issues` }],
    peer: ['list_issues', { owner: ORG, repo: 'paginate-issues' }],
    direct: `/repos/${ORG}/paginate-issues/issues`,
  },
  {
    name: 'get_issue',
    note: 'ours also reads the first page of comments (2 requests)',
    ours: ['get_issue', { repo: `${ORG}/hello`, number: 1 }],
    peer: ['get_issue', { owner: ORG, repo: 'hello', issue_number: 1 }],
    direct: `/repos/${ORG}/hello/issues/1`,
  },
  {
    name: 'get_file_contents (5 KB file)',
    ours: ['get_file_contents', { repo: `${ORG}/hello`, path: 'README.md' }],
    peer: ['get_file_contents', { owner: ORG, repo: 'hello', path: 'README.md' }],
    direct: `/repos/${ORG}/hello/contents/README.md`,
  },
  {
    name: 'search_issues',
    ours: ['search_issues', { query: `sesame repo:${ORG}/search-issues` }],
    peer: ['search_issues', { q: `sesame repo:${ORG}/search-issues` }],
    direct: `/search/issues?q=${encodeURIComponent(`sesame repo:${ORG}/search-issues`)}`,
  },
];

async function listBytes(session) {
  const { tools } = await session.client.listTools();
  // What the peer sends: name, description and inputSchema only.
  const core = tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
  return {
    tools,
    bytes: Buffer.byteLength(JSON.stringify(tools)),
    coreBytes: Buffer.byteLength(JSON.stringify(core)),
  };
}

function covered(tools, side) {
  const names = new Set(tools.map((tool) => tool.name));
  return TASKS.filter((task) => task[side] && names.has(task[side])).length;
}

async function timeCalls(fn, runs) {
  for (let i = 0; i < 5; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Runs the GitHub bench and prints the tables. */
export async function run() {
  const api = await startGitHubApi(routes());
  // No spacing between searches: in production the server spaces searches 2 s apart (GitHub's
  // search limit is 30 a minute), which would measure the policy, not the server.
  const env = {
    GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN,
    GITHUB_API_URL: api.url,
    BULWARK_GITHUB_WAIT_SCALE: '0',
  };
  const start = (args) => startSession({ args: [OURS_BIN, ...args], env });
  const sessions = [];
  try {
    const ours = {
      default: await start([]),
      write: await start(['--allow-write']),
      all: await start(['--toolsets', 'all', '--allow-write']),
    };
    sessions.push(...Object.values(ours));
    let peer = null;
    try {
      peer = await startSession({
        args: ['--import', PEER_PRELOAD, PEER_BIN],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN, BENCH_GITHUB_API_URL: api.url },
      });
      sessions.push(peer);
    } catch (error) {
      console.log(
        `peer @modelcontextprotocol/server-github did not start (${error.message}); ours runs alone`,
      );
    }
    const peerVersion = peer
      ? JSON.parse(readFileSync(path.join(PEER_DIR, 'package.json'), 'utf8')).version
      : 'n/a';

    console.log('tools/list (compact JSON of the tools array, as a client receives it)');
    const rows = [];
    const peerList = peer ? await listBytes(peer) : null;
    const addRow = (label, list, side) => {
      const tasks = covered(list.tools, side);
      rows.push([
        label,
        String(list.tools.length),
        formatBytes(list.bytes),
        formatBytes(list.coreBytes),
        `~${Math.round(list.bytes / BYTES_PER_TOKEN / 100) / 10}k`,
        `${tasks}/${TASKS.length}`,
        tasks ? `${Math.round(list.bytes / tasks)} B` : 'n/a',
        peerList ? formatRatio(list.bytes / peerList.bytes) : 'n/a',
      ]);
    };
    addRow('ours: default toolsets (read-only)', await listBytes(ours.default), 1);
    addRow('ours: default toolsets + --allow-write', await listBytes(ours.write), 1);
    addRow('ours: every toolset + --allow-write', await listBytes(ours.all), 1);
    if (peerList) addRow(`peer @modelcontextprotocol/server-github@${peerVersion}`, peerList, 2);
    rows.push([
      `figure: official Go server, every toolset (${GO_FIGURE.source})`,
      String(GO_FIGURE.tools),
      `~${formatBytes(GO_FIGURE.tokens * BYTES_PER_TOKEN)} (est.)`,
      'n/a',
      `${GO_FIGURE.tokens / 1000}k (stated)`,
      'n/a',
      'n/a',
      peerList ? `~${formatRatio((GO_FIGURE.tokens * BYTES_PER_TOKEN) / peerList.bytes)}` : 'n/a',
    ]);
    printTable(
      [
        'list',
        'tools',
        'bytes',
        'name+description+input',
        'tokens (bytes/4)',
        'tasks',
        'bytes/task',
        'vs peer',
      ],
      rows,
    );
    console.log(
      `tasks: ${TASKS.length} agent tasks (file, directory, branches, issues, comments, reviews, merges, workflow logs...), each mapped to the tool that does it on either side.`,
    );
    console.log(
      'ours also sends a title, four annotations and an outputSchema per tool; the peer sends name, description and inputSchema only (third bytes column: ours cut to those).',
    );

    const runs = Math.max(20, benchRuns() * 20);
    console.log(
      `\nper call against the loopback API (median of ${runs} sequential calls after 5 warm-up calls)`,
    );
    console.log(
      'ours with BULWARK_GITHUB_WAIT_SCALE=0: no 2 s spacing between searches (production keeps it).',
    );
    const callRows = [];
    for (const item of ITEMS) {
      const direct = await timeCalls(async () => {
        const response = await fetch(`${api.url}${item.direct}`, {
          headers: { authorization: `token ${TOKEN}` },
        });
        await response.arrayBuffer();
      }, runs);
      const time = async (session, [tool, args]) => {
        const check = await session.client.callTool({ name: tool, arguments: args });
        if (check.isError) throw new Error(`${tool}: ${JSON.stringify(check.content)}`);
        return timeCalls(() => session.client.callTool({ name: tool, arguments: args }), runs);
      };
      const oursMs = await withTimeout(time(ours.default, item.ours), 60_000, item.name);
      const peerMs = peer
        ? await withTimeout(time(peer, item.peer), 60_000, item.name).catch(() => Number.NaN)
        : Number.NaN;
      callRows.push([
        item.name,
        formatMs(direct),
        formatMs(oursMs),
        formatMs(oursMs - direct),
        formatMs(peerMs),
        formatMs(peerMs - direct),
        formatRatio(oursMs / peerMs),
        item.note ?? '',
      ]);
    }
    printTable(
      ['call', 'direct HTTP', 'ours', 'ours overhead', 'peer', 'peer overhead', 'ours/peer', 'note'],
      callRows,
    );
    const mutations = api.requests.filter((request) => request.method !== 'GET');
    console.log(`\nloopback API requests: ${api.requests.length}, mutating: ${mutations.length}`);
  } finally {
    await Promise.all(sessions.map((session) => session.close().catch(() => {})));
    await api.close();
  }
}
