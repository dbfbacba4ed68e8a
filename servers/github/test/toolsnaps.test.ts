import { readFileSync } from 'node:fs';
import { type LoopbackGitHubApi, type StdioSession, startGitHubApi, toolSnapshots } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../src/tools/index.js';
import { startGitHub } from './helpers.js';

// Every tool's definition as a client sees it (tools/list), committed under __toolsnaps__/, so a
// schema or description change is always a visible, reviewed diff. Update with `vitest -u`.
let api: LoopbackGitHubApi;
let defaults: StdioSession;
let everything: StdioSession;

beforeAll(async () => {
  api = await startGitHubApi({}, { scopes: null });
  [defaults, everything] = await Promise.all([
    startGitHub(api, []),
    startGitHub(api, ['--toolsets', 'all', '--allow-write']),
  ]);
});

afterAll(async () => {
  await defaults?.close();
  await everything?.close();
  await api?.close();
});

describe('tool definitions', () => {
  it('match the committed snapshots and stay within the definition budgets', async () => {
    const all = await toolSnapshots([everything.client]);
    for (const [name, snapshot] of all.snapshots) {
      await expect(snapshot).toMatchFileSnapshot(`../__toolsnaps__/${name}.json`);
    }
    expect(all.snapshots.size).toBe(33);
    // Budgets set from the measured sizes (default 21.5 KB, everything 35.3 KB): growth past them
    // needs a deliberate decision here. The archived TypeScript server lists 26 tools in 15.5 KB.
    const defaultSet = await toolSnapshots([defaults.client]);
    expect(defaultSet.largestListBytes).toBeLessThan(22 * 1024);
    expect(all.largestListBytes).toBeLessThan(36 * 1024);
  });

  it('declares every tool with a title, a description, all four annotations and an output schema', async () => {
    const { tools } = await everything.client.listTools();
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z_]*$/);
      expect(tool.title).toBeTruthy();
      expect(tool.description?.length ?? 0).toBeGreaterThan(30);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      expect(tool.annotations?.openWorldHint).toBe(true);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.inputSchema).not.toHaveProperty('anyOf');
      expect(tool.inputSchema).not.toHaveProperty('oneOf');
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [field, schema] of Object.entries(properties)) {
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
  });
});

describe('README', () => {
  it('lists every tool with its toolset and kind between the tools markers', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- tools:start -->'), readme.indexOf('<!-- tools:end -->'));
    // Generated rows (pnpm docs): | `tool` | title | toolset | what it does | RO | D | I | OW | enabled by |
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, name, , toolset, , readOnly]) => [
        name?.replaceAll('`', ''),
        toolset,
        readOnly === '✓' ? 'read' : 'write',
      ]);
    expect(rows).toEqual(
      ALL_TOOLS.map((tool) => [tool.name, tool.toolset, tool.annotations.readOnlyHint ? 'read' : 'write']),
    );
  });
});
