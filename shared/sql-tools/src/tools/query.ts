import { decodePageCursor, encodePageCursor, READ_ONLY, wrapUntrusted } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import type { QueryPage, SqlParam } from '../driver.js';
import { formatRows } from '../format.js';
import { cellSchema, columnSchema, dialectName, paramsArg, sqlArg } from '../schemas.js';
import { formatBytes, type SqlToolOptions } from './options.js';

/**
 * Declares `query`: one read-only statement, one page of rows. The rows are always in
 * `structuredContent`; `format` only picks the text rendering. The cursor binds to a digest of
 * the statement and its parameters, so a continuing call must repeat both exactly.
 *
 * @param options - dialect and limits (stated in the description; `max_rows` is bounded by
 *   `limits.maxRows`)
 * @returns the tool
 */
export function createQueryTool(options: SqlToolOptions) {
  const { limits } = options;
  return defineTool({
    name: 'query',
    title: 'Run read-only query',
    description: `Runs one read-only ${dialectName(options.dialect)} statement (SELECT, WITH ... SELECT, VALUES and the like) and returns one page of its rows. A read-only guard refuses statements that write, lock, or change settings. A page holds at most max_rows rows (at most ${limits.maxRows}) and ${formatBytes(limits.maxBytes)} of JSON rows (always at least one row); a page cut by either cap says truncated and gives next_cursor. The statement times out after ${Math.round(limits.timeoutMs / 1000)} s. Rows are always returned as JSON arrays in structured content; format picks the text rendering (json, csv or markdown), which is wrapped as untrusted content because rows hold data that others wrote. A continuing page re-runs the statement with the same sql and params and skips the rows already returned, so pages can shift when the data changes between calls or the statement has no ORDER BY.`,
    input: z.object({
      sql: sqlArg(options.dialect, 'One read-only statement'),
      params: paramsArg(options.dialect),
      format: z.enum(['json', 'csv', 'markdown']).default('json').describe('Text rendering of the rows'),
      max_rows: z
        .number()
        .int()
        .min(1)
        .max(limits.maxRows)
        .optional()
        .describe(`Rows per page (default ${limits.maxRows})`),
      cursor: z
        .string()
        .max(1024)
        .optional()
        .describe('next_cursor from the previous page of the same sql and params'),
    }),
    output: z.object({
      columns: z.array(columnSchema),
      rows: z.array(z.array(cellSchema)).describe('Rows in column order; bytes as {"$base64": ...}'),
      row_count: z.number().describe('Rows in this page'),
      offset: z.number().describe('Rows of the result before this page'),
      truncated: z.boolean().describe('More rows follow; pass next_cursor to continue'),
      truncated_by: z.enum(['rows', 'bytes']).optional().describe('Which cap ended the page'),
      next_cursor: z.string().optional(),
    }),
    annotations: READ_ONLY,
    async handler(args, { deps, signal }: SqlContext) {
      const params: SqlParam[] = args.params ?? [];
      const key = queryKey(args.sql, params);
      const offset = decodePageCursor('query', args.cursor, key);
      const page = await deps.driver.query(args.sql, params, {
        offset,
        maxRows: Math.min(args.max_rows ?? deps.limits.maxRows, deps.limits.maxRows),
        maxBytes: deps.limits.maxBytes,
        timeoutMs: deps.limits.timeoutMs,
        signal,
      });
      const next = page.truncated ? (page.nextOffset ?? offset + page.rows.length) : undefined;
      const structured = {
        columns: page.columns.map(({ name, type }) => ({ name, type })),
        rows: page.rows,
        row_count: page.rows.length,
        offset,
        truncated: page.truncated,
        ...(page.truncatedBy ? { truncated_by: page.truncatedBy } : {}),
        ...(next !== undefined ? { next_cursor: encodePageCursor('query', key, next) } : {}),
      };
      return {
        structured,
        // Rows are data written by whoever wrote to the database, and may carry instructions: the
        // text goes inside the untrusted-content envelope, hidden characters removed. The exact
        // values stay in structuredContent.
        text: wrapUntrusted(formatRows(structured, args.format), {
          source: `${deps.driver.label} query result`,
        }),
        ...(next !== undefined
          ? { content: [{ type: 'text' as const, text: truncationNote(page, offset) }] }
          : {}),
      };
    },
  });
}

/**
 * What a cursor binds to: a digest of the statement and its parameters. The client repeats both
 * on a continuing call anyway, so the cursor need not carry up to 100,000 characters of SQL.
 */
function queryKey(sql: string, params: readonly SqlParam[]): string {
  // node:crypto loads on the first query, not at startup: importing it cost every start of the
  // SQLite server about 3 ms (the module and the ESM view an import builds of it).
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha256')
    .update(JSON.stringify([sql, params]))
    .digest('base64url');
}

function truncationNote(page: QueryPage, offset: number): string {
  const cap = page.truncatedBy === 'bytes' ? 'byte' : 'row';
  const last = offset + page.rows.length;
  return `[Page cut by the ${cap} cap: rows ${offset + 1}-${last} shown. More rows follow; call query again with the same sql and params and cursor = next_cursor.]`;
}
