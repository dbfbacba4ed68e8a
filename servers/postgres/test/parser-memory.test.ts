import { readFileSync } from 'node:fs';
import { type StdioSession, startTestPostgres, type TestPostgres, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startPostgresServer } from './helpers.js';

// The read-only guard's parser is WebAssembly. The bin keeps it on V8's baseline tier, with flags
// it sets right before the parser first loads (not at startup, where they slowed every start).
// Without them, V8 recompiles the hot parser with its optimising tier after about a thousand
// statements, and the server's resident peak rose from about 120 MiB to about 680 MiB (measured
// with this workload on Node 24).
let db: TestPostgres;
let session: StdioSession;

/** Statements sent: enough for V8 to tier up the parser when nothing stops it. */
const STATEMENTS = 1500;
/** Sent at once; each is refused by the guard, so none reaches the database. */
const BATCH = 50;

beforeAll(async () => {
  db = await startTestPostgres();
  session = await startPostgresServer(db.url, ['--pool-size', String(db.maxPoolSize)]);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await db?.close();
});

/** The resident high-water mark (VmHWM) of a process, in MiB. */
function peakMiB(pid: number): number {
  const kib = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

describe('the guard parser under load', () => {
  it(`parses ${STATEMENTS} statements with the resident peak of the server under 300 MiB`, async () => {
    const refusals = new Set<string>();
    for (let sent = 0; sent < STATEMENTS; sent += BATCH) {
      const results = await Promise.all(
        Array.from({ length: BATCH }, (_, index) =>
          call(session, 'query', {
            sql: `WITH recent AS (SELECT id, sum(total) OVER (PARTITION BY region ORDER BY placed_at) FROM orders) DELETE FROM orders WHERE id = ${sent + index} AND note ILIKE '%x%'`,
          }),
        ),
      );
      for (const result of results) {
        expect(result.isError).toBe(true);
        refusals.add(textOf(result).replace(/\d+/g, 'N'));
      }
    }
    // Every statement went through the parser and was refused by the same rule.
    expect(refusals.size).toBe(1);
    expect([...refusals][0]).toMatch(/sql:statement-kind/);
    expect(peakMiB(session.pid as number)).toBeLessThan(300);
  });
});
