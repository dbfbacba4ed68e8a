import { READ_ONLY } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import { dialectName, paramsArg, sqlArg } from '../schemas.js';
import type { SqlToolOptions } from './options.js';

/** The refusal when `analyze` is asked of SQLite, which has no EXPLAIN ANALYZE. */
export const SQLITE_HAS_NO_ANALYZE =
  'SQLite has no EXPLAIN ANALYZE; explain returns the EXPLAIN QUERY PLAN rows without running the statement.';

/** The refusal when `analyze` is asked of a read-only server. */
export const ANALYZE_NEEDS_WRITE =
  'EXPLAIN ANALYZE runs the statement; it is only available when the server is started with --allow-write.';

/**
 * Declares `explain`: the engine's plan for one read-only statement, as JSON.
 *
 * @param options - dialect and limits
 * @returns the tool
 */
export function createExplainTool(options: SqlToolOptions) {
  const how = options.dialect === 'postgres' ? 'EXPLAIN (FORMAT JSON)' : 'EXPLAIN QUERY PLAN';
  const seconds = Math.round(options.limits.timeoutMs / 1000);
  return defineTool({
    name: 'explain',
    title: 'Explain query plan',
    description: `Returns the plan ${dialectName(options.dialect)} would use for one read-only statement (${how}), as JSON; the statement itself is not run. It passes the same read-only guard as query. With analyze, the statement is run as well (at most ${seconds} s, in a transaction that is rolled back) and the plan has actual times and row counts; analyze is available only when the server allows writes, and only on engines that support it.`,
    input: z.object({
      sql: sqlArg(options.dialect, 'One read-only statement to explain'),
      params: paramsArg(options.dialect),
      analyze: z.boolean().default(false).describe('Also run the statement and report actual times and rows'),
    }),
    output: z.object({ plan: z.unknown().describe("The engine's plan, as JSON") }),
    annotations: READ_ONLY,
    async handler(args, { deps, signal }: SqlContext) {
      if (args.analyze && deps.driver.dialect === 'sqlite') throw new ToolError(SQLITE_HAS_NO_ANALYZE);
      if (args.analyze && !deps.driver.writable) throw new ToolError(ANALYZE_NEEDS_WRITE);
      const plan = await deps.driver.explain(args.sql, args.params ?? [], {
        analyze: args.analyze,
        timeoutMs: deps.limits.timeoutMs,
        signal,
      });
      return { structured: { plan }, text: JSON.stringify(plan ?? null, null, 1) };
    },
  });
}
