import { decodePageCursor, encodePageCursor, READ_ONLY, sanitizeName } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { type DirectoryEntry, readDirectoryEntries } from '../fs/read-directory.js';
import { pathArg } from './schemas.js';

/** Lists one directory with types, sizes and times, sorted and paginated. */
export const listDirectory = defineTool({
  name: 'list_directory',
  title: 'List directory',
  description:
    "Lists the entries of one directory with type, size (files) and modification time, sorted by name, size or time. Symlinks are shown as symlinks and never followed. Skips .gitignore'd entries unless include_ignored. Returns at most max_entries per call with next_cursor to continue.",
  input: z.object({
    path: pathArg('Directory path'),
    sort_by: z.enum(['name', 'size', 'modified']).default('name').describe('Sort key'),
    descending: z.boolean().default(false).describe('Reverse the order'),
    include_ignored: z.boolean().default(false).describe('Also list entries excluded by .gitignore'),
    max_entries: z.number().int().min(1).max(5000).default(500).describe('Entries per page'),
    cursor: z.string().max(4096).optional().describe('next_cursor from the previous page'),
  }),
  output: z.object({
    path: z.string(),
    entries: z.array(
      z.object({
        name: z.string(),
        type: z.enum(['file', 'directory', 'symlink', 'other']),
        size: z.number().optional().describe('Bytes, files only'),
        modified: z.string().optional().describe('ISO 8601'),
      }),
    ),
    total_entries: z.number(),
    truncated: z.boolean(),
    next_cursor: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps }: FsContext) {
    const query = { p: args.path, s: args.sort_by, d: args.descending, i: args.include_ignored };
    const offset = decodePageCursor('list_directory', args.cursor, query);
    const directory = await deps.sandbox.resolve(args.path, 'read');
    const entries = await readDirectoryEntries(deps, directory, {
      includeIgnored: args.include_ignored,
      withStats: true,
    });
    entries.sort(comparator(args.sort_by, args.descending));
    const page = entries.slice(offset, offset + args.max_entries);
    const more = offset + page.length < entries.length;
    const shown = page.map((entry) => ({
      name: sanitizeName(entry.name).name,
      type: entry.type,
      ...(entry.size !== undefined ? { size: entry.size } : {}),
      ...(entry.modified ? { modified: entry.modified } : {}),
    }));
    const structured = {
      path: directory.real,
      entries: shown,
      total_entries: entries.length,
      truncated: more,
      ...(more ? { next_cursor: encodePageCursor('list_directory', query, offset + page.length) } : {}),
    };
    const lines = shown.map((entry) => {
      const tag =
        entry.type === 'directory'
          ? '[DIR] '
          : entry.type === 'symlink'
            ? '[LINK]'
            : entry.type === 'file'
              ? '[FILE]'
              : '[OTHER]';
      return `${tag} ${entry.name}${entry.size !== undefined ? `  (${entry.size} bytes)` : ''}`;
    });
    if (lines.length === 0) lines.push('(empty)');
    if (more) lines.push(`[${entries.length - offset - page.length} more: pass cursor to continue]`);
    return { structured, text: lines.join('\n') };
  },
});

function comparator(key: 'name' | 'size' | 'modified', descending: boolean) {
  const sign = descending ? -1 : 1;
  return (a: DirectoryEntry, b: DirectoryEntry): number => {
    let order = 0;
    if (key === 'size') order = (a.size ?? -1) - (b.size ?? -1);
    if (key === 'modified') order = (a.modified ?? '').localeCompare(b.modified ?? '');
    if (order === 0) order = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return order * sign;
  };
}
