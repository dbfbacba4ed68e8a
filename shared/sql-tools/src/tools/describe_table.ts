import { READ_ONLY } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { SqlContext } from '../deps.js';
import { renderTableDescription, tableDescriptionToJson } from '../describe.js';
import { identifierArg, tableDescriptionSchema } from '../schemas.js';
import type { SqlToolOptions } from './options.js';

/**
 * Declares `describe_table`: columns, keys, indexes and constraints of one table or view.
 *
 * @param options - dialect (for the `schema` description) and limits
 * @returns the tool
 */
export function createDescribeTableTool(options: SqlToolOptions) {
  const schemaHelp =
    options.dialect === 'postgres'
      ? 'Its schema (default: the first schema on the search path that has it)'
      : 'Its database: main, temp or an attached name (default: main)';
  return defineTool({
    name: 'describe_table',
    title: 'Describe table',
    description:
      'Describes one table or view: columns with type, nullability, default and comment; primary key; foreign keys; indexes; check and other constraints. Names are matched exactly (case-sensitive, no quoting). Reads the catalog only, never the rows.',
    input: z.object({
      table: identifierArg('Table or view name, exactly as listed by list_tables'),
      schema: identifierArg(schemaHelp).optional(),
    }),
    output: tableDescriptionSchema,
    annotations: READ_ONLY,
    async handler(args, { deps }: SqlContext) {
      const described = tableDescriptionToJson(await deps.driver.describeTable(args.table, args.schema));
      return { structured: described, text: renderTableDescription(described) };
    },
  });
}
