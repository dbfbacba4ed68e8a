import type { ToolHints } from '@bulwark/hardening/annotations';
import {
  type CallToolResult,
  type InputRequiredResult,
  type McpRequestContext,
  McpServer,
  type RegisteredTool,
  type ServerContext,
} from '@modelcontextprotocol/server';
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
  /**
   * Server instructions shown to the model (limits, how the tools fit together). A promise lets a
   * startup check whose result goes into them (a database role's privileges, say) finish while
   * the rest of the server starts: {@link runServerCli} serves no message until it has settled,
   * exactly as if the check had been awaited first. It must not reject.
   */
  instructions?: string | Promise<string>;
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
  /**
   * Startup checks that must not delay `initialize` (a token's scopes, say) resolve this to the
   * names of tools the server cannot serve. Every connection lists all tools until then, then
   * disables those and sends `notifications/tools/list_changed`; a call that arrives first runs
   * normally (the upstream refuses it with its own error). A rejection hides nothing.
   */
  hiddenTools?: Promise<readonly string[]>;
  /** Capabilities beyond tools and logging that `register` needs, e.g. `{ resources: {} }`. */
  capabilities?: { resources?: Record<string, never>; prompts?: Record<string, never> };
  logger: Logger;
}

/**
 * A function that builds one connected-ready server instance; what stdio and HTTP entries call.
 * Over stdio it is called once per connection with no argument; over HTTP once per request with
 * the SDK's request context (`era`, the verified `authInfo`, the `Request`).
 */
export type ServerFactory = (request?: McpRequestContext) => Promise<McpServer>;

/** What a {@link ServerHooks} callback learns about a tool: its name and its four hints. */
export interface ToolInfo {
  /** The tool's name (`write_file`). */
  name: string;
  /** Its annotations; `readOnlyHint: false` marks a write tool. */
  annotations: ToolHints;
}

/** One tool call as {@link ServerHooks.aroundCall} sees it. */
export interface ToolCall {
  tool: ToolInfo;
  /** The arguments after validation by the tool's input schema (defaults applied). */
  args: unknown;
  /** The request context the instance was built for (HTTP only; `undefined` over stdio). */
  request: McpRequestContext | undefined;
}

/** What a tool call resolves to: a result, or (2026-07-28 era) a request for client input. */
export type ToolCallOutcome = CallToolResult | InputRequiredResult;

/**
 * Transport policy layered over a server without changing it: which tools an instance offers and
 * what runs around each call. The HTTP transport uses it for per-token tool visibility, rate
 * limits, metrics and the call audit; stdio uses none.
 */
export interface ServerHooks {
  /**
   * Whether an instance built for `request` registers `tool` (an unregistered tool is neither
   * listed nor callable on that instance). Default: every tool.
   */
  exposeTool?(tool: ToolInfo, request: McpRequestContext | undefined): boolean;
  /**
   * Runs around every tool call after its arguments were validated (and, on the 2026-07-28 era,
   * after the client's roots arrived). Call `next()` to run the tool, or return a result without
   * calling it to refuse the call. Must not throw: a thrown error becomes a protocol error.
   */
  aroundCall?(call: ToolCall, next: () => Promise<ToolCallOutcome>): Promise<ToolCallOutcome>;
}

/**
 * Builds the factory for a server: each call makes an `McpServer` with the spec's tools wired
 * through validation, roots, error mapping and progress.
 *
 * @param spec - the server
 * @param hooks - transport policy (tool visibility per request, a wrapper around each call); none by default
 * @returns the factory
 */
export function createServerFactory<Deps>(spec: ServerSpec<Deps>, hooks: ServerHooks = {}): ServerFactory {
  // Converted once for the life of the process: every connection lists the same definitions.
  const schemas = new Map(
    spec.tools.map((tool) => [
      tool.name,
      { input: withCachedJsonSchema(tool.input), output: withCachedJsonSchema(tool.output) },
    ]),
  );
  return async (request?: McpRequestContext) => {
    const deps = await spec.createDeps();
    const instructions = await spec.instructions;
    const server = new McpServer(
      { name: spec.name, version: spec.version, ...(spec.title ? { title: spec.title } : {}) },
      {
        capabilities: {
          tools: spec.hiddenTools ? { listChanged: true } : {},
          logging: {},
          ...(spec.capabilities ?? {}),
        },
        ...(instructions ? { instructions } : {}),
      },
    );
    const roots = trackClientRoots(server, spec, deps);
    const registered = new Map<string, RegisteredTool>();
    for (const tool of spec.tools) {
      if (hooks.exposeTool && !hooks.exposeTool(tool, request)) continue;
      const handle = server.registerTool(
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
          const run = () => runTool(tool, args, ctx, server, deps, spec.logger);
          return hooks.aroundCall ? hooks.aroundCall({ tool, args, request }, run) : run();
        },
      );
      registered.set(tool.name, handle);
    }
    if (spec.hiddenTools) hideWhenKnown(spec.hiddenTools, registered, spec.logger);
    spec.register?.(server, deps);
    return server;
  };
}

/** Disables the tools a startup check found unusable; each `disable()` notifies the client. */
function hideWhenKnown(
  hidden: Promise<readonly string[]>,
  registered: ReadonlyMap<string, RegisteredTool>,
  logger: Logger,
): void {
  hidden.then(
    (names) => {
      for (const name of names) registered.get(name)?.disable();
    },
    (error: unknown) => logger.warning('startup check failed; all tools stay listed', error),
  );
}

async function runTool<Deps>(
  tool: AnyToolDefinition<Deps>,
  args: unknown,
  ctx: ServerContext,
  server: McpServer,
  deps: Deps,
  logger: Logger,
): Promise<ToolCallOutcome> {
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
