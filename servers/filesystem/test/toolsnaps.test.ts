import { createTempTree, type StdioSession, type TempTree } from '@bulwark/testkit';
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
  it('match the committed snapshots', async () => {
    const { tools } = await session.client.listTools();
    for (const tool of tools) {
      await expect(`${JSON.stringify(tool, null, 2)}\n`).toMatchFileSnapshot(
        `../__toolsnaps__/${tool.name}.json`,
      );
    }
  });

  it('stay within the definition budget (bytes of tools/list)', async () => {
    const { tools } = await session.client.listTools();
    // 16 tools with input and output schemas measured 28.6 KB when this budget was set; growth
    // past 32 KiB needs a deliberate decision here, not a silent drift.
    expect(JSON.stringify(tools).length).toBeLessThan(32 * 1024);
  });
});
