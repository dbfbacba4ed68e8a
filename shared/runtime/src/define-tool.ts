import type { ToolHints } from '@bulwark/hardening/annotations';
import type { ContentBlock } from '@modelcontextprotocol/server';
import type * as z from 'zod';
import type { ToolContext } from './context.js';

/** What a handler returns on success: the structured result and its compact text rendering. */
export interface ToolOutput<Structured> {
  /** Matches the tool's `outputSchema`; sent as `structuredContent`. */
  structured: Structured;
  /** A compact, readable rendering for clients that show text; sent as the first content block. */
  text: string;
  /** Extra content blocks after the text (images, audio, embedded resources). */
  content?: ContentBlock[];
}

/**
 * One tool, declared in one value: name, title, description, schemas, all four annotations and
 * the handler. zod is the only source of the parameters; the handler receives them parsed.
 *
 * @typeParam Input - zod object schema of the arguments (every field `.describe()`d, with bounds)
 * @typeParam Output - zod object schema of `structuredContent`
 * @typeParam Deps - what the handler needs (sandbox, config, clients), passed in per connection
 */
export interface ToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject, Deps> {
  /** snake_case verb name, unique within the server (`read_text_file`). */
  name: string;
  /** Human-readable title for host UIs. */
  title: string;
  /** What the tool does, its limits and when to use it. Factual; never instructions to the model. */
  description: string;
  input: Input;
  output: Output;
  /** All four hints are required by the type. */
  annotations: ToolHints;
  /** Runs the tool. Throw {@link ToolError} (or a hardening error) for expected failures. */
  handler(args: z.infer<Input>, ctx: ToolContext<Deps>): Promise<ToolOutput<z.infer<Output>>>;
}

/** A tool definition with its type parameters erased, for lists of tools. */
// biome-ignore lint/suspicious/noExplicitAny: erasure for heterogeneous tool lists; each definition is checked where defined.
export type AnyToolDefinition<Deps> = ToolDefinition<any, any, Deps>;

/**
 * Declares a tool. An identity function whose job is type inference: the handler's `args` and
 * return type follow from the schemas, and a missing annotation is a compile error.
 *
 * @param definition - the tool
 * @returns the same definition
 * @example
 * export const listAllowedDirectories = defineTool({
 *   name: 'list_allowed_directories', title: 'List allowed directories', description: '...',
 *   input: z.object({}), output: z.object({ directories: z.array(z.string()) }),
 *   annotations: READ_ONLY,
 *   async handler(_args, { deps }) { ... },
 * });
 */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject, Deps>(
  definition: ToolDefinition<Input, Output, Deps>,
): ToolDefinition<Input, Output, Deps> {
  return definition;
}
