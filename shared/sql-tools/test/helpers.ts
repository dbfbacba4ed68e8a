import type { AnyToolDefinition, ToolContext } from '@bulwark/runtime';
import { createLogger } from '@bulwark/runtime';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { DEFAULT_SQL_LIMITS, type SqlDeps, type SqlLimits } from '../src/deps.js';
import { sqlTools } from '../src/tools/index.js';
import type { ArrayDriver } from './array-driver.js';

/** A context as the runtime builds one, with a scripted confirmation answer. */
export function makeContext(
  driver: ArrayDriver,
  options: { limits?: Partial<SqlLimits>; confirm?: boolean } = {},
): ToolContext<SqlDeps> & { confirmations: string[] } {
  const confirmations: string[] = [];
  return {
    deps: { driver, limits: { ...DEFAULT_SQL_LIMITS, ...options.limits } },
    signal: new AbortController().signal,
    progress: async () => {},
    log: createLogger('test', 'error', () => {}),
    confirm: async (message) => {
      confirmations.push(message);
      return options.confirm ?? true;
    },
    confirmations,
  };
}

/**
 * Calls one tool's handler the way the runtime does: arguments parsed by its input schema
 * (defaults applied, bounds checked), output checked against its output schema.
 *
 * @throws whatever the handler throws; a ZodError when the arguments do not parse
 */
export async function callTool(
  driver: ArrayDriver,
  name: string,
  args: Record<string, unknown>,
  context = makeContext(driver),
) {
  const tool = findTool(driver, name, { ...DEFAULT_SQL_LIMITS, ...context.deps.limits });
  const output = await tool.handler(tool.input.parse(args), context);
  tool.output.parse(output.structured);
  return output;
}

/** The tool of that name among `sqlTools(driver)`; throws when it is not offered. */
export function findTool(driver: ArrayDriver, name: string, limits: SqlLimits = DEFAULT_SQL_LIMITS) {
  const tool = sqlTools(driver, limits).find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool as AnyToolDefinition<SqlDeps>;
}

/** The text of every text block of a tool result. */
export function texts(result: CallToolResult): string[] {
  return result.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
}
