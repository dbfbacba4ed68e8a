import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { READ_ONLY, SandboxError, sanitizeName } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { pathArg } from './schemas.js';

const ENTRY_TYPES = ['file', 'directory', 'symlink', 'fifo', 'socket', 'device'] as const;

/** Reports metadata of one file, directory or symlink without reading its content. */
export const getFileInfo = defineTool({
  name: 'get_file_info',
  title: 'Get file info',
  description:
    'Returns metadata of a file, directory or symbolic link: type, size in bytes, created/modified/accessed times (ISO 8601), permission bits and link count. For a symlink it gives its target when the target is inside the allowed directories. Reads no content.',
  input: z.object({
    path: pathArg('Path of the entry'),
  }),
  output: z.object({
    path: z.string(),
    type: z.enum(ENTRY_TYPES),
    size: z.number().describe('Bytes'),
    created: z.string(),
    modified: z.string(),
    accessed: z.string(),
    mode: z.string().describe('Permission bits in octal, e.g. 0644'),
    link_count: z.number(),
    link_target: z
      .string()
      .optional()
      .describe('Canonical target of a symlink, when inside the allowed directories'),
    link_target_type: z.enum(ENTRY_TYPES).optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const own = await sandbox.resolveEntry(args.path, 'read');
    let entry: string;
    let stats: Stats;
    let target: { path: string; type: (typeof ENTRY_TYPES)[number] } | undefined;
    if (own?.stats.isSymbolicLink()) {
      entry = own.path;
      stats = own.stats;
      // Name the target only when it is inside the roots and exists; never reveal an outside path.
      const resolved = await sandbox.resolve(args.path, 'read').catch((error: unknown) => {
        if (error instanceof SandboxError) return undefined;
        throw error;
      });
      if (resolved?.exists) target = { path: resolved.real, type: typeOf(await lstat(resolved.real)) };
    } else if (own) {
      // Not a link: the canonical parent plus this name is already the canonical path.
      entry = own.path;
      stats = own.stats;
    } else {
      // A root itself (its parent lies outside the roots).
      const resolved = await sandbox.resolve(args.path, 'read');
      entry = resolved.real;
      stats = await lstat(resolved.real);
    }
    const structured = {
      path: entry,
      type: typeOf(stats),
      size: stats.size,
      created: stats.birthtime.toISOString(),
      modified: stats.mtime.toISOString(),
      accessed: stats.atime.toISOString(),
      mode: `0${(stats.mode & 0o7777).toString(8)}`,
      link_count: stats.nlink,
      ...(target ? { link_target: target.path, link_target_type: target.type } : {}),
    };
    // Names are shown cleaned in the text, like every listing; structuredContent keeps them exact
    // so a client can address the entry.
    const text = Object.entries(structured)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? sanitizeName(value).name : value}`)
      .join('\n');
    return { structured, text };
  },
});

function typeOf(stats: Stats): (typeof ENTRY_TYPES)[number] {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'file';
}
