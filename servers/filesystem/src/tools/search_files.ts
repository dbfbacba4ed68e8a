import { createDeadline, decodePageCursor, encodePageCursor, READ_ONLY } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { resolveDirectory } from '../fs/entry.js';
import { displayPath, walkGlob } from '../fs/glob.js';
import { pathArg } from './schemas.js';

/** Finds files and directories by glob pattern, paginated. */
export const searchFiles = defineTool({
  name: 'search_files',
  title: 'Search files by name',
  description:
    'Finds files and directories under a directory whose paths match a glob (fast-glob syntax: `**/*.ts`, `src/**/test_*.py`, `*.{png,jpg}`). A pattern without "/" matches names at any depth. Skips .gitignore\'d entries unless include_ignored, never follows symlinked directories, and returns at most max_results per call with next_cursor to continue.',
  input: z.object({
    path: pathArg('Directory to search under'),
    pattern: z.string().min(1).max(1024).describe('Glob relative to path, e.g. **/*.md'),
    exclude: z
      .array(z.string().min(1).max(1024))
      .max(100)
      .default([])
      .describe('Globs to skip; a bare name skips it at any depth'),
    include_ignored: z.boolean().default(false).describe('Also return entries excluded by .gitignore files'),
    max_results: z.number().int().min(1).max(10_000).default(500).describe('Entries per page'),
    cursor: z.string().max(8192).optional().describe('next_cursor from the previous page'),
  }),
  output: z.object({
    matches: z.array(z.object({ path: z.string(), type: z.enum(['file', 'directory', 'symlink']) })),
    truncated: z
      .boolean()
      .describe('True when more matches exist (see next_cursor) or the time budget ran out'),
    next_cursor: z.string().optional(),
    timed_out: z.boolean().describe('True when the time budget stopped the walk early'),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal, progress }: FsContext) {
    const query = {
      path: args.path,
      pattern: args.pattern,
      exclude: args.exclude,
      ignored: args.include_ignored,
    };
    const offset = decodePageCursor('search_files', args.cursor, query);
    const base = await resolveDirectory(deps.sandbox, args.path);
    const deadline = createDeadline(deps.config.budgets.walkSeconds * 1000, signal);
    const matches: { path: string; type: 'file' | 'directory' | 'symlink' }[] = [];
    let seen = 0;
    let more = false;
    for await (const entry of walkGlob(deps, base, {
      pattern: args.pattern,
      exclude: args.exclude,
      includeIgnored: args.include_ignored,
      onlyFiles: false,
      deadline,
    })) {
      seen++;
      if (seen <= offset) continue;
      if (matches.length === args.max_results) {
        more = true;
        break;
      }
      matches.push({ path: displayPath(entry.path), type: entry.type });
      if (matches.length % 200 === 0) await progress(matches.length, undefined, `${matches.length} matches`);
    }
    const timedOut = !more && deadline.expired();
    const nextCursor = more ? encodePageCursor('search_files', query, offset + matches.length) : undefined;
    const structured = {
      matches,
      truncated: more || timedOut,
      ...(nextCursor ? { next_cursor: nextCursor } : {}),
      timed_out: timedOut,
    };
    const lines = matches.map((match) => (match.type === 'directory' ? `${match.path}/` : match.path));
    if (matches.length === 0) lines.push('No matches.');
    if (more) lines.push(`[more matches: pass cursor to continue]`);
    if (timedOut) lines.push(`[stopped after ${deps.config.budgets.walkSeconds} s; narrow path or pattern]`);
    return { structured, text: lines.join('\n') };
  },
});
