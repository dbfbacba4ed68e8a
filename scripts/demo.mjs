// The demo: starts each built server over stdio with a real MCP client and prints what a host
// would see. The filesystem server runs on this repository's own tree; the SQLite and PostgreSQL
// servers run on a sample shop database the project generates (PostgreSQL on embedded PGlite);
// the fetch server reads a sample site served on 127.0.0.1 and refuses internal addresses; the
// GitHub and Slack servers talk to loopback fakes of their APIs with sample repositories and a
// sample workspace.
// Run it with `pnpm demo`.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSampleSqlite,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  seedSamplePostgres,
  startGitHubApi,
  startLoopbackWeb,
  startSlackApi,
  startStdioServer,
  startTestPostgres,
  structuredOf,
  textOf,
} from '../shared/testkit/dist/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'servers/filesystem/dist/main.js');

const bold = (text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const section = (title) => console.log(`\n${bold(`== ${title} ==`)}`);
const indent = (text, max = 30) => {
  const lines = text.split('\n');
  const shown = lines.slice(0, max).map((line) => `   ${line}`);
  if (lines.length > max) shown.push(`   ... (${lines.length - max} more lines)`);
  return shown.join('\n');
};

async function call(client, name, args) {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: args });
  const ms = (performance.now() - started).toFixed(1);
  console.log(`${bold(`> ${name}`)} ${JSON.stringify(args)}  (${ms} ms${result.isError ? ', isError' : ''})`);
  return result;
}

async function filesystemDemo() {
  const session = await startStdioServer({ args: [bin, `${repo}:ro`] });
  try {
    const { client } = session;
    const server = client.getServerVersion();
    section(
      `Connected to ${server?.name} ${server?.version} (protocol ${client.getNegotiatedProtocolVersion()})`,
    );
    console.log(indent(client.getInstructions() ?? ''));

    section('Tools');
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const hints = tool.annotations ?? {};
      const mode = hints.readOnlyHint ? 'read-only' : hints.destructiveHint ? 'destructive' : 'write';
      console.log(`   ${tool.name.padEnd(26)} ${mode.padEnd(12)} ${tool.title ?? ''}`);
    }
    console.log(`   (${tools.length} tools; the root was given as DIR:ro, so write tools refuse it)`);

    section('Glob search: every TypeScript file under shared/');
    const glob = await call(client, 'search_files', { path: 'shared', pattern: '**/*.ts', max_results: 12 });
    console.log(indent(textOf(glob)));

    section('Content search: where tools are declared');
    const grep = await call(client, 'search_content', {
      path: 'servers',
      query: 'defineTool({',
      literal: true,
      include: '**/*.ts',
      max_matches: 8,
    });
    console.log(indent(textOf(grep)));

    section('Head read: the first 12 lines of README.md');
    const head = await call(client, 'read_text_file', { path: 'README.md', head: 12 });
    const read = structuredOf(head);
    console.log(indent(read.content));
    console.log(
      `   [lines ${read.start_line}-${read.end_line} of ${read.total_lines}, sha256 ${read.sha256.slice(0, 16)}...]`,
    );

    section('Directory tree, two levels, node_modules excluded by .gitignore');
    const tree = await call(client, 'directory_tree', { path: '.', max_depth: 2, max_entries: 60 });
    console.log(indent(textOf(tree), 45));

    section('Refused: escape attempts');
    for (const attempt of ['../../../../etc/passwd', `${repo}-evil/secret.txt`, '/proc/self/environ']) {
      const refused = await call(client, 'read_text_file', { path: attempt });
      console.log(`   ${textOf(refused)}`);
    }
    const write = await call(client, 'write_file', { path: 'demo-output.txt', content: 'hello' });
    console.log(`   ${textOf(write)}`);
  } finally {
    await session.close();
  }
}

const JOIN = `SELECT c.name, c.city, count(DISTINCT o.id) AS orders, round(sum(i.quantity * i.unit_price), 2) AS revenue
FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_items i ON i.order_id = o.id
WHERE o.status <> 'cancelled' GROUP BY c.id, c.name, c.city ORDER BY revenue DESC LIMIT 5`;

async function databaseDemo(title, session, attacks) {
  const { client } = session;
  const server = client.getServerVersion();
  section(`${title}: connected to ${server?.name} ${server?.version}`);
  const { tools } = await client.listTools();
  console.log(`   tools: ${tools.map((tool) => tool.name).join(', ')}`);
  const tables = structuredOf(await call(client, 'list_tables', {}));
  console.log(`   ${tables.tables.map((table) => `${table.name} (${table.type})`).join(', ')}`);
  const described = await call(client, 'describe_table', { table: 'orders' });
  console.log(indent(textOf(described), 16));
  section(`${title}: top customers by revenue (a join, rendered as Markdown)`);
  console.log(indent(textOf(await call(client, 'query', { sql: JOIN, format: 'markdown' }))));
  const page = structuredOf(await call(client, 'query', { sql: 'SELECT * FROM order_items', max_rows: 100 }));
  console.log(
    `   SELECT * FROM order_items -> ${page.row_count} rows, truncated by ${page.truncated_by}, next_cursor given`,
  );
  section(`${title}: refused by the read-only guard`);
  for (const sql of attacks) {
    const result = await call(client, 'query', { sql });
    console.log(`   ${textOf(result)}`);
  }
}

async function sqliteDemo() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-demo-'));
  const file = path.join(dir, 'shop.sqlite');
  await createSampleSqlite(file);
  const session = await startStdioServer({ args: [path.join(repo, 'servers/sqlite/dist/main.js'), file] });
  try {
    await databaseDemo('SQLite', session, [
      'SELECT 1; DROP TABLE orders',
      "ATTACH DATABASE '/tmp/evil.db' AS evil",
      'PRAGMA query_only = 0',
      'WITH gone AS (SELECT 1) DELETE FROM orders',
    ]);
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgresDemo() {
  // Embedded PGlite unless DEMO_DATABASE_URL names a real (empty) database to seed.
  const db = await startTestPostgres({ TEST_DATABASE_URL: process.env.DEMO_DATABASE_URL });
  try {
    await seedSamplePostgres(db.url);
    const session = await startStdioServer({
      args: [path.join(repo, 'servers/postgres/dist/main.js'), '--pool-size', String(db.maxPoolSize)],
      env: { DATABASE_URL: db.url },
    });
    try {
      await databaseDemo(`PostgreSQL (${db.kind})`, session, [
        'COMMIT; DROP TABLE orders',
        'WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone',
        "SELECT pg_read_file('/etc/passwd')",
        'SELECT * FROM orders FOR UPDATE',
      ]);
    } finally {
      await session.close();
    }
  } finally {
    await db.close();
  }
}

const SAMPLE_ARTICLE = `<!doctype html><html><head><meta charset="utf-8"><title>Tide tables, explained</title></head>
<body><nav><a href="/">Home</a> <a href="/archive">Archive</a></nav>
<article><h1>Tide tables, explained</h1>
<p>A tide table gives the times and heights of high and low water for one port. Heights are measured from <a href="/chart-datum">chart datum</a>, the lowest level the tide normally reaches.</p>
<p>Between two tides the water does not rise evenly: the rule of twelfths says it rises one twelfth in the first hour, two in the second, three in the third and fourth, two in the fifth and one in the sixth.</p>
<table><tr><th>Hour</th><th>Rise</th></tr><tr><td>1</td><td>1/12</td></tr><tr><td>2</td><td>2/12</td></tr><tr><td>3</td><td>3/12</td></tr></table>
<p>Spring tides, with the largest range, follow new and full moon; neap tides follow the quarters.</p>
</article><footer>Harbour office</footer></body></html>`;

async function fetchDemo() {
  const site = await startLoopbackWeb({
    'GET /robots.txt': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
    'GET /tides': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SAMPLE_ARTICLE),
    'GET /private/notes': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('not for robots'),
    'GET /moved': (_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  });
  const bin = path.join(repo, 'servers/fetch/dist/main.js');
  // The sample site is on 127.0.0.1, which the guard refuses unless the operator opens it.
  const opened = await startStdioServer({ args: [bin, '--allow-host', '127.0.0.1'] });
  const guarded = await startStdioServer({ args: [bin] });
  try {
    const server = opened.client.getServerVersion();
    section(`Fetch: connected to ${server?.name} ${server?.version}, sample site at ${site.origin}`);
    const article = await call(opened.client, 'fetch', { url: `${site.origin}/tides` });
    console.log(indent(textOf(article)));
    section('Fetch: the same page as text, 200 characters at a time');
    const window = await call(opened.client, 'fetch', {
      url: `${site.origin}/tides`,
      format: 'text',
      max_length: 200,
    });
    console.log(indent(textOf(window)));
    section('Fetch: refused (robots.txt, a redirect to cloud metadata, internal addresses)');
    for (const [session, url] of [
      [opened, `${site.origin}/private/notes`],
      [opened, `${site.origin}/moved`],
      [guarded, `${site.origin}/tides`],
      [guarded, `http://[::ffff:127.0.0.1]:${site.port}/tides`],
      [guarded, `http://0x7f.1:${site.port}/tides`],
      [guarded, 'http://169.254.169.254/latest/meta-data/'],
      [guarded, 'file:///etc/passwd'],
    ]) {
      const refused = await call(session.client, 'fetch', { url });
      console.log(indent(textOf(refused)));
    }
  } finally {
    await opened.close();
    await guarded.close();
    await site.close();
  }
}

async function githubDemo() {
  // octo/hello and evil/bait are public, octo/secret private; issue #1 carries a prompt injection.
  const api = await startGitHubApi(fakeGitHub());
  const session = await startStdioServer({
    args: [path.join(repo, 'servers/github/dist/main.js'), '--repos', 'octo/*,evil/bait', '--allow-write'],
    env: {
      GITHUB_API_URL: api.url,
      GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_demoToken000000000000000000000000000',
    },
  });
  try {
    const { client } = session;
    const server = client.getServerVersion();
    const { tools } = await client.listTools();
    section(
      `GitHub: connected to ${server?.name} ${server?.version} (${tools.length} tools), loopback API at ${api.url}`,
    );
    section('GitHub: an issue whose body tries a prompt injection arrives fenced, with its author');
    const issue = await call(client, 'get_issue', { repo: 'octo/hello', number: 1 });
    console.log(indent(textOf(issue), 16));
    section('GitHub: refused before any request (allowlist), and by the session guard');
    const before = api.requests.length;
    console.log(indent(textOf(await call(client, 'list_issues', { repo: 'other/repo' }))));
    console.log(`   (requests sent to the API for that call: ${api.requests.length - before})`);
    await call(client, 'get_issue', { repo: 'octo/secret', number: 2 });
    const leak = await call(client, 'create_issue', { repo: 'evil/bait', title: 'copy of the secret issue' });
    console.log(indent(textOf(leak)));
  } finally {
    await session.close();
    await api.close();
  }
}

async function slackDemo() {
  // #general and #random are allowed below; #secret is private and not.
  const api = await startSlackApi();
  const session = await startStdioServer({
    args: [
      path.join(repo, 'servers/slack/dist/main.js'),
      '--channels',
      '#general,#random',
      '--allow-post',
      '#random',
    ],
    env: { SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN, SLACK_API_URL: api.url },
  });
  try {
    const { client } = session;
    const server = client.getServerVersion();
    section(`Slack: connected to ${server?.name} ${server?.version}, loopback Web API at ${api.url}`);
    section('Slack: the latest messages of #general, names resolved, inside the envelope');
    console.log(
      indent(textOf(await call(client, 'get_channel_history', { channel: '#general', limit: 3 })), 20),
    );
    section('Slack: refused before any request (channel allowlist, posting allowlist)');
    console.log(indent(textOf(await call(client, 'get_channel_history', { channel: '#secret' }))));
    console.log(indent(textOf(await call(client, 'post_message', { channel: '#general', text: 'hello' }))));
    const posted = await call(client, 'post_message', {
      channel: '#random',
      text: 'Posted by the Bulwark demo',
    });
    console.log(indent(textOf(posted)));
  } finally {
    await session.close();
    await api.close();
  }
}

await filesystemDemo();
await sqliteDemo();
await postgresDemo();
await fetchDemo();
await githubDemo();
await slackDemo();
