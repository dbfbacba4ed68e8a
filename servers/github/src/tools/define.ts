import type { AnyToolDefinition, ToolDefinition } from '@bulwark/runtime';
import type * as z from 'zod';
import type { GhDeps } from '../deps.js';
import { toGitHubError } from '../github/errors.js';
import type { ToolsetName } from './toolsets.js';

/**
 * A GitHub tool: the runtime's tool definition plus the toolset it belongs to and the classic
 * token scopes it needs (any one of them; empty when any token will do).
 */
export interface GitHubToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject>
  extends ToolDefinition<Input, Output, GhDeps> {
  toolset: ToolsetName;
  /** Classic-token scopes of which one is needed (`repo` covers `public_repo`); empty: none. */
  scopes: readonly string[];
}

/** A GitHub tool with its type parameters erased, for lists of tools. */
export type AnyGitHubTool = AnyToolDefinition<GhDeps> & { toolset: ToolsetName; scopes: readonly string[] };

/**
 * Declares a GitHub tool in one value. The handler is wrapped so that a failed GitHub request
 * becomes a one-line `isError` result (see `toGitHubError`), naming what the call was about
 * (`owner/name#12`, `owner/name/path`).
 *
 * @param definition - the tool, its toolset and its scopes
 * @returns the same definition with the wrapped handler
 */
export function defineGitHubTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: GitHubToolDefinition<Input, Output>,
): GitHubToolDefinition<Input, Output> {
  const handler = definition.handler;
  return {
    ...definition,
    output: withOpenObjects(definition.output),
    async handler(args, ctx) {
      try {
        return await handler(args, ctx);
      } catch (error) {
        throw toGitHubError(error, targetOf(args as Record<string, unknown>));
      }
    },
  };
}

/** What a call is about, for messages: `owner/name#12`, `owner/name/path`, `run 42`. */
function targetOf(args: Record<string, unknown>): string {
  const repo = typeof args.repo === 'string' ? args.repo : undefined;
  if (!repo) return typeof args.query === 'string' ? 'the search' : 'the request';
  if (typeof args.number === 'number') return `${repo}#${args.number}`;
  if (typeof args.path === 'string' && args.path) return `${repo}/${args.path}`;
  if (typeof args.run_id === 'number') return `${repo} run ${args.run_id}`;
  if (typeof args.job_id === 'number') return `${repo} job ${args.job_id}`;
  if (typeof args.sha === 'string') return `${repo}@${args.sha}`;
  return repo;
}

type Converter = (options: { target: string }) => Record<string, unknown>;

/**
 * A view of an output schema whose JSON Schema leaves out `additionalProperties: false` (zod puts
 * it on every object of an output schema). The schema stays true, only less strict: results never
 * carry extra keys anyway, and the keyword costs 28 bytes per object in every tools/list.
 * Validation is the schema's own.
 */
function withOpenObjects<Schema extends z.ZodType>(schema: Schema): Schema {
  const standard = (
    schema as unknown as { '~standard': { jsonSchema?: { input: Converter; output: Converter } } }
  )['~standard'];
  const convert = standard.jsonSchema;
  if (!convert) return schema;
  const view = Object.create(schema) as Schema;
  Object.defineProperty(view, '~standard', {
    value: {
      ...standard,
      jsonSchema: {
        input: (options: { target: string }) => openObjects(convert.input(options)),
        output: (options: { target: string }) => openObjects(convert.output(options)),
      },
    },
  });
  return view;
}

function openObjects<T>(node: T): T {
  if (Array.isArray(node)) return node.map(openObjects) as T;
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    result[key] = openObjects(value);
  }
  return result as T;
}
