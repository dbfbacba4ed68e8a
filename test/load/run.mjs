// Load benchmark of the Streamable HTTP transport: `pnpm load` (builds first) or
// `node test/load/run.mjs` on built packages. Not a test: it prints figures, and exits 1 only when
// a check fails (an error under load, or a rate limit that does not hold across instances).
//
// 1. The filesystem and SQLite servers, each behind `--http` with a static bearer token and the
//    per-call audit log on, take LOAD_CALLS calls in all (default 50,000, split evenly) from
//    LOAD_CLIENTS concurrent clients (default 100; half 2025-11-25, half 2026-07-28): zero errors.
// 2. Two SQLite instances behind nginx (Debian's package, installed when missing) on loopback
//    ports, with limits shared through Redis (LOAD_REDIS_URL, default redis://127.0.0.1:6379):
//    LOAD_NGINX_CALLS unlimited calls (default 10,000) with zero errors, then LOAD_LIMIT_CALLS
//    calls (default 1,000) of a tool limited to LOAD_LIMIT per subject (default 200): exactly
//    LOAD_LIMIT are allowed in all, and both instances served some of them.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSampleSqlite, createTempTree, startHttpServer } from '@bulwark/testkit';
import { describeRun, ensureNginx, metricValue, runLoad, say, setting, startNginx } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILESYSTEM_BIN = path.join(root, 'servers/filesystem/dist/main.js');
const SQLITE_BIN = path.join(root, 'servers/sqlite/dist/main.js');
const TOKEN = `load-${randomUUID()}-${randomUUID()}`;
const CALLS = setting('LOAD_CALLS', 50_000);
const CLIENTS = setting('LOAD_CLIENTS', 100);
const NGINX_CALLS = setting('LOAD_NGINX_CALLS', 10_000);
const LIMIT = setting('LOAD_LIMIT', 200);
const LIMIT_CALLS = setting('LOAD_LIMIT_CALLS', 1_000);
const REDIS_URL = process.env.LOAD_REDIS_URL ?? 'redis://127.0.0.1:6379';

const failures = [];
function check(condition, message) {
  say(`  ${condition ? 'ok  ' : 'FAIL'} ${message}`);
  if (!condition) failures.push(message);
}

const files = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`docs/note-${i}.md`, `# Note ${i}\n${'text '.repeat(40)}\n`]),
);
const tree = await createTempTree(files, 'bulwark-load-');
await createSampleSqlite(tree.path('shop.db'));
const started = [];
const serverEnv = (extra = {}) => ({ BULWARK_HTTP_TOKEN: TOKEN, ...extra });

say(
  `Bulwark HTTP load benchmark: ${CLIENTS} concurrent clients, ${CALLS} calls in all, node ${process.version}, ${cpus().length} CPUs`,
);
try {
  // Phase 1: one instance of each server, direct.
  say('\n== Direct: filesystem and SQLite over Streamable HTTP (static token, audit log to a file) ==');
  const fsAudit = tree.path('fs-audit.jsonl');
  const filesystem = await startHttpServer({
    args: [FILESYSTEM_BIN, '--read-only', tree.path('docs')],
    env: serverEnv({ BULWARK_HTTP_AUDIT_LOG: fsAudit }),
  });
  started.push(filesystem);
  const fsRun = await runLoad({
    url: filesystem.url,
    token: TOKEN,
    clients: CLIENTS,
    calls: Math.ceil(CALLS / 2),
    makeCall: (client, i) =>
      client.callTool({ name: 'read_text_file', arguments: { path: `note-${i % 20}.md` } }),
  });
  say(describeRun('filesystem read_text_file', fsRun));
  check(
    fsRun.errors === 0,
    `filesystem: zero errors${fsRun.samples.length ? ` (first: ${fsRun.samples[0]})` : ''}`,
  );
  const auditLines = readFileSync(fsAudit, 'utf8').trimEnd().split('\n');
  check(
    auditLines.length === fsRun.calls,
    `filesystem: ${auditLines.length} audit lines, one per call, subject ${JSON.parse(auditLines[0]).subject}`,
  );
  check((await filesystem.stop('SIGTERM')) === 0, 'filesystem: SIGTERM drains and exits 0');

  const sqlite = await startHttpServer({
    args: [SQLITE_BIN, tree.path('shop.db')],
    env: serverEnv({ BULWARK_HTTP_AUDIT_LOG: tree.path('sqlite-audit.jsonl') }),
  });
  started.push(sqlite);
  const sqliteRun = await runLoad({
    url: sqlite.url,
    token: TOKEN,
    clients: CLIENTS,
    calls: Math.floor(CALLS / 2),
    makeCall: (client, i) =>
      client.callTool({
        name: 'query',
        arguments: { sql: 'SELECT id, name, city FROM customers WHERE id = ?', params: [(i % 50) + 1] },
      }),
  });
  say(describeRun('sqlite query', sqliteRun));
  check(
    sqliteRun.errors === 0,
    `sqlite: zero errors${sqliteRun.samples.length ? ` (first: ${sqliteRun.samples[0]})` : ''}`,
  );
  check((await sqlite.stop('SIGTERM')) === 0, 'sqlite: SIGTERM drains and exits 0');
  const total = fsRun.calls + sqliteRun.calls;
  const seconds = fsRun.seconds + sqliteRun.seconds;
  say(
    `all direct: ${total} calls, ${fsRun.errors + sqliteRun.errors} errors, ${(total / seconds).toFixed(0)} calls/s overall`,
  );

  // Phase 2: two instances behind nginx, limits shared through Redis.
  say(`\n== Behind nginx: two SQLite instances, rate limits shared through ${REDIS_URL} ==`);
  const nginxBinary = ensureNginx();
  const prefix = `bulwark-load-${randomUUID()}`;
  const instanceArgs = [
    SQLITE_BIN,
    tree.path('shop.db'),
    '--rate-limit-tool',
    `list_tables=${LIMIT}`,
    '--rate-limit-window',
    '3600',
    '--rate-limit-prefix',
    prefix,
  ];
  const instances = [];
  for (let i = 0; i < 2; i += 1) {
    const instance = await startHttpServer({
      args: instanceArgs,
      env: serverEnv({ BULWARK_RATE_LIMIT_STORE: REDIS_URL, BULWARK_HTTP_AUDIT_LOG: 'off' }),
    });
    started.push(instance);
    instances.push(instance);
  }
  const shared = instances.every((instance) => /rate limits shared through/.test(instance.stderr()));
  check(
    shared,
    `both instances use the shared store${shared ? '' : ` (stderr: ${instances[0].stderr().trim()})`}`,
  );
  const nginx = await startNginx(
    nginxBinary,
    tree.path('nginx'),
    instances.map((instance) => new URL(instance.url).port),
  );
  try {
    const proxied = await runLoad({
      url: nginx.url,
      token: TOKEN,
      clients: CLIENTS,
      calls: NGINX_CALLS,
      makeCall: (client, i) =>
        client.callTool({
          name: 'query',
          arguments: { sql: 'SELECT count(*) FROM orders WHERE customer_id = ?', params: [(i % 50) + 1] },
        }),
    });
    say(describeRun('nginx -> 2 x sqlite query', proxied));
    check(
      proxied.errors === 0,
      `behind nginx: zero errors${proxied.samples.length ? ` (first: ${proxied.samples[0]})` : ''}`,
    );
    const served = [];
    for (const instance of instances) {
      const text = await (await fetch(`${instance.origin}/metrics`)).text();
      served.push(metricValue(text, /^bulwark_tool_calls_total\{tool="query",outcome="ok"/));
    }
    check(
      served.every((count) => count > 0),
      `both instances served queries (${served.join(' + ')})`,
    );

    const limited = await runLoad({
      url: nginx.url,
      token: TOKEN,
      clients: Math.min(CLIENTS, 20),
      calls: LIMIT_CALLS,
      makeCall: (client) => client.callTool({ name: 'list_tables', arguments: {} }),
      countAsError: (result) =>
        result.isError && !/^Rate limit reached/.test(result.content?.[0]?.text ?? ''),
    });
    const allowed = limited.results.filter((result) => result && !result.isError).length;
    const refused = limited.results.filter((result) =>
      /^Rate limit reached/.test(result?.content?.[0]?.text ?? ''),
    ).length;
    say(describeRun('nginx -> 2 x sqlite list_tables', limited));
    const perInstance = [];
    for (const instance of instances) {
      const text = await (await fetch(`${instance.origin}/metrics`)).text();
      perInstance.push(metricValue(text, /^bulwark_tool_calls_total\{tool="list_tables",outcome="ok"/));
    }
    check(limited.errors === 0, 'rate-limited run: no errors besides the limit');
    check(
      allowed === LIMIT && refused === LIMIT_CALLS - LIMIT,
      `limit ${LIMIT} per subject holds across both instances: ${allowed} allowed (${perInstance.join(' + ')} per instance), ${refused} refused with a retry time`,
    );
    check(
      perInstance.every((count) => count > 0),
      'both instances allowed some of the limited calls',
    );
  } finally {
    await nginx.stop();
  }
} catch (error) {
  failures.push(String(error?.stack ?? error));
  say(`FAIL ${error?.stack ?? error}`);
} finally {
  await Promise.all(started.map((server) => server.stop('SIGTERM').catch(() => {})));
  await tree.remove();
}
say(failures.length === 0 ? '\nall checks held' : `\n${failures.length} check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
