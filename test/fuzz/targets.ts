// How the fuzz suites and the tool-definition budget start each server: its built bin, the
// throwaway data behind it (a temp tree, a sample SQLite file, a fresh PostgreSQL database,
// loopback GitHub, Slack and web servers) and its modes (flag sets that change the listed tools).
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSampleSqlite,
  createTempTree,
  fakeGitHub,
  SLACK_TEST_BOT_TOKEN,
  SLACK_TEST_USER_TOKEN,
  seedSamplePostgres,
  startGitHubApi,
  startLoopbackWeb,
  startSlackApi,
  startTestPostgres,
} from '@bulwark/testkit';
import fc from 'fast-check';
import type { LaunchSpec } from './raw-server.js';
import type { Overrides } from './schema-arbitraries.js';

/** The six servers, by folder name under `servers/`. */
export type ServerName = 'filesystem' | 'sqlite' | 'postgres' | 'fetch' | 'github' | 'slack';

/** Every server, in the order reports list them. */
export const SERVER_NAMES: readonly ServerName[] = [
  'filesystem',
  'sqlite',
  'postgres',
  'fetch',
  'github',
  'slack',
];

/** The data behind one server and the ways to start it. */
export interface Fixture {
  /** Launch specs by mode name (`read`, `write`, `all+write`, ...). */
  modes: Record<string, LaunchSpec>;
  /** The mode the fuzz suites send random valid-shaped calls to: the server's read-only default. */
  fuzzRead: string;
  /**
   * The mode that offers the write tools, for arguments the schema refuses (they never reach a
   * handler); set only where everything a write could touch is throwaway.
   */
  fuzzWrite?: string;
  /** Arbitraries for argument fields whose random values must stay on loopback. */
  overrides: Overrides;
  /** Stops the upstream servers and removes the data. */
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Absolute path of a server's built bin (`servers/<name>/dist/main.js`).
 *
 * @param name - the server
 * @returns the path
 */
export function binOf(name: ServerName): string {
  return path.resolve(here, '../../servers', name, 'dist/main.js');
}

/** A token-shaped GitHub secret for the loopback API (never a real token). */
const GITHUB_TOKEN = 'ghp_bulwarkFuzzTest00000000000000000000000';

const SAMPLE_TREE = {
  'README.md': '# Sample\n\nA small tree for fuzzing.\n',
  'notes.txt': 'alpha\nbeta\ngamma\n',
  'data.json': '{"a": [1, 2, 3], "b": {"c": "d"}}\n',
  'image.png': Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
  src: { 'main.ts': 'export const x = 1;\n', lib: { 'util.ts': 'export function f() {}\n' } },
  empty: {},
};

/** Real paths of the sample tree (and a few outside it) among the random ones. */
function filesystemSamples(root: string): Overrides {
  const paths = [
    '.',
    'README.md',
    'notes.txt',
    'data.json',
    'image.png',
    'src',
    'src/lib/util.ts',
    'empty',
    root,
  ];
  const outside = ['..', '/', '/etc/passwd', '../../etc/passwd', 'missing.txt', 'src/../../x'];
  return {
    path: { also: [...paths, ...outside] },
    'paths[]': { also: [...paths, ...outside] },
    pattern: { also: ['*.ts', '**/*.md', '*', '**', 'src/**'] },
    query: { also: ['alpha', 'export', 'a.*b', '(', '\\'] },
  };
}

/** Statements and names of the sample database among the random ones. */
function sqlSamples(dialect: 'sqlite' | 'postgres'): Overrides {
  const p = (n: number) => (dialect === 'sqlite' ? `?${n}` : `$${n}`);
  return {
    sql: {
      also: [
        'SELECT * FROM customers',
        `SELECT id, name FROM customers WHERE city = ${p(1)}`,
        `SELECT count(*) FROM orders WHERE status = ${p(1)} OR id > ${p(2)}`,
        'SELECT * FROM order_totals ORDER BY total DESC',
        `SELECT ${p(1)}, ${p(2)}, ${p(3)}`,
        'SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id',
        "INSERT INTO customers (id, name, email, joined_on) VALUES (9999, 'x', 'x@example.com', '2024-01-01')",
        'DELETE FROM orders',
        'DROP TABLE customers',
        'SELECT 1; SELECT 2',
      ],
    },
    table: {
      also: ['customers', 'products', 'orders', 'order_items', 'order_totals', 'sqlite_schema', 'pg_class'],
    },
    schema: {
      also: dialect === 'sqlite' ? ['main', 'temp'] : ['public', 'pg_catalog', 'information_schema'],
    },
  };
}

/**
 * Starts the data and upstream servers one server needs.
 *
 * @param name - the server
 * @returns its fixture; `close()` it when done
 */
export async function startFixture(name: ServerName): Promise<Fixture> {
  const bin = binOf(name);
  switch (name) {
    case 'filesystem': {
      const readTree = await createTempTree(SAMPLE_TREE, 'bulwark-fuzz-');
      const writeTree = await createTempTree(SAMPLE_TREE, 'bulwark-fuzz-');
      return {
        modes: { read: { args: [bin, '--read-only', readTree.dir] }, write: { args: [bin, writeTree.dir] } },
        fuzzRead: 'read',
        fuzzWrite: 'write',
        overrides: filesystemSamples(readTree.dir),
        close: async () => {
          await readTree.remove();
          await writeTree.remove();
        },
      };
    }
    case 'sqlite': {
      const dir = await createTempTree({}, 'bulwark-fuzz-');
      await createSampleSqlite(dir.path('read.sqlite'));
      await copyFile(dir.path('read.sqlite'), dir.path('write.sqlite'));
      return {
        modes: {
          read: { args: [bin, dir.path('read.sqlite')] },
          write: { args: [bin, '--allow-write', dir.path('write.sqlite')] },
        },
        fuzzRead: 'read',
        fuzzWrite: 'write',
        overrides: sqlSamples('sqlite'),
        close: () => dir.remove(),
      };
    }
    case 'postgres': {
      const db = await startTestPostgres();
      try {
        await seedSamplePostgres(db.url);
      } catch (error) {
        await db.close();
        throw error;
      }
      const env = { DATABASE_URL: db.url };
      const pool = ['--pool-size', String(Math.min(db.maxPoolSize, 2))];
      // No fuzzWrite: the database is fresh, but roles and settings a write could reach are the
      // PostgreSQL server's, shared with every other test.
      return {
        modes: { read: { args: [bin, ...pool], env }, write: { args: [bin, '--allow-write', ...pool], env } },
        fuzzRead: 'read',
        overrides: sqlSamples('postgres'),
        close: () => db.close(),
      };
    }
    case 'fetch': {
      const web = await startLoopbackWeb({
        'GET /': (_request, response) =>
          response
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              '<html><head><title>Home</title></head><body><h1>Home</h1><p>Hello <a href="/a">a</a></p></body></html>',
            ),
        'GET /data.json': (_request, response) =>
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2,3],"ok":true}'),
        'GET /plain': (_request, response) =>
          response.writeHead(200, { 'content-type': 'text/plain' }).end('plain text\n'.repeat(50)),
        'GET /redirect-refused': (_request, response) =>
          response.writeHead(302, { location: 'http://[::1]:1/' }).end(),
        'GET /binary': (_request, response) =>
          response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(64, 7)),
      });
      // Only the loopback site, or loopback-range addresses other than the allowed host (which
      // the server refuses; were it to connect anyway, the traffic would still stay on this
      // machine), or URLs it cannot fetch at all. A random URL could name a real host and send
      // a DNS query or a request off the machine.
      const url = fc.oneof(
        fc
          .constantFrom('/', '/data.json', '/plain', '/redirect-refused', '/binary', '/missing')
          .map((page) => `${web.origin}${page}`),
        fc.webPath().map((page) => `${web.origin}/${page.replace(/^\/+/, '')}`),
        fc.constantFrom(
          'http://127.0.0.2:1/',
          'http://[::1]:1/',
          'http://[::ffff:127.0.0.2]:1/',
          'http://2130706434:1/',
          'http://0.0.0.0:1/',
          'file:///etc/passwd',
          'ftp://127.0.0.1/',
          'javascript:alert(1)',
          'not a url',
          'http://',
        ),
      );
      return {
        modes: { read: { args: [bin, '--allow-host', '127.0.0.1', '--timeout', '5'] } },
        fuzzRead: 'read',
        overrides: { url },
        close: () => web.close(),
      };
    }
    case 'github': {
      const api = await startGitHubApi(fakeGitHub(), { scopes: null });
      const env = {
        GITHUB_API_URL: api.url,
        GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN,
        BULWARK_GITHUB_WAIT_SCALE: '0.001',
      };
      return {
        modes: {
          default: { args: [bin], env },
          'default+write': { args: [bin, '--allow-write'], env },
          all: { args: [bin, '--toolsets', 'all'], env },
          'all+write': { args: [bin, '--toolsets', 'all', '--allow-write'], env },
        },
        fuzzRead: 'all',
        fuzzWrite: 'all+write',
        overrides: {
          repo: { also: ['octo/hello', 'octo/secret', 'evil/bait', 'octo', 'octo/hello/extra', '../x'] },
          number: { also: [1, 2, 42] },
          path: { also: ['src', 'src/a.ts', 'README.md', '../../etc/passwd'] },
          ref: { also: ['main', 'feature', 'a'.repeat(40)] },
          run_id: { also: [1, 30433642] },
          job_id: { also: [1, 399444496] },
        },
        close: () => api.close(),
      };
    }
    case 'slack': {
      const api = await startSlackApi();
      const bot = {
        SLACK_BOT_TOKEN: SLACK_TEST_BOT_TOKEN,
        SLACK_API_URL: api.url,
        BULWARK_SLACK_MAX_RETRY_WAIT: '2',
      };
      const user = { ...bot, SLACK_USER_TOKEN: SLACK_TEST_USER_TOKEN };
      return {
        modes: {
          read: { args: [bin], env: bot },
          'read+search': { args: [bin], env: user },
          'post:C0000001': { args: [bin, '--allow-post', 'C0000001'], env: user },
          'post:*': { args: [bin, '--allow-post', '*'], env: user },
          'post:*+edit': { args: [bin, '--allow-post', '*', '--allow-edit'], env: user },
        },
        fuzzRead: 'read+search',
        fuzzWrite: 'post:*+edit',
        overrides: {
          channel: {
            also: ['C0000001', '#general', 'C0000004', 'C0000005', 'D0000001', '@user1', 'general'],
          },
          user: { also: ['U0000001', 'UBOT0001', 'U9999999'] },
          thread_ts: { also: ['1700000000.000100', '1700000240.000000'] },
        },
        close: () => api.close(),
      };
    }
  }
}
