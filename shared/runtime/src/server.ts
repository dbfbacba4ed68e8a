import { type CallToolResult, McpServer, type ServerContext } from '@modelcontextprotocol/server';
import {
  clientCapabilitiesOf,
  confirmThroughElicitation,
  InputNeeded,
  requestRoots,
  rootsFromInputResponses,
} from './client-input.js';
import { createProgressReporter, type ToolContext } from './context.js';
import type { AnyToolDefinition } from './define-tool.js';
import { toErrorResult } from './errors.js';
import type { Logger } from './logger.js';
import { withCachedJsonSchema } from './schema-cache.js';

/**
 * Everything that makes one Bulwark server: identity, tools, extra registrations, and how to
 * build the per-connection dependencies.
 *
 * @typeParam Deps - per-connection dependencies handed to every handler
 */
export interface ServerSpec<Deps> {
  /** Server name in `serverInfo` (e.g. `bulwark-filesystem`). */
  name: string;
  version: string;
  title?: string;
  /** Server instructions shown to the model (limits, how the tools fit together). */
  instructions?: string;
  /** Tools registered on every connection (already filtered by config, e.g. no writes when read-only). */
  tools: readonly AnyToolDefinition<Deps>[];
  /** Builds fresh dependencies for one connection (one server instance). */
  createDeps(): Deps | Promise<Deps>;
  /**
   * Receives the client's MCP roots: on the 2025 era after `initialized` and on every
   * `notifications/roots/list_changed`, on the 2026-07-28 era through an input request before
   * the first tool call. `undefined` means the client sent none.
   */
  onClientRoots?(deps: Deps, uris: readonly string[] | undefined): Promise<void>;
  /** Registers resources, resource templates and prompts. */
  register?(server: McpServer, deps: Deps): void;
  /** Capabilities beyond tools and logging that `register` needs, e.g. `{ resources: {} }`. */
  capabilities?: { resources?: Record<string, never>; prompts?: Record<string, never> };
  logger: Logger;
}

/** A function that builds one connected-ready server instance; what stdio and HTTP entries call. */
export type ServerFactory = () => Promise<McpServer>;

/**
 * Builds the factory for a server: each call makes an `McpServer` with the spec's tools wired
 * through validation, roots, error mapping and progress.
 *
 * @param spec - the server
 * @returns the factory
 */
export function createServerFactory<Deps>(spec: ServerSpec<Deps>): ServerFactory {
  // Converted once for the life of the process: every connection lists the same definitions.
  const schemas = new Map(
    spec.tools.map((tool) => [
      tool.name,
      { input: withCachedJsonSchema(tool.input), output: withCachedJsonSchema(tool.output) },
    ]),
  );
  return async () => {
    const deps = await spec.createDeps();
    const server = new McpServer(
      { name: spec.name, version: spec.version, ...(spec.title ? { title: spec.title } : {}) },
      {
        capabilities: { tools: {}, logging: {}, ...(spec.capabilities ?? {}) },
        ...(spec.instructions ? { instructions: spec.instructions } : {}),
      },
    );
    const roots = trackClientRoots(server, spec, deps);
    for (const tool of spec.tools) {
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: schemas.get(tool.name)?.input ?? tool.input,
          outputSchema: schemas.get(tool.name)?.output ?? tool.output,
          annotations: { title: tool.title, ...tool.annotations },
        },
        async (args: unknown, ctx: ServerContext) => {
          const pending = await roots.beforeCall(ctx);
          if (pending) return pending;
          return runTool(tool, args, ctx, server, deps, spec.logger);
        },
      );
    }
    spec.register?.(server, deps);
    return server;
  };
}

async function runTool<Deps>(
  tool: AnyToolDefinition<Deps>,
  args: unknown,
  ctx: ServerContext,
  server: McpServer,
  deps: Deps,
  logger: Logger,
) {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const context: ToolContext<Deps> = {
    deps,
    signal: ctx.mcpReq.signal,
    log: logger,
    progress: createProgressReporter(
      progressToken === undefined
        ? undefined
        : (progress, total, message) =>
            ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: {
                progressToken,
                progress,
                ...(total === undefined ? {} : { total }),
                ...(message ? { message } : {}),
              },
            }),
    ),
    confirm: (message) => confirmThroughElicitation(ctx, server, message),
  };
  try {
    const output = await tool.handler(args, context);
    const result: CallToolResult = {
      content: [{ type: 'text', text: output.text }, ...(output.content ?? [])],
      structuredContent: output.structured as Record<string, unknown>,
    };
    return result;
  } catch (error) {
    if (error instanceof InputNeeded) return error.result;
    return toErrorResult(error, tool.name, logger);
  }
}

/**
 * Keeps the sandbox's view of the client's roots current. On the 2025 era the roots are fetched
 * after `initialized` and on each list_changed notification, and tool calls wait for an
 * in-flight fetch (so no call runs on the wider operator roots while narrowing is pending). On
 * the 2026-07-28 era the first tool call asks for them with an input request.
 */
function trackClientRoots<Deps>(server: McpServer, spec: ServerSpec<Deps>, deps: Deps) {
  const apply = spec.onClientRoots;
  let pending: Promise<void> | undefined;
  let modernRootsKnown = false;

  const refresh = () => {
    if (!apply) return;
    const run = async () => {
      if (!server.server.getClientCapabilities()?.roots) return;
      try {
        const { roots } = await server.server.listRoots(undefined, { timeout: 10_000 });
        await apply(
          deps,
          roots.map((root) => root.uri),
        );
        spec.logger.info(`client roots applied (${roots.length})`);
      } catch (error) {
        spec.logger.warning('could not read the client roots; keeping the previous roots', error);
      }
    };
    pending = run();
  };

  if (apply) {
    server.server.oninitialized = refresh;
    server.server.setNotificationHandler('notifications/roots/list_changed', () => {
      modernRootsKnown = false;
      refresh();
    });
  }

  return {
    async beforeCall(ctx: ServerContext) {
      if (!apply) return undefined;
      const { capabilities, modern } = clientCapabilitiesOf(ctx, server);
      if (!modern) {
        await pending;
        return undefined;
      }
      const uris = rootsFromInputResponses(ctx);
      if (uris) {
        await apply(deps, uris);
        modernRootsKnown = true;
        return undefined;
      }
      if (capabilities?.roots && !modernRootsKnown) return requestRoots();
      return undefined;
    },
  };
}
