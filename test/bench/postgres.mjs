// Side-by-side benchmark: @bulwark/server-postgres against the archived official
// @modelcontextprotocol/server-postgres, both started over stdio with a real MCP client on the same
// fresh database of a real PostgreSQL server in one run. Prints medians and ratios; writes JSON to
// .bench-data/postgres-results.json. The items are in sql-bench.mjs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { seedSamplePostgres, startTestPostgres, textOf } from '@bulwark/testkit';
import { formatBytes, formatMs, timed } from './lib.mjs';
import {
  BIG_ROWS,
  OURS_MAX_BYTES,
  OURS_MAX_ROWS,
  readOursResult,
  repo,
  runSqlBench,
  TENK_ROWS,
  versionOf,
} from './sql-bench.mjs';

// pg is a dependency of the testkit, not (yet) of the test package.
const pg = createRequire(path.join(repo, 'shared/testkit/package.json'))('pg');

/** The machine's server (CI's TEST_DATABASE_URL points at the same one). */
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '']);

const OURS_BIN = path.join(repo, 'servers/postgres/dist/main.js');
const PEER_BIN = path.join(repo, 'test/node_modules/@modelcontextprotocol/server-postgres/dist/index.js');

/** The admin URL (a database in it is created and dropped), and where it came from. */
function adminUrl() {
  for (const name of ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL']) {
    if (process.env[name]) return { url: process.env[name], from: name };
  }
  return { url: DEFAULT_ADMIN_URL, from: 'the default' };
}

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Seeds the sample database and adds `big` (2,000,000 rows) and `tenk` (its first 10,000). */
async function prepareTables(url) {
  await seedSamplePostgres(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE big AS SELECT g AS id, md5(g::text) AS v, now() AS at FROM generate_series(1, ${BIG_ROWS}) g`,
    );
    await client.query(`CREATE TABLE tenk AS SELECT * FROM big WHERE id <= ${TENK_ROWS}`);
    await client.query('ANALYZE big');
    await client.query('ANALYZE tenk');
    const { rows } = await client.query(
      "SELECT version() AS version, pg_total_relation_size('big') AS big_bytes, (SELECT count(*) FROM big) AS big_rows",
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Runs the PostgreSQL bench and prints the table. */
export async function run() {
  if (!existsSync(OURS_BIN)) throw new Error(`ours: ${OURS_BIN} is missing; build it first`);
  if (!existsSync(PEER_BIN)) throw new Error(`peer: ${PEER_BIN} is missing; run pnpm install`);
  const admin = adminUrl();
  const host = new URL(admin.url).hostname;
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`${admin.from} names host "${host}"; the bench contacts loopback servers only`);
  }
  console.log(
    `database server: ${redact(admin.url)} (admin URL from ${admin.from}; a fresh database is created)`,
  );
  const db = await startTestPostgres({ TEST_DATABASE_URL: admin.url });
  if (db.kind !== 'postgres') {
    await db.close();
    throw new Error('the bench needs a real PostgreSQL server, not PGlite');
  }
  try {
    const prepared = await timed(() => prepareTables(db.url));
    const info = prepared.value;
    const version = String(info.version).split(' ').slice(0, 2).join(' ');
    const peerVersion = versionOf(path.join(path.dirname(PEER_BIN), '../package.json'));
    await runSqlBench({
      name: 'postgres',
      describe: [
        `database: ${redact(db.url)} on ${version}; sample shop + big (${Number(info.big_rows).toLocaleString('en-US')} rows, ` +
          `${formatBytes(Number(info.big_bytes))}) + tenk (${TENK_ROWS.toLocaleString('en-US')} rows), prepared in ${formatMs(prepared.ms)}`,
        `ours: --max-rows ${OURS_MAX_ROWS} --max-bytes ${OURS_MAX_BYTES} (pool size 4, the default); peer: the URL as its argument`,
      ],
      meta: { database: redact(db.url), server: version, bigBytes: Number(info.big_bytes) },
      sides: {
        ours: {
          label: '@bulwark/server-postgres',
          version: versionOf(path.join(repo, 'servers/postgres/package.json')),
          args: [OURS_BIN, '--max-rows', String(OURS_MAX_ROWS), '--max-bytes', String(OURS_MAX_BYTES)],
          env: { DATABASE_URL: db.url },
          tool: 'query',
          toolArgs: (sql) => ({ sql, max_rows: OURS_MAX_ROWS }),
          read: readOursResult,
        },
        peer: {
          label: '@modelcontextprotocol/server-postgres',
          version: peerVersion,
          args: [PEER_BIN, db.url],
          env: {},
          tool: 'query',
          toolArgs: (sql) => ({ sql }),
          read: (result) => {
            const rows = JSON.parse(textOf(result));
            return { count: rows.length, firstId: rows[0]?.id, truncated: false };
          },
        },
      },
      notes: [
        '\nours returns one page (--max-rows) with next_cursor; the peer returns every row as one pretty-printed JSON text.',
        'Item 4 runs on fresh servers through a bare JSON-RPC line client; its time includes receiving and parsing the response.',
      ],
    });
  } finally {
    await db.close();
  }
}
