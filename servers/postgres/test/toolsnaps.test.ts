import { type StdioSession, startTestPostgres, type TestPostgres, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from './helpers.js';

// Every tool's definition as a client sees it, committed under __toolsnaps__/ so a schema or
// description change is a reviewed diff; write mode too, so execute is covered. `vitest -u` updates.
let db: TestPostgres;
let sessions: { mode: string; session: StdioSession }[] = [];

beforeAll(async () => {
  db = await startTestPostgres();
  const pool = ['--pool-size', String(db.maxPoolSize)];
  sessions = [
    { mode: 'read', session: await startPostgresServer(db.url, pool) },
    { mode: 'write', session: await startPostgresServer(db.url, ['--allow-write', ...pool]) },
  ];
}, 120_000);

afterAll(async () => {
  for (const { session } of sessions) await session.close();
  await db?.close();
});

describe('tool definitions', () => {
  it('match the committed snapshots and stay within the definition budget', async () => {
    const { snapshots, largestListBytes } = await toolSnapshots(
      sessions.map((entry) => entry.session.client),
    );
    for (const [name, snapshot] of snapshots) {
      await expect(snapshot).toMatchFileSnapshot(`../__toolsnaps__/${name}.json`);
    }
    expect(largestListBytes).toBeLessThan(16 * 1024);
  });
});
