import { READ_ONLY } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import { LIST_PAGE_SIZE, pageList } from '../internal/list-page.js';
import { commentField, show } from '../internal/text.js';
import type { SqlToolOptions } from './options.js';

/**
 * Declares `list_schemas`: the database's schemas with owner and comment, paginated. Registered
 * only for drivers with `listSchemas` (PostgreSQL).
 *
 * @param _options - dialect and limits (unused: schemas exist only in PostgreSQL)
 * @returns the tool
 */
export function createListSchemasTool(_options: SqlToolOptions) {
  return defineTool({
    name: 'list_schemas',
    title: 'List schemas',
    description: `Lists the schemas of the database with owner and comment (system schemas included), sorted as the catalog returns them. Returns at most ${LIST_PAGE_SIZE} per call with next_cursor to continue.`,
    input: z.object({
      cursor: z.string().max(1024).optional().describe('next_cursor from the previous page'),
    }),
    output: z.object({
      schemas: z.array(
        z.object({ name: z.string(), owner: z.string().optional(), comment: z.string().optional() }),
      ),
      truncated: z.boolean(),
      next_cursor: z.string().optional(),
    }),
    annotations: READ_ONLY,
    async handler(args, { deps }: SqlContext) {
      if (!deps.driver.listSchemas) throw new ToolError('This database has no schemas; use list_tables.');
      const page = pageList('list_schemas', {}, args.cursor, await deps.driver.listSchemas());
      const schemas = page.items.map((schema) => ({
        name: schema.name,
        ...(schema.owner !== undefined ? { owner: schema.owner } : {}),
        ...commentField(schema.comment),
      }));
      const lines = schemas.map(
        (schema) => `${show(schema.name)}${schema.owner ? ` (owner ${show(schema.owner)})` : ''}`,
      );
      if (lines.length === 0) lines.push('(no schemas)');
      if (page.truncated)
        lines.push(`[${page.total - page.offset - schemas.length} more: pass cursor to continue]`);
      return {
        structured: {
          schemas,
          truncated: page.truncated,
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
        },
        text: lines.join('\n'),
      };
    },
  });
}
