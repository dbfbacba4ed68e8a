import { type StdioSession, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createTempDir, startSqlite, type TempDir } from './helpers.js';

// Every tool's definition as a client sees it, committed under __toolsnaps__/ so a schema or
// description change is a reviewed diff; write mode too, so execute is covered. `vitest -u` updates.
let dir: TempDir;
let sessions: { mode: string; session: StdioSession }[] = [];

beforeAll(async () => {
  dir = createTempDir();
  const file = dir.path('snap.sqlite');
  createDatabase(file, (db) => db.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY)').run());
  sessions = [
    { mode: 'read', session: await startSqlite([file]) },
    { mode: 'write', session: await startSqlite([file, '--allow-write']) },
  ];
});

afterAll(async () => {
  for (const { session } of sessions) await session.close();
  dir.remove();
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
