import * as z from 'zod';
import type { SqlDriver } from './driver.js';

/** Longest SQL text a tool accepts, in characters. */
export const MAX_SQL_CHARS = 100_000;

/** Most bound parameters in one call. */
export const MAX_PARAMS = 100;

/** Longest identifier (table or schema name) a tool accepts, in characters. */
export const MAX_IDENTIFIER_CHARS = 1024;

/** The engine's name as people write it. */
export function dialectName(dialect: SqlDriver['dialect']): string {
  return dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
}

/** How placeholders are written in each dialect, for descriptions. */
function placeholders(dialect: SqlDriver['dialect']): string {
  return dialect === 'postgres' ? '$1, $2, ...' : '? or ?1, ?2, ...';
}

/**
 * The `sql` argument: one statement, at most {@link MAX_SQL_CHARS} characters.
 *
 * @param dialect - which SQL the description names
 * @param what - what kind of statement, for the description
 */
export function sqlArg(dialect: SqlDriver['dialect'], what: string): z.ZodString {
  return z
    .string()
    .min(1)
    .max(MAX_SQL_CHARS)
    .describe(`${what} (${dialectName(dialect)} SQL)`);
}

/**
 * The optional `params` argument: at most {@link MAX_PARAMS} values bound to placeholders.
 *
 * @param dialect - which placeholder syntax the description names
 */
export function paramsArg(dialect: SqlDriver['dialect']) {
  return z
    .array(z.union([z.string().max(MAX_SQL_CHARS), z.number(), z.boolean(), z.null()]))
    .max(MAX_PARAMS)
    .optional()
    .describe(`Values bound to the placeholders (${placeholders(dialect)}), in order`);
}

/**
 * A table or schema name argument, matched exactly (bound as a value, never interpolated).
 *
 * @param description - for the field's `.describe()`
 */
export function identifierArg(description: string): z.ZodString {
  return z.string().min(1).max(MAX_IDENTIFIER_CHARS).describe(description);
}

/** A JSON-safe cell (see `toCell`). */
export const cellSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
]);

/** A result column. */
export const columnSchema = z.object({
  name: z.string(),
  type: z.string().describe("The engine's type name; empty when the engine does not say"),
});

/** The kinds of relation a table listing names. */
export const tableTypeSchema = z.enum([
  'table',
  'view',
  'materialized view',
  'foreign table',
  'partitioned table',
]);

/** `TableDescription` as snake_case JSON: the `describe_table` output and the table resource. */
export const tableDescriptionSchema = z.object({
  schema: z.string().optional(),
  name: z.string(),
  type: tableTypeSchema,
  comment: z.string().optional(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      nullable: z.boolean(),
      default: z.string().optional().describe('Default expression, as SQL'),
      comment: z.string().optional(),
    }),
  ),
  primary_key: z.array(z.string()).describe('Primary key columns, in key order; empty when none'),
  foreign_keys: z.array(
    z.object({
      name: z.string().optional(),
      columns: z.array(z.string()),
      referenced_schema: z.string().optional(),
      referenced_table: z.string(),
      referenced_columns: z.array(z.string()),
      on_update: z.string().optional(),
      on_delete: z.string().optional(),
    }),
  ),
  indexes: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()),
      unique: z.boolean(),
      definition: z.string().optional(),
    }),
  ),
  constraints: z
    .array(z.object({ name: z.string(), type: z.string(), definition: z.string() }))
    .describe('Check and exclusion constraints'),
});

/** The JSON shape of one described table. */
export type TableDescriptionJson = z.infer<typeof tableDescriptionSchema>;
