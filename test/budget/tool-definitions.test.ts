import { type StdioSession, startStdioServer } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, SERVER_NAMES, type ServerName, startFixture } from '../fuzz/targets.js';
import { TOOL_DEFINITION_BUDGETS } from './budgets.js';

// Starts every server in each of its modes with a real MCP client and holds the size of its
// tools/list (the `tools` array as compact JSON, in UTF-8 bytes) to the budget in budgets.ts.

/** One measured mode. */
interface Measurement {
  server: ServerName;
  mode: string;
  tools: number;
  bytes: number;
  budget: number | undefined;
}

const fixtures = new Map<ServerName, Fixture>();
const measurements: Measurement[] = [];

async function measure(server: ServerName, fixture: Fixture): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const [mode, spec] of Object.entries(fixture.modes)) {
    let session: StdioSession | undefined;
    try {
      session = await startStdioServer({ args: spec.args, env: spec.env ?? {} });
      const { tools } = await session.client.listTools();
      results.push({
        server,
        mode,
        tools: tools.length,
        bytes: Buffer.byteLength(JSON.stringify(tools), 'utf8'),
        budget: TOOL_DEFINITION_BUDGETS[server][mode],
      });
    } finally {
      await session?.close();
    }
  }
  return results;
}

beforeAll(async () => {
  for (const server of SERVER_NAMES) fixtures.set(server, await startFixture(server));
  const all = await Promise.all(SERVER_NAMES.map((server) => measure(server, fixtures.get(server)!)));
  measurements.push(...all.flat());
  console.log(
    [
      'tools/list size by server and mode (compact JSON, bytes):',
      ...measurements.map(
        ({ server, mode, tools, bytes, budget }) =>
          `  ${`${server} ${mode}`.padEnd(26)} ${String(tools).padStart(3)} tools ${String(bytes).padStart(7)} B` +
          `  budget ${budget ?? 'none'}${budget ? ` (${Math.round((100 * bytes) / budget)}% used)` : ''}`,
      ),
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  for (const fixture of fixtures.values()) await fixture.close();
});

describe('tool-definition budget', () => {
  it('has a budget for every mode every server is started in, and no budget for a mode that is not', () => {
    const measured = measurements.map(({ server, mode }) => `${server} ${mode}`).sort();
    const budgeted = SERVER_NAMES.flatMap((server) =>
      Object.keys(TOOL_DEFINITION_BUDGETS[server]).map((mode) => `${server} ${mode}`),
    ).sort();
    expect(measured).toEqual(budgeted);
  });

  it('keeps every tools/list within its budget', () => {
    const over = measurements
      .filter(({ bytes, budget }) => budget === undefined || bytes > budget)
      .map(({ server, mode, bytes, budget }) => `${server} ${mode}: ${bytes} B, budget ${budget}`);
    expect(over, 'over budget; see budgets.ts for how to raise one').toEqual([]);
  });

  it('lists more tools, and more bytes, in the modes that add tools', () => {
    const size = (server: ServerName, mode: string) =>
      measurements.find((entry) => entry.server === server && entry.mode === mode);
    for (const [server, smaller, larger] of [
      ['filesystem', 'read', 'write'],
      ['sqlite', 'read', 'write'],
      ['postgres', 'read', 'write'],
      ['github', 'default', 'default+write'],
      ['github', 'default', 'all'],
      ['github', 'all', 'all+write'],
      ['slack', 'read', 'read+search'],
      ['slack', 'read+search', 'post:*'],
      ['slack', 'post:*', 'post:*+edit'],
    ] as const) {
      const a = size(server, smaller);
      const b = size(server, larger);
      expect(b?.tools, `${server}: ${larger} vs ${smaller}`).toBeGreaterThan(
        a?.tools ?? Number.POSITIVE_INFINITY,
      );
      expect(b?.bytes, `${server}: ${larger} vs ${smaller}`).toBeGreaterThan(
        a?.bytes ?? Number.POSITIVE_INFINITY,
      );
    }
  });
});
