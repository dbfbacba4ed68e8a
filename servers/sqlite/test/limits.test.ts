import { type StdioSession, structuredOf, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createDatabase,
  createTempDir,
  descendants,
  isAlive,
  startSqlite,
  type TempDir,
  treeRss,
  waitFor,
} from './helpers.js';

const RUNAWAY = 'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r';

let temp: TempDir;
let file: string;
let session: StdioSession;

beforeAll(async () => {
  temp = createTempDir();
  file = temp.path('big.sqlite');
  createDatabase(file, (db) => {
    db.exec(`
      CREATE TABLE big (id INTEGER PRIMARY KEY, label TEXT NOT NULL, value REAL);
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000000)
        INSERT INTO big SELECT i, 'row number ' || i, i * 0.5 FROM c;
    `);
  });
  session = await startSqlite(['--timeout', '2', file]);
});

afterAll(async () => {
  await session?.close();
  temp?.remove();
});

describe('time limit', () => {
  it('stops a runaway query at --timeout 2, kills the process that ran it, and keeps serving', async () => {
    await call(session, 'query', { sql: 'SELECT 1' });
    const [runner] = descendants(session.pid!);
    expect(runner).toBeDefined();
    const started = Date.now();
    const result = await call(session, 'query', { sql: RUNAWAY });
    const elapsed = Date.now() - started;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'The query ran past its 2 s limit and was stopped; narrow it or raise --timeout.',
    );
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(4000);
    // A worker thread could not be stopped inside sqlite3_step; the process that ran it is gone.
    expect(await waitFor(() => !isAlive(runner!))).toBe(true);
    const after = await call(session, 'query', { sql: 'SELECT count(*) AS n FROM big WHERE id <= 10' });
    expect(structuredOf<{ rows: unknown[][] }>(after).rows).toEqual([[10]]);
  });

  it('runs a call queued behind a runaway query once the runaway is stopped', async () => {
    const started = Date.now();
    const runaway = call(session, 'query', { sql: RUNAWAY });
    const queued = call(session, 'query', { sql: 'SELECT 42' });
    const [first, second] = await Promise.all([runaway, queued]);
    expect(first.isError).toBe(true);
    expect(structuredOf<{ rows: unknown[][] }>(second).rows).toEqual([[42]]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await call(session, 'query', { sql: 'SELECT 7' })).isError).toBeFalsy();
  });
});

describe('cancellation', () => {
  it('stops a running query when the client cancels the request', async () => {
    await call(session, 'query', { sql: 'SELECT 1' });
    const [runner] = descendants(session.pid!);
    const controller = new AbortController();
    const pending = session.client.callTool(
      { name: 'query', arguments: { sql: RUNAWAY } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(pending).rejects.toThrow();
    expect(await waitFor(() => !isAlive(runner!), 1500)).toBe(true);
    expect((await call(session, 'query', { sql: 'SELECT 1' })).isError).toBeFalsy();
  });
});

describe('large results', () => {
  it('SELECT * on a 2,000,000-row table returns one capped page without materialising the result', async () => {
    // Warm up: the query process has loaded and run a statement before the first measurement.
    await call(session, 'query', { sql: 'SELECT * FROM big LIMIT 5' });
    const before = treeRss(session.pid!);
    const page = structuredOf<{
      rows: unknown[][];
      truncated: boolean;
      truncated_by?: string;
      next_cursor?: string;
    }>(await call(session, 'query', { sql: 'SELECT * FROM big' }));
    const after = treeRss(session.pid!);
    expect(page.rows).toHaveLength(1000);
    expect(page.rows[999]).toEqual([1000, 'row number 1000', 500]);
    expect(page.truncated).toBe(true);
    expect(page.truncated_by).toBe('rows');
    expect(page.next_cursor).toBeTruthy();
    // Server and query process together. Precise memory figures belong to the benchmark; this
    // bound only proves the result is not materialised (2,000,000 rows as JS arrays take far more
    // than 100 MB).
    expect(after - before).toBeLessThan(100 * 1024 * 1024);
  });
});
