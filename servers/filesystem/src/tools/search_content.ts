import {
  type BoundedLineMatcher,
  createBoundedLineMatcher,
  createDeadline,
  decodePageCursor,
  encodePageCursor,
  READ_ONLY,
  SandboxError,
} from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { resolveDirectory } from '../fs/entry.js';
import { displayPath, walkGlob } from '../fs/glob.js';
import { looksBinary } from '../fs/text.js';
import { pathArg } from './schemas.js';

/** Files larger than this are skipped by content search (bytes). */
const MAX_SEARCHED_FILE_BYTES = 4 * 1024 * 1024;
/** Time one file's regex scan may take (ms); files are at most 4 MiB, so a sane pattern needs far less. */
const MAX_REGEX_MS_PER_FILE = 2000;
/** Characters of one line shown in a match. */
const MAX_LINE_CHARS = 400;

const matchSchema = z.object({
  path: z.string(),
  line: z.number().describe('1-based line number'),
  text: z.string().describe('The matching line (cut at 400 characters)'),
  before: z.array(z.string()).optional().describe('Context lines before'),
  after: z.array(z.string()).optional().describe('Context lines after'),
});

/** Searches file contents for a regular expression or literal text, like grep. */
export const searchContent = defineTool({
  name: 'search_content',
  title: 'Search file contents',
  description:
    "Searches the contents of text files under a directory for a regular expression (JavaScript syntax) or literal text, like grep -rn. Returns matching lines with line numbers and optional context lines. Skips binary files, files over 4 MiB and .gitignore'd entries (unless include_ignored). Stops at max_matches per call (next_cursor continues) or the time budget.",
  input: z.object({
    path: pathArg('Directory to search under'),
    query: z.string().min(1).max(1000).describe('Regular expression, or literal text when literal is true'),
    literal: z.boolean().default(false).describe('Treat query as plain text, not a regular expression'),
    case_sensitive: z.boolean().default(true).describe('Match case exactly'),
    include: z.string().min(1).max(1024).default('**/*').describe('Glob of files to search, e.g. **/*.ts'),
    exclude: z
      .array(z.string().min(1).max(1024))
      .max(100)
      .default([])
      .describe('Globs to skip; a bare name skips it at any depth'),
    context_lines: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe('Lines of context before and after each match'),
    max_matches: z.number().int().min(1).max(2000).default(200).describe('Matches per page'),
    include_ignored: z.boolean().default(false).describe('Also search files excluded by .gitignore'),
    cursor: z.string().max(8192).optional().describe('next_cursor from the previous page'),
  }),
  output: z.object({
    matches: z.array(matchSchema),
    files_searched: z.number(),
    files_skipped: z.number().describe('Binary, too large or unreadable files'),
    truncated: z
      .boolean()
      .describe('True when more matches exist (see next_cursor) or the time budget ran out'),
    next_cursor: z.string().optional(),
    timed_out: z.boolean(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal, progress }: FsContext) {
    const query = {
      p: args.path,
      q: args.query,
      l: args.literal,
      c: args.case_sensitive,
      i: args.include,
      e: args.exclude,
      g: args.include_ignored,
    };
    const offset = decodePageCursor('search_content', args.cursor, query);
    const matcher = compile(args.query, args.literal, args.case_sensitive);
    const base = await resolveDirectory(deps.sandbox, args.path);
    const deadline = createDeadline(deps.config.budgets.walkSeconds * 1000, signal);
    const matches: z.infer<typeof matchSchema>[] = [];
    let seen = 0;
    let filesSearched = 0;
    let filesSkipped = 0;
    let more = false;
    walk: for await (const entry of walkGlob(deps, base, {
      pattern: args.include,
      exclude: args.exclude,
      includeIgnored: args.include_ignored,
      onlyFiles: true,
      deadline,
    })) {
      const text = await readSearchable(deps, entry.path);
      if (text === undefined) {
        filesSkipped++;
        continue;
      }
      filesSearched++;
      if (filesSearched % 500 === 0)
        await progress(filesSearched, undefined, `${filesSearched} files searched`);
      const hits = matcher.matchLines(text, Math.min(deadline.remainingMs(), MAX_REGEX_MS_PER_FILE));
      if (hits.length === 0) continue;
      const lines = text.split(/\r?\n/);
      for (const index of hits) {
        seen++;
        if (seen <= offset) continue;
        if (matches.length === args.max_matches) {
          more = true;
          break walk;
        }
        matches.push(toMatch(entry.path, lines, index, args.context_lines));
      }
      if (deadline.expired()) break;
    }
    const timedOut = !more && deadline.expired();
    const nextCursor = more ? encodePageCursor('search_content', query, offset + matches.length) : undefined;
    const structured = {
      matches,
      files_searched: filesSearched,
      files_skipped: filesSkipped,
      truncated: more || timedOut,
      ...(nextCursor ? { next_cursor: nextCursor } : {}),
      timed_out: timedOut,
    };
    return { structured, text: render(structured) };
  },
});

/** A line matcher whose regex runs under the search's time budget (see createBoundedLineMatcher). */
function compile(query: string, literal: boolean, caseSensitive: boolean): BoundedLineMatcher {
  const source = literal ? query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : query;
  try {
    return createBoundedLineMatcher(source, caseSensitive ? 'u' : 'iu');
  } catch (error) {
    throw new ToolError(
      `The query is not a valid regular expression (${(error as Error).message}); set literal: true to search plain text.`,
    );
  }
}

/** Reads a file for searching through the sandbox; undefined when it is binary, too large or refused. */
async function readSearchable(deps: FsContext['deps'], absolute: string): Promise<string | undefined> {
  try {
    const resolved = await deps.sandbox.resolve(absolute, 'read');
    const { handle, stats } = await deps.sandbox.open(resolved, 'file');
    try {
      if (stats.size > MAX_SEARCHED_FILE_BYTES) return undefined;
      const bytes = await handle.readFile();
      if (looksBinary(bytes)) return undefined;
      return bytes.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof SandboxError || (error as NodeJS.ErrnoException).code) return undefined;
    throw error;
  }
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}...` : line;
}

function toMatch(
  absolute: string,
  lines: string[],
  index: number,
  context: number,
): z.infer<typeof matchSchema> {
  const match: z.infer<typeof matchSchema> = {
    path: displayPath(absolute),
    line: index + 1,
    text: clip(lines[index] ?? ''),
  };
  if (context > 0) {
    match.before = lines.slice(Math.max(0, index - context), index).map(clip);
    match.after = lines.slice(index + 1, index + 1 + context).map(clip);
  }
  return match;
}

function render(result: {
  matches: z.infer<typeof matchSchema>[];
  files_searched: number;
  truncated: boolean;
  timed_out: boolean;
}): string {
  const out: string[] = [];
  for (const match of result.matches) {
    for (const [offset, line] of (match.before ?? []).entries()) {
      out.push(`${match.path}-${match.line - (match.before?.length ?? 0) + offset}-${line}`);
    }
    out.push(`${match.path}:${match.line}:${match.text}`);
    for (const [offset, line] of (match.after ?? []).entries())
      out.push(`${match.path}-${match.line + 1 + offset}-${line}`);
  }
  if (result.matches.length === 0) out.push(`No matches in ${result.files_searched} files.`);
  if (result.truncated && !result.timed_out) out.push('[more matches: pass cursor to continue]');
  if (result.timed_out) out.push('[stopped by the time budget; narrow path or include]');
  return out.join('\n');
}
