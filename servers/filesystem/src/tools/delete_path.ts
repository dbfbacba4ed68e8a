import type { Stats } from 'node:fs';
import { readdir, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createDeadline, DESTRUCTIVE, type Deadline } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { assertNotRoot, resolveTargetEntry } from '../fs/target-entry.js';
import { pathArg } from './schemas.js';

/** Entries counted for the confirmation message before the count is reported as "at least". */
const COUNT_LIMIT = 100_000;

/** Deletes a file, a symbolic link (not its target) or a directory. */
export const deletePath = defineTool({
  name: 'delete_path',
  title: 'Delete file or directory',
  description:
    'Deletes a file, a symbolic link (the link itself; its target is untouched) or a directory. A directory with entries is deleted only with recursive: true, together with everything inside it (links inside are removed, not followed). The allowed directories themselves, and directories that contain one, cannot be deleted. When the client supports elicitation the user is asked to confirm first. Deletion is permanent: there is no trash.',
  input: z.object({
    path: pathArg('Path of the file, link or directory to delete'),
    recursive: z.boolean().default(false).describe('Delete a non-empty directory with all its contents'),
  }),
  output: z.object({
    path: z.string().describe('Canonical path of the deleted entry'),
    kind: z
      .enum(['file', 'directory', 'symlink', 'other'])
      .describe('What was deleted; other is a FIFO, socket or device'),
    deleted: z.literal(true),
  }),
  annotations: DESTRUCTIVE,
  async handler(args, ctx: FsContext) {
    const { sandbox, config } = ctx.deps;
    const entry = await resolveTargetEntry(sandbox, args.path);
    if (!entry.stats)
      throw new ToolError(`"${args.path}" does not exist; check the path with list_directory.`);
    assertNotRoot(sandbox, entry, 'deleted');
    const kind = kindOf(entry.stats);
    let detail: string = kind;
    if (kind === 'directory') {
      const deadline = createDeadline(config.budgets.walkSeconds * 1000, ctx.signal);
      const { count, complete } = await countEntries(entry.path, deadline);
      if (count > 0 && !args.recursive) {
        throw new ToolError(
          `"${args.path}" is a directory with entries; pass recursive: true to delete it with its contents.`,
        );
      }
      detail = `directory, ${complete ? '' : 'at least '}${count} ${count === 1 ? 'entry' : 'entries'} inside`;
    }
    if (!(await ctx.confirm(`Delete "${args.path}" (${detail})?`)))
      throw new ToolError('Deletion declined by the user.');
    if (ctx.signal.aborted) throw new ToolError('The request was cancelled; nothing was deleted.');
    const parent = path.dirname(entry.path);
    await sandbox.assertStillInside(parent);
    if (kind !== 'directory') await unlink(entry.path);
    else if (args.recursive) await rm(entry.path, { recursive: true });
    else await rmdir(entry.path);
    await syncDirectory(parent);
    return {
      structured: { path: entry.path, kind, deleted: true as const },
      text: `Deleted "${args.path}" (${detail}).`,
    };
  },
});

function kindOf(stats: Stats): 'file' | 'directory' | 'symlink' | 'other' {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  return stats.isFile() ? 'file' : 'other';
}

/** Counts the entries below a directory without following links, for the confirmation message. */
async function countEntries(
  directory: string,
  deadline: Deadline,
): Promise<{ count: number; complete: boolean }> {
  let count = 0;
  const pending = [directory];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (count >= COUNT_LIMIT || deadline.expired()) return { count, complete: false };
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    count += entries.length;
    for (const child of entries) if (child.isDirectory()) pending.push(path.join(current, child.name));
  }
  return { count, complete: true };
}
