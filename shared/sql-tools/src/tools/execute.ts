import { DESTRUCTIVE, truncateUtf8 } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import { formatRows } from '../format.js';
import { cellSchema, columnSchema, dialectName, paramsArg, sqlArg } from '../schemas.js';
import { formatBytes, type SqlToolOptions } from './options.js';

/** The refusal when the user declines the confirmation. */
export const DECLINED = 'Declined by the user.';

/** Bytes of SQL quoted in the confirmation message. */
const CONFIRM_SQL_BYTES = 2000;

/**
 * Declares `execute`: one statement that may write, after the user confirms it. Listed only
 * for a writable driver (`--allow-write`).
 *
 * @param options - dialect and limits
 * @returns the tool
 */
export function createExecuteTool(options: SqlToolOptions) {
  const { limits } = options;
  return defineTool({
    name: 'execute',
    title: 'Execute statement',
    description: `Runs one ${dialectName(options.dialect)} statement that may change the database (INSERT, UPDATE, DELETE, DDL and the like) in a transaction that commits only when it succeeds. The user is asked to confirm each statement when the client supports it. Returns the number of rows affected and the rows of a RETURNING clause, cut at ${limits.maxRows} rows or ${formatBytes(limits.maxBytes)} with no cursor (the statement cannot be re-run to continue). Times out after ${Math.round(limits.timeoutMs / 1000)} s. Reads belong in query.`,
    input: z.object({
      sql: sqlArg(options.dialect, 'One statement'),
      params: paramsArg(options.dialect),
    }),
    output: z.object({
      rows_affected: z.number().describe('Rows inserted, updated or deleted (0 for DDL)'),
      returning: z
        .object({
          columns: z.array(columnSchema),
          rows: z.array(z.array(cellSchema)),
          truncated: z.boolean().describe('More RETURNING rows existed and were dropped'),
          truncated_by: z.enum(['rows', 'bytes']).optional(),
        })
        .optional()
        .describe('Rows of a RETURNING clause'),
    }),
    annotations: DESTRUCTIVE,
    async handler(args, { deps, signal, confirm }: SqlContext) {
      const params = args.params ?? [];
      const shown = truncateUtf8(args.sql, CONFIRM_SQL_BYTES);
      const message = [
        `Run this statement on ${deps.driver.label}?`,
        '',
        `${shown.text}${shown.truncated ? ' [...]' : ''}`,
        ...(params.length > 0 ? ['', `Parameters: ${truncateUtf8(JSON.stringify(params), 500).text}`] : []),
      ].join('\n');
      if (!(await confirm(message))) throw new ToolError(DECLINED);
      const result = await deps.driver.execute(args.sql, params, {
        maxRows: deps.limits.maxRows,
        maxBytes: deps.limits.maxBytes,
        timeoutMs: deps.limits.timeoutMs,
        signal,
      });
      const returning = result.returning && {
        columns: result.returning.columns.map(({ name, type }) => ({ name, type })),
        rows: result.returning.rows,
        truncated: result.returning.truncated,
        ...(result.returning.truncatedBy ? { truncated_by: result.returning.truncatedBy } : {}),
      };
      const lines = [`${result.rowsAffected} row${result.rowsAffected === 1 ? '' : 's'} affected.`];
      if (returning) {
        lines.push(formatRows(returning, 'json'));
        if (returning.truncated)
          lines.push(`[RETURNING rows cut after ${returning.rows.length}; the statement itself completed.]`);
      }
      return {
        structured: { rows_affected: result.rowsAffected, ...(returning ? { returning } : {}) },
        text: lines.join('\n'),
      };
    },
  });
}
