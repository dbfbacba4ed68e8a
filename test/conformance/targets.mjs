// What the conformance run serves: every Bulwark server's built bin over Streamable HTTP on
// 127.0.0.1 (with sample data and loopback upstreams from @bulwark/testkit), and the fixture
// server twice (over a sessionful transport, and over the runtime's own --http).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSampleSqlite,
  createTempTree,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  seedSamplePostgres,
  startGitHubApi,
  startHttpServer,
  startSlackApi,
  startTestPostgres,
} from '@bulwark/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = (server) => path.join(repo, 'servers', server, 'dist/main.js');

/** Environment every target gets: no bearer token (loopback needs none), no per-call audit lines. */
const BASE_ENV = { BULWARK_HTTP_AUDIT_LOG: 'off' };

/** A fake GitHub token: only the loopback API ever sees it. */
const GITHUB_TOKEN = 'ghp_conformanceFakeToken00000000000000000000';

/**
 * Starts a bin over HTTP and ties extra cleanup to its stop.
 *
 * @param {string[]} args - bin and arguments (`--http 127.0.0.1:0` is appended)
 * @param {Record<string, string>} env - extra environment
 * @param {() => Promise<void>} [cleanup] - runs after the server stopped
 */
async function serve(args, env = {}, cleanup = async () => {}) {
  let server;
  try {
    server = await startHttpServer({ args, env: { ...BASE_ENV, ...env }, startTimeoutMs: 30_000 });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    url: server.url,
    stderr: () => server.stderr(),
    async stop() {
      try {
        await server.stop('SIGKILL');
      } finally {
        await cleanup();
      }
    },
  };
}

/**
 * The targets, in table order. Each `start()` resolves to `{ url, stderr(), stop() }`.
 * `fixture` serves test/conformance/fixture-server through the SDK's sessionful transport (see
 * sessions.mjs); `fixture-runtime-http` serves the same spec through the runtime's own `--http`
 * with a 5 s request deadline, so a server-to-client request that can never be answered there
 * fails in 5 s instead of 60.
 *
 * @type {ReadonlyArray<{ name: string, description: string, start(): Promise<{ url: string, stderr(): string, stop(): Promise<void> }> }>}
 */
export const TARGETS = [
  {
    name: 'fixture',
    description: 'fixture spec on the runtime factory, SDK sessionful transport',
    start: () => serve([path.join(here, 'fixture-server/sessions.mjs')]),
  },
  {
    name: 'fixture-runtime-http',
    description: "fixture spec on the runtime's own --http",
    start: () => serve([path.join(here, 'fixture-server/main.mjs'), '--http-timeout', '5']),
  },
  {
    name: 'filesystem',
    description: 'a temporary tree',
    async start() {
      const tree = await createTempTree(
        { 'docs/readme.md': '# Sample\n', 'src/main.ts': 'export const answer = 42;\n' },
        'bulwark-conformance-',
      );
      return serve([bin('filesystem'), tree.dir], {}, () => tree.remove());
    },
  },
  {
    name: 'sqlite',
    description: 'the testkit sample database',
    async start() {
      const tree = await createTempTree({}, 'bulwark-conformance-');
      await createSampleSqlite(tree.path('shop.db'));
      return serve([bin('sqlite'), tree.path('shop.db')], {}, () => tree.remove());
    },
  },
  {
    name: 'postgres',
    description: 'TEST_DATABASE_URL, else embedded PGlite; sample data',
    async start() {
      const db = await startTestPostgres();
      try {
        await seedSamplePostgres(db.url);
      } catch (error) {
        await db.close();
        throw error;
      }
      return serve([bin('postgres'), '--pool-size', String(db.maxPoolSize)], { DATABASE_URL: db.url }, () =>
        db.close(),
      );
    },
  },
  {
    name: 'fetch',
    description: 'default configuration',
    start: () => serve([bin('fetch')]),
  },
  {
    name: 'github',
    description: 'loopback GitHub API (testkit fakeGitHub)',
    async start() {
      const api = await startGitHubApi(fakeGitHub());
      return serve(
        [bin('github')],
        {
          GITHUB_API_URL: api.url,
          GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN,
          BULWARK_GITHUB_WAIT_SCALE: '0.001',
        },
        () => api.close(),
      );
    },
  },
  {
    name: 'slack',
    description: 'loopback Slack Web API (testkit workspace)',
    async start() {
      const api = await startSlackApi();
      return serve(
        [bin('slack')],
        { SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN, SLACK_API_URL: api.url, BULWARK_SLACK_MAX_RETRY_WAIT: '2' },
        () => api.close(),
      );
    },
  },
];
