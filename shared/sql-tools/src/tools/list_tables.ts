import { READ_ONLY } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import { LIST_PAGE_SIZE, pageList } from '../internal/list-page.js';
import { commentField, show } from '../internal/text.js';
import { identifierArg, tableTypeSchema } from '../schemas.js';
import type { SqlToolOptions } from './options.js';

/**
 * Declares `list_tables`: tables and views with type, row estimate and comment, paginated.
 *
 * @param options - dialect (for the `schema` description) and limits
 * @returns the tool
 */
export function createListTablesTool(options: SqlToolOptions) {
  const schemaHelp =
    options.dialect === 'postgres'
      ? 'Only this schema (default: every schema except the system ones)'
      : 'Only this database: main, temp or an attached name (default: all)';
  // Only PostgreSQL has the extra relation kinds and comments; SQLite's estimates come from ANALYZE.
  const what =
    options.dialect === 'postgres'
      ? "tables and views of the database (also materialized views, foreign and partitioned tables) with type, the engine's row estimate where it keeps one (not an exact count) and comment"
      : 'tables and views of the database with type and, once ANALYZE has run, its row estimate (not an exact count)';
  return defineTool({
    name: 'list_tables',
    title: 'List tables',
    description: `Lists the ${what}. Returns at most ${LIST_PAGE_SIZE} per call with next_cursor to continue.`,
    input: z.object({
      schema: identifierArg(schemaHelp).optional(),
      cursor: z.string().max(1024).optional().describe('next_cursor from the previous page'),
    }),
    output: z.object({
      tables: z.array(
        z.object({
          schema: z.string().optional(),
          name: z.string(),
          type: tableTypeSchema,
          row_estimate: z.number().optional().describe("The engine's estimate, not a count"),
          comment: z.string().optional(),
        }),
      ),
      truncated: z.boolean(),
      next_cursor: z.string().optional(),
    }),
    annotations: READ_ONLY,
    async handler(args, { deps }: SqlContext) {
      const all = await deps.driver.listTables(args.schema);
      const page = pageList('list_tables', { s: args.schema ?? null }, args.cursor, all);
      const tables = page.items.map((table) => ({
        ...(table.schema !== undefined ? { schema: table.schema } : {}),
        name: table.name,
        type: table.type,
        ...(table.rowEstimate !== undefined ? { row_estimate: table.rowEstimate } : {}),
        ...commentField(table.comment),
      }));
      const lines = tables.map((table) => {
        const name =
          table.schema !== undefined ? `${show(table.schema)}.${show(table.name)}` : show(table.name);
        const estimate = table.row_estimate !== undefined ? `, ~${table.row_estimate} rows` : '';
        return `${name} (${table.type}${estimate})`;
      });
      if (lines.length === 0) lines.push('(no tables)');
      if (page.truncated)
        lines.push(`[${page.total - page.offset - tables.length} more: pass cursor to continue]`);
      return {
        structured: {
          tables,
          truncated: page.truncated,
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
        },
        text: lines.join('\n'),
      };
    },
  });
}
