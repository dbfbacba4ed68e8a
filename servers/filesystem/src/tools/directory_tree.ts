import path from 'node:path';
import { createDeadline, READ_ONLY, type ResolvedPath, sanitizeName } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { resolveDirectory } from '../fs/entry.js';
import { assertRelativeGlob, expandExclude } from '../fs/glob.js';
import { readDirectoryEntries } from '../fs/read-directory.js';
import { picomatch } from '../lazy.js';
import { pathArg } from './schemas.js';

const entrySchema = z.object({
  path: z.string().describe('Path relative to the tree root, POSIX separators'),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  depth: z.number().describe('1 for direct children'),
});

/** Walks a directory tree with depth, entry and time budgets. */
export const directoryTree = defineTool({
  name: 'directory_tree',
  title: 'Directory tree',
  description:
    "Returns the tree under a directory as a flat list of entries in depth-first order (directories first, then by name), with a depth limit, glob excludes and an entry cap. Skips .gitignore'd entries unless include_ignored; never follows symlinks. Says truncated when the entry cap or time budget cut the tree, and counts directories left unexpanded by max_depth.",
  input: z.object({
    path: pathArg('Root of the tree'),
    max_depth: z.number().int().min(1).max(20).default(6).describe('Levels below path to include'),
    exclude: z
      .array(z.string().min(1).max(1024))
      .max(100)
      .default([])
      .describe('Globs to skip; a bare name skips it at any depth'),
    max_entries: z.number().int().min(1).max(10_000).default(2000).describe('Most entries returned'),
    include_ignored: z.boolean().default(false).describe('Also include entries excluded by .gitignore'),
  }),
  output: z.object({
    root: z.string(),
    entries: z.array(entrySchema),
    truncated: z.boolean().describe('True when max_entries or the time budget cut the walk'),
    depth_limited: z.number().describe('Directories at max_depth whose contents were not listed'),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal, progress }: FsContext) {
    for (const pattern of args.exclude) assertRelativeGlob(pattern, 'exclude');
    const excluded = picomatch()(args.exclude.flatMap(expandExclude), { dot: true });
    const root = await resolveDirectory(deps.sandbox, args.path);
    const deadline = createDeadline(deps.config.budgets.walkSeconds * 1000, signal);
    const entries: z.infer<typeof entrySchema>[] = [];
    let truncated = false;
    let depthLimited = 0;

    const visit = async (directory: ResolvedPath, relative: string, depth: number): Promise<void> => {
      const children = await readDirectoryEntries(deps, directory, {
        includeIgnored: args.include_ignored,
        withStats: false,
      }).catch(() => []);
      children.sort((a, b) =>
        a.type === 'directory' && b.type !== 'directory'
          ? -1
          : b.type === 'directory' && a.type !== 'directory'
            ? 1
            : a.name < b.name
              ? -1
              : 1,
      );
      for (const child of children) {
        if (truncated) return;
        const childRelative = relative ? `${relative}/${child.name}` : child.name;
        if (excluded(childRelative)) continue;
        if (entries.length >= args.max_entries || deadline.expired()) {
          truncated = true;
          return;
        }
        entries.push({ path: childRelative, type: child.type, depth });
        if (entries.length % 500 === 0)
          await progress(entries.length, args.max_entries, `${entries.length} entries`);
        if (child.type !== 'directory') continue;
        if (depth >= args.max_depth) {
          depthLimited++;
          continue;
        }
        await visit({ ...directory, input: childRelative, real: child.path }, childRelative, depth + 1);
      }
    };
    await visit(root, '', 1);

    const shown = entries.map((entry) => ({ ...entry, path: sanitizeName(entry.path).name }));
    const lines = [`${root.real}/`];
    for (const entry of shown) {
      const name = path.posix.basename(entry.path);
      lines.push(
        `${'  '.repeat(entry.depth)}${name}${entry.type === 'directory' ? '/' : entry.type === 'symlink' ? ' ->' : ''}`,
      );
    }
    if (truncated)
      lines.push(`[truncated at ${entries.length} entries; narrow path, lower max_depth or add exclude]`);
    if (depthLimited > 0) lines.push(`[${depthLimited} directories deeper than max_depth not expanded]`);
    return {
      structured: { root: root.real, entries: shown, truncated, depth_limited: depthLimited },
      text: lines.join('\n'),
    };
  },
});
