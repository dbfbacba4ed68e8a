import { createLogger, type Logger, resourceReadError, ToolError } from '@bulwark/runtime';
import { type McpServer, ResourceTemplate, type Variables } from '@modelcontextprotocol/server';
import { loadCatalogSummary } from './catalog-summary.js';
import type { SqlDeps } from './deps.js';
import { tableDescriptionToJson } from './describe.js';

/** Tables described in the `<scheme>://schema` resource. */
export const SCHEMA_RESOURCE_MAX_TABLES = 200;

/** Most values one completion returns (the MCP limit for `completion/complete`). */
export const MAX_COMPLETIONS = 100;

/**
 * Registers the catalog resources of a SQL server. Only the catalog is exposed, never rows:
 * rows are untrusted data and are read through the `query` tool, which caps and marks them.
 *
 * - `<scheme>://schema` (JSON): `{ database, dialect, tables: [{ schema?, name, type, columns:
 *   [{ name, type, nullable }] | error }], total_tables, truncated, note? }`, the first
 *   {@link SCHEMA_RESOURCE_MAX_TABLES} tables of `listTables()`, each described.
 * - `sqlite://table/{name}` or `postgres://table/{schema}/{name}` (JSON): the table's
 *   `describe_table` output. Names are percent-encoded in the URI (RFC 3986 §2.1; a `/` or `,`
 *   in a name must be); the read decodes them. Both variables complete by prefix from
 *   `listTables` / `listSchemas`, at most {@link MAX_COMPLETIONS} values. The template has no
 *   list callback: a full listing could not say it was cut, so `list_tables` and the schema
 *   resource do that job.
 *
 * A table that does not exist is the SDK's `ResourceNotFoundError` (JSON-RPC -32602 on current
 * revisions) with the driver's message; unexpected errors are logged and reported without details.
 *
 * @param server - the server instance
 * @param deps - this connection's dependencies
 * @param scheme - URI scheme, the engine's name
 * @param logger - where unexpected errors are recorded (default: stderr)
 */
export function registerSqlResources(
  server: McpServer,
  deps: SqlDeps,
  scheme: 'sqlite' | 'postgres',
  logger: Logger = createLogger('bulwark-sql'),
): void {
  const { driver } = deps;
  server.registerResource(
    'schema',
    `${scheme}://schema`,
    {
      title: 'Database schema',
      description: `Every table and view of ${driver.label} with its columns (the first ${SCHEMA_RESOURCE_MAX_TABLES}), as JSON.`,
      mimeType: 'application/json',
    },
    async (uri) => {
      try {
        const summary = await loadCatalogSummary(driver, SCHEMA_RESOURCE_MAX_TABLES);
        const body = {
          database: driver.label,
          dialect: driver.dialect,
          ...summary,
          ...(summary.truncated
            ? { note: `Only the first ${summary.tables.length} tables are described; list_tables lists all.` }
            : {}),
        };
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body) }] };
      } catch (error) {
        throw resourceReadError(error, uri.href, logger);
      }
    },
  );

  const withSchema = scheme === 'postgres';
  const template = withSchema ? `${scheme}://table/{schema}/{name}` : `${scheme}://table/{name}`;
  server.registerResource(
    'table',
    new ResourceTemplate(template, {
      list: undefined,
      complete: {
        name: (value, context) => completeTableNames(deps, value, context?.arguments?.schema),
        ...(withSchema ? { schema: (value: string) => completeSchemaNames(deps, value) } : {}),
      },
    }),
    {
      title: 'Table description',
      description: `One table or view of ${driver.label}: columns, keys, indexes and constraints, as JSON (the describe_table output; no rows).`,
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      try {
        const name = variable(variables, 'name');
        const schema = withSchema ? variable(variables, 'schema') : undefined;
        const described = tableDescriptionToJson(await driver.describeTable(name, schema));
        return {
          contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(described) }],
        };
      } catch (error) {
        throw resourceReadError(error, uri.href, logger);
      }
    },
  );
}

/** One decoded template variable. */
function variable(variables: Variables, key: string): string {
  const raw = variables[key];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!value) throw new ToolError(`The URI has no ${key}.`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ToolError(`The ${key} in the URI is not valid percent-encoding.`);
  }
}

/**
 * Table names starting with `prefix` (case-sensitive), optionally in one schema, at most
 * {@link MAX_COMPLETIONS}, without duplicates (the same name in two schemas).
 *
 * @param deps - the connection's dependencies
 * @param prefix - what the user typed so far
 * @param schema - restrict to this schema, when the schema variable is already filled in
 */
export async function completeTableNames(deps: SqlDeps, prefix: string, schema?: string): Promise<string[]> {
  try {
    const tables = await deps.driver.listTables(schema || undefined);
    return firstMatches(
      tables.map((table) => table.name),
      prefix,
    );
  } catch {
    // Completion is a convenience: an unknown schema or a failing catalog query completes nothing.
    return [];
  }
}

/**
 * Schema names starting with `prefix`, at most {@link MAX_COMPLETIONS}; from `listSchemas` when
 * the driver has it, else from the schemas of `listTables`.
 *
 * @param deps - the connection's dependencies
 * @param prefix - what the user typed so far
 */
export async function completeSchemaNames(deps: SqlDeps, prefix: string): Promise<string[]> {
  try {
    const names = deps.driver.listSchemas
      ? (await deps.driver.listSchemas()).map((schema) => schema.name)
      : (await deps.driver.listTables()).flatMap((table) =>
          table.schema === undefined ? [] : [table.schema],
        );
    return firstMatches(names, prefix);
  } catch {
    return [];
  }
}

function firstMatches(names: readonly string[], prefix: string): string[] {
  const matches = new Set<string>();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    matches.add(name);
    if (matches.size >= MAX_COMPLETIONS) break;
  }
  return [...matches];
}
