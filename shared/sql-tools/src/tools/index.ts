import type { AnyToolDefinition } from '@bulwark/runtime';
import { DEFAULT_SQL_LIMITS, type SqlDeps, type SqlLimits } from '../deps.js';
import type { SqlDriver } from '../driver.js';
import { createDescribeTableTool } from './describe_table.js';
import { createExecuteTool } from './execute.js';
import { createExplainTool } from './explain.js';
import { createListSchemasTool } from './list_schemas.js';
import { createListTablesTool } from './list_tables.js';
import { createQueryTool } from './query.js';

/**
 * The SQL tools a driver supports, in listing order: `list_schemas` (only when the driver has
 * `listSchemas`), `list_tables`, `describe_table`, `query`, `explain`, and `execute` (only when
 * the driver is `writable`).
 *
 * @param driver - the database; its `dialect`, `writable` and `listSchemas` pick and word the tools
 * @param limits - the limits the descriptions state and `max_rows` is bounded by; pass the same
 *   value as `SqlDeps.limits` (default {@link DEFAULT_SQL_LIMITS})
 * @returns the tool definitions for `ServerSpec.tools`
 * @example
 * const spec: ServerSpec<SqlDeps> = {
 *   tools: sqlTools(driver, limits),
 *   createDeps: () => ({ driver, limits }),
 *   ...
 * };
 */
export function sqlTools(
  driver: SqlDriver,
  limits: SqlLimits = DEFAULT_SQL_LIMITS,
): AnyToolDefinition<SqlDeps>[] {
  const options = { dialect: driver.dialect, limits };
  return [
    ...(driver.listSchemas ? [createListSchemasTool(options)] : []),
    createListTablesTool(options),
    createDescribeTableTool(options),
    createQueryTool(options),
    createExplainTool(options),
    ...(driver.writable ? [createExecuteTool(options)] : []),
  ];
}
