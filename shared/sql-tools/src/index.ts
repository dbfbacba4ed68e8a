/**
 * Public API of `@bulwark/sql-tools`: the tools, resources and prompts of Bulwark's SQL servers,
 * written once against {@link SqlDriver}, plus the helpers drivers use to cut and convert rows.
 * Every name exported here is public; removing one is a deliberate, visible change.
 */
export { toCell } from './cells.js';
export { DEFAULT_SQL_LIMITS, type SqlContext, type SqlDeps, type SqlLimits } from './deps.js';
export { renderTableDescription, tableDescriptionToJson } from './describe.js';
export type {
  CellValue,
  ColumnInfo,
  ExecuteResult,
  QueryOptions,
  QueryPage,
  SchemaSummary,
  SqlDriver,
  SqlParam,
  TableDescription,
  TableSummary,
} from './driver.js';
export {
  cellText,
  escapeMarkdownCell,
  formatRows,
  type RowFormat,
  type RowSet,
  toCsv,
  toMarkdownTable,
} from './format.js';
export { collectPage, collectPageAsync, type PageLimits } from './paging.js';
export { registerSqlPrompts } from './prompts.js';
export { registerSqlResources, SCHEMA_RESOURCE_MAX_TABLES } from './resources.js';
export { type TableDescriptionJson, tableDescriptionSchema } from './schemas.js';
export { DECLINED } from './tools/execute.js';
export { ANALYZE_NEEDS_WRITE, SQLITE_HAS_NO_ANALYZE } from './tools/explain.js';
export { sqlTools } from './tools/index.js';
