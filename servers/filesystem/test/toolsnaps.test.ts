import { createTempTree, type StdioSession, type TempTree, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFilesystem } from './helpers.js';

// Every tool's definition as a client sees it (tools/list), committed under __toolsnaps__/, so a
// schema or description change is always a visible, reviewed diff. Update with `vitest -u`.
let tree: TempTree;
let session: StdioSession;

beforeAll(async () => {
  tree = await createTempTree();
  session = await startFilesystem([tree.dir]);
});

afterAll(async () => {
  await session.close();
  await tree.remove();
});

describe('tool definitions', () => {
  it('match the committed snapshots and stay within the definition budget', async () => {
    const { snapshots, largestListBytes } = await toolSnapshots([session.client]);
    for (const [name, snapshot] of snapshots) {
      await expect(snapshot).toMatchFileSnapshot(`../__toolsnaps__/${name}.json`);
    }
    // 16 tools with input and output schemas measured 26.2 KB when this budget was set; growth
    // past 32 KiB needs a deliberate decision here, not a silent drift.
    expect(largestListBytes).toBeLessThan(32 * 1024);
  });
});
