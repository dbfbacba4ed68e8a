import type * as z from 'zod';

type JsonSchemaConverter = (options: { target: string }) => Record<string, unknown>;

interface StandardWithJsonSchema {
  validate: unknown;
  vendor: string;
  version: number;
  jsonSchema: { input: JsonSchemaConverter; output: JsonSchemaConverter };
}

/**
 * Returns a view of a zod schema whose Standard Schema `jsonSchema` conversion is computed once
 * per target and reused. The MCP SDK converts every tool's input and output schema on every
 * `tools/list`; tool definitions never change after registration, so one conversion is enough.
 * Validation, parsing and defaults are the schema's own (the view inherits from it). The default
 * `$schema` dialect key is left out.
 *
 * @param schema - a zod 4 schema (zod >= 4.2 implements `~standard.jsonSchema`)
 * @returns a schema that behaves the same and converts to JSON Schema once
 */
export function withCachedJsonSchema<Schema extends z.ZodType>(schema: Schema): Schema {
  const standard = (schema as unknown as { '~standard': StandardWithJsonSchema })['~standard'];
  if (!standard.jsonSchema) return schema;
  const memo = (convert: JsonSchemaConverter): JsonSchemaConverter => {
    const cache = new Map<string, Record<string, unknown>>();
    return (options) => {
      const key = JSON.stringify(options);
      let result = cache.get(key);
      if (!result) {
        // MCP (2025-11-25, server/tools) makes JSON Schema 2020-12 the default dialect when no
        // $schema is given, which is what zod emits: the key only adds bytes to every tools/list.
        const { $schema: _dialect, ...rest } = convert(options);
        result = rest;
        cache.set(key, result);
      }
      // A fresh top level per call: callers may spread or annotate it.
      return { ...result };
    };
  };
  const view = Object.create(schema) as Schema;
  Object.defineProperty(view, '~standard', {
    value: {
      ...standard,
      jsonSchema: { input: memo(standard.jsonSchema.input), output: memo(standard.jsonSchema.output) },
    },
  });
  return view;
}
