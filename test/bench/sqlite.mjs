// Side-by-side benchmark: @bulwark/server-sqlite against @bytebase/dbhub (the most used
// TypeScript SQLite MCP server on npm; the official SQLite reference server is Python and
// archived), both started over stdio with a real MCP client on the same SQLite file in one run.
// Prints medians and ratios; writes JSON to .bench-data/sqlite-results.json. The items are in
// sql-bench.mjs. Without the peer installed, ours runs alone.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createSampleSqlite, textOf } from '@bulwark/testkit';
import { formatBytes, formatMs, timed } from './lib.mjs';
import {
  BIG_ROWS,
  dataDir,
  OURS_MAX_BYTES,
  OURS_MAX_ROWS,
  readOursResult,
  repo,
  runSqlBench,
  TENK_ROWS,
  versionOf,
} from './sql-bench.mjs';

// better-sqlite3 is a dependency of the testkit, not (yet) of the test package.
const Database = createRequire(path.join(repo, 'shared/testkit/package.json'))('better-sqlite3');

const DB_FILE = path.join(dataDir, 'sqlite-bench.db');
const PEER_CONFIG = path.join(dataDir, 'sqlite-dbhub.toml');
const OURS_BIN = path.join(repo, 'servers/sqlite/dist/main.js');
const PEER_NAME = '@bytebase/dbhub';
const PEER_PIN = '1.4.0';
/** The test package's dependency when it is pinned there, else a scratch install in .bench-data/peers. */
const PEER_DIRS = [
  path.join(repo, 'test/node_modules/@bytebase/dbhub'),
  path.join(dataDir, 'peers/node_modules/@bytebase/dbhub'),
];

/** Counts of the tables the bench needs, or null when the file is missing or incomplete. */
function tableCounts(file) {
  if (!existsSync(file)) return null;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const count = (table) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
      return { customers: count('customers'), big: count('big'), tenk: count('tenk') };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * Creates the database file once: the sample shop, then `big` (2,000,000 rows of id, a 32-digit
 * hex string as wide as an md5, and a timestamp) from a recursive CTE, and `tenk`, its first
 * 10,000 rows. Built under a temporary name and renamed, so an interrupted run leaves no half file.
 */
async function prepareDatabase() {
  const counts = tableCounts(DB_FILE);
  if (counts && counts.big === BIG_ROWS && counts.tenk === TENK_ROWS && counts.customers > 0) return null;
  console.log(`generating ${DB_FILE} ...`);
  const temporary = `${DB_FILE}.tmp`;
  rmSync(temporary, { force: true });
  const built = await timed(async () => {
    await createSampleSqlite(temporary);
    const db = new Database(temporary);
    try {
      db.exec(`
        CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL, at TEXT NOT NULL);
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${BIG_ROWS})
          INSERT INTO big (id, v, at)
          SELECT n, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM g;
        CREATE TABLE tenk AS SELECT * FROM big WHERE id <= ${TENK_ROWS};
        ANALYZE;
      `);
    } finally {
      db.close();
    }
    renameSync(temporary, DB_FILE);
  });
  return built.ms;
}

function findPeer() {
  for (const dir of PEER_DIRS) {
    const bin = path.join(dir, 'dist/index.js');
    if (existsSync(bin)) return { bin, version: versionOf(path.join(dir, 'package.json')) };
  }
  return null;
}

/** dbhub's result: `{ success, data: { statements: [{ rows, count }] } }` as pretty-printed JSON text. */
function readPeerResult(result) {
  const body = JSON.parse(textOf(result));
  if (!body.success) throw new Error(`peer: ${body.error ?? 'no success'}`);
  const rows = body.data.statements[0].rows;
  return { count: rows.length, firstId: rows[0]?.id, truncated: false };
}

/** Runs the SQLite bench and prints the table. */
export async function run() {
  if (!existsSync(OURS_BIN)) throw new Error(`ours: ${OURS_BIN} is missing; build it first`);
  const builtMs = await prepareDatabase();
  const size = statSync(DB_FILE).size;
  const peer = findPeer();
  // Read-only, as ours is: dbhub's execute_sql writes unless a config file says `readonly = true`
  // (its --readonly flag is gone); without max_rows it returns every row.
  writeFileSync(
    PEER_CONFIG,
    `[[sources]]\nid = "default"\ndsn = "sqlite://${DB_FILE}"\n\n[[tools]]\nname = "execute_sql"\nsource = "default"\nreadonly = true\n`,
  );
  const describe = [
    `database: ${path.relative(repo, DB_FILE)} (${formatBytes(size)}; sample shop + big ${BIG_ROWS.toLocaleString('en-US')} rows + tenk ` +
      `${TENK_ROWS.toLocaleString('en-US')} rows${builtMs === null ? ', reused' : `, generated in ${formatMs(builtMs)}`})`,
    `ours: --max-rows ${OURS_MAX_ROWS} --max-bytes ${OURS_MAX_BYTES}; ` +
      (peer
        ? `peer: ${PEER_NAME}@${peer.version} --transport stdio --config ${path.relative(repo, PEER_CONFIG)} (execute_sql, readonly = true)`
        : 'peer: none'),
  ];
  if (!peer) {
    console.log(
      `peer ${PEER_NAME} is not installed; ours runs alone. To compare: mkdir -p .bench-data/peers && cd .bench-data/peers && ` +
        `echo '{"private":true}' > package.json && npm install --no-audit --no-fund ${PEER_NAME}@${PEER_PIN}`,
    );
  }
  await runSqlBench({
    name: 'sqlite',
    describe,
    meta: { database: path.relative(repo, DB_FILE), databaseBytes: size },
    sides: {
      ours: {
        label: '@bulwark/server-sqlite',
        version: versionOf(path.join(repo, 'servers/sqlite/package.json')),
        args: [OURS_BIN, '--max-rows', String(OURS_MAX_ROWS), '--max-bytes', String(OURS_MAX_BYTES), DB_FILE],
        env: {},
        tool: 'query',
        toolArgs: (sql) => ({ sql, max_rows: OURS_MAX_ROWS }),
        read: readOursResult,
      },
      peer: peer && {
        label: PEER_NAME,
        version: peer.version,
        args: [peer.bin, '--transport', 'stdio', '--config', PEER_CONFIG],
        env: {},
        tool: 'execute_sql',
        toolArgs: (sql) => ({ sql }),
        read: readPeerResult,
      },
    },
    notes: [
      '\nours returns one page (--max-rows) with next_cursor, read in its query process; the peer (node:sqlite, in process)',
      'returns every row as one pretty-printed JSON text. Memory figures are summed over the process tree.',
      'Item 4 runs on fresh servers through a bare JSON-RPC line client; its time includes receiving and parsing the response.',
    ],
  });
}
