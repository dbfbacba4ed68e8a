// The fuzz suite every server runs (one test file per server calls defineFuzzSuite). One
// long-lived process per era and mode receives every frame; after each frame it must still
// answer (ping, or tools/list on the 2026-07-28 era) within the deadline, every stdout line must
// have been a JSON-RPC message, and each answer must be the one the frame calls for.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyFrame, openingFrame, request, sessionFrame, type ToolShape } from './frame-arbitraries.js';
import { checkReply, exchange, type Frame, idMode, materialize } from './frames.js';
import { preview } from './json-rpc.js';
import { type Era, RawServer } from './raw-server.js';
import { invalidValue, validValue } from './schema-arbitraries.js';
import { fuzzParameters } from './settings.js';
import { type Fixture, type ServerName, startFixture } from './targets.js';

/** What the valid-shaped property saw, for the summary line. */
interface CallStats {
  calls: number;
  succeeded: number;
  refused: number;
}

/**
 * Defines the fuzz suite of one server: malformed and unexpected JSON-RPC frames in both eras,
 * 1–5 MB and 10k-deep inputs, frames before the handshake on fresh connections, tool arguments
 * the input schemas refuse (every tool, both eras, and 1–5 MB strings), and random valid-shaped
 * calls of every read tool.
 *
 * @param name - the server
 */
export function defineFuzzSuite(name: ServerName): void {
  describe(`fuzz: ${name}`, () => {
    let fixture: Fixture;
    let legacy: RawServer;
    let modern: RawServer;
    let writer: RawServer | undefined;
    let tools: ToolShape[];
    const started: RawServer[] = [];

    const start = async (mode: string, era: Era, handshake = true) => {
      const spec = fixture.modes[mode];
      if (!spec) throw new Error(`${name} has no mode ${mode}`);
      const server = await RawServer.start(spec, era, { handshake });
      started.push(server);
      return server;
    };

    beforeAll(async () => {
      fixture = await startFixture(name);
      [legacy, modern] = await Promise.all([
        start(fixture.fuzzRead, 'legacy'),
        start(fixture.fuzzRead, 'modern'),
      ]);
      if (fixture.fuzzWrite) writer = await start(fixture.fuzzWrite, 'legacy');
      tools = (await legacy.tools()) as ToolShape[];
    }, 60_000);

    afterAll(async () => {
      for (const server of started) await server.close();
      await fixture?.close();
    });

    const settle = async (server: RawServer) => {
      expect(server.alive, `server exited; stderr: ${server.stderr()}`).toBe(true);
      expect(await server.toolNames()).toEqual(server.initialTools);
      expect(server.faults).toEqual([]);
    };

    it('drops, refuses or answers malformed and unexpected frames (2025-11-25 era)', async () => {
      await fc.assert(
        fc.asyncProperty(sessionFrame('legacy', tools), async (frame) => {
          await exchange(legacy, frame);
        }),
        fuzzParameters(200),
      );
      await settle(legacy);
    }, 120_000);

    it('drops, refuses or answers malformed and unexpected frames (2026-07-28 era)', async () => {
      await fc.assert(
        fc.asyncProperty(sessionFrame('modern', tools), async (frame) => {
          await exchange(modern, frame);
        }),
        fuzzParameters(150),
      );
      await settle(modern);
    }, 120_000);

    it('survives 1–5 MB strings and values nested 10,000 deep anywhere in a frame', async () => {
      const era = fc.constantFrom<Era>('legacy', 'modern');
      await fc.assert(
        fc.asyncProperty(
          era.chain((which) => heavyFrame(which, tools).map((frame) => ({ which, frame }))),
          async ({ which, frame }) => {
            await exchange(which === 'legacy' ? legacy : modern, frame);
          },
        ),
        fuzzParameters(12),
      );
      await settle(legacy);
      await settle(modern);
    }, 120_000);

    it('handles frames sent before the handshake on a fresh connection, then opens normally', async () => {
      const era = fc.constantFrom<Era>('legacy', 'modern');
      await fc.assert(
        fc.asyncProperty(
          era.chain((which) =>
            fc
              .array(openingFrame(which, tools), { minLength: 1, maxLength: 4 })
              .map((frames) => ({ which, frames })),
          ),
          async ({ which, frames }) => {
            const fresh = await start(fixture.fuzzRead, which, false);
            try {
              for (const frame of frames) await exchangeBeforeOpen(fresh, frame);
              await fresh.open();
              await fresh.assertResponsive();
              expect(fresh.initialTools).toEqual(legacy.initialTools);
              expect(fresh.faults).toEqual([]);
              // Every unreadable frame drew an id-null error (random text may draw several), and
              // nothing else did.
              const unreadable = frames.filter((frame) => frame.expect === 'unreadable').length;
              expect(fresh.nullIdErrors.length).toBeGreaterThanOrEqual(unreadable);
              if (unreadable === 0) expect(fresh.nullIdErrors).toEqual([]);
              expect(fresh.nullIdErrors.every((code) => code === -32700 || code === -32600)).toBe(true);
            } finally {
              await fresh.close();
            }
          },
        ),
        fuzzParameters(6),
      );
    }, 120_000);

    it('refuses arguments its input schema does not allow, for every tool (2025-11-25 era)', async () => {
      const server = writer ?? legacy;
      const all = (await server.tools()) as ToolShape[];
      await forEachTool(all, 150, 6, (tool) => refusedCall('legacy', tool, fixture, false), server);
      await settle(server);
    }, 120_000);

    it('refuses arguments its input schema does not allow, for every tool (2026-07-28 era)', async () => {
      await forEachTool(tools, 40, 2, (tool) => refusedCall('modern', tool, fixture, false), modern);
      await settle(modern);
    }, 120_000);

    it('refuses 1–5 MB strings in tool arguments whose schema caps their length', async () => {
      const server = writer ?? legacy;
      const all = (await server.tools()) as ToolShape[];
      const frames = all
        .map((tool) => refusedCall('legacy', tool, fixture, true))
        .filter((frame): frame is fc.Arbitrary<Frame> => frame !== undefined);
      expect(frames.length, 'tools with a length-capped string argument').toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.oneof(...frames), async (frame) => {
          await exchange(server, frame);
        }),
        fuzzParameters(6),
      );
      await settle(server);
    }, 120_000);

    it('answers random valid-shaped calls of every read tool with a result, never a crash or hang', async () => {
      const stats: CallStats = { calls: 0, succeeded: 0, refused: 0 };
      for (const tool of tools) {
        await fc.assert(
          fc.asyncProperty(validValue(tool.inputSchema, '', fixture.overrides), async (args) => {
            await checkValidCall(legacy, tool.name, args, stats);
          }),
          fuzzParameters(runsPerTool(tools, 150, 8)),
        );
      }
      await settle(legacy);
      process.stdout.write(
        `fuzz ${name}: ${stats.calls} valid-shaped calls over ${tools.length} tools: ` +
          `${stats.succeeded} results, ${stats.refused} isError refusals\n`,
      );
      expect(stats.calls).toBeGreaterThanOrEqual(tools.length);
    }, 120_000);
  });
}

/**
 * Frames that call one tool with arguments its schema refuses: an `isError` result for an
 * arguments object, a JSON-RPC error (-32602) for arguments that are not an object.
 */
function refusedCall(
  era: Era,
  tool: ToolShape,
  fixture: Fixture,
  huge: boolean,
): fc.Arbitrary<Frame> | undefined {
  const invalid = invalidValue(tool.inputSchema, '', fixture.overrides, { huge });
  return invalid?.map(({ value, fault }) => {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    return {
      label: `${tool.name}: ${preview(fault, 120)}`,
      body: { json: request(era, 'tools/call', { name: tool.name, arguments: value }) },
      id: 'number',
      expect: isObject ? 'tool-error' : 'protocol-error',
    };
  });
}

/** Runs per tool: `total` spread over the tools, at least `least` each. */
function runsPerTool(tools: readonly ToolShape[], total: number, least: number): number {
  return Math.max(least, Math.ceil(total / Math.max(1, tools.length)));
}

/**
 * Sends each tool frames from its own arbitrary, so every tool is covered whatever the seed:
 * `total` runs spread over the tools, at least `least` each. A tool whose schema refuses nothing
 * is skipped; at least one must refuse something.
 */
async function forEachTool(
  tools: readonly ToolShape[],
  total: number,
  least: number,
  frames: (tool: ToolShape) => fc.Arbitrary<Frame> | undefined,
  server: RawServer,
): Promise<void> {
  let covered = 0;
  for (const tool of tools) {
    const arbitrary = frames(tool);
    if (!arbitrary) continue;
    covered += 1;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (frame) => {
        await exchange(server, frame);
      }),
      fuzzParameters(runsPerTool(tools, total, least)),
    );
  }
  expect(covered, 'tools with arguments their schema refuses').toBeGreaterThan(0);
}

/**
 * Calls a tool with arguments its inputSchema allows. The answer must be a CallToolResult, never
 * a JSON-RPC error, and a refusal must be one the tool meant: not input validation (a schema
 * looser than its validator misleads every model that reads it), not an exception the tool did
 * not expect, nor a result that breaks its own outputSchema.
 */
async function checkValidCall(
  server: RawServer,
  tool: string,
  args: unknown,
  stats: CallStats,
): Promise<void> {
  const shown = preview(JSON.stringify(args), 300);
  const reply = await exchange(server, {
    label: `${tool} ${shown}`,
    body: { json: request(server.era, 'tools/call', { name: tool, arguments: args }) },
    id: 'number',
    expect: 'answered',
  });
  stats.calls += 1;
  if (reply?.kind !== 'result')
    throw new Error(`${tool} answered with a JSON-RPC error: ${JSON.stringify(reply)}`);
  if (reply.result.isError !== true) {
    stats.succeeded += 1;
    if (reply.result.structuredContent === undefined)
      throw new Error(`${tool} succeeded without structuredContent`);
    return;
  }
  stats.refused += 1;
  const text = (reply.result.content as { text?: string }[] | undefined)?.[0]?.text ?? '';
  if (text.startsWith('Input validation error')) {
    throw new Error(`${tool} refused arguments its inputSchema allows: ${shown}: ${text}`);
  }
  if (/^(Output validation error|Internal error in )/.test(text)) {
    throw new Error(`${tool} failed unexpectedly on ${shown}: ${text}; stderr: ${server.stderr()}`);
  }
}

/** Like {@link exchange}, but on a connection not opened yet: no liveness probe in between. */
async function exchangeBeforeOpen(server: RawServer, frame: Frame): Promise<void> {
  const { data, id } = materialize(frame, server);
  if (id !== undefined) server.expect(id, idMode(frame.expect), frame.label);
  await server.write(data);
  if (idMode(frame.expect) === 'await' && id !== undefined) {
    checkReply(frame.label, frame.expect, await server.reply(id));
  }
  if (server.faults.length > 0) {
    throw new Error(`protocol faults after "${frame.label}": ${server.faults.join(' | ')}`);
  }
}
