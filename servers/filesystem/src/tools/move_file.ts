import { link, lstat, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DESTRUCTIVE, isWithin, SandboxError } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { assertParentDirectory } from '../fs/create-directories.js';
import { assertNotRoot, resolveTargetEntry } from '../fs/target-entry.js';
import { pathArg } from './schemas.js';

/** errno codes of link(2) that mean "no hard links here", after which a checked rename is used. */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

/** Moves or renames a file, directory or symbolic link inside the allowed directories. */
export const moveFile = defineTool({
  name: 'move_file',
  title: 'Move or rename',
  description:
    'Moves or renames a file, directory or symbolic link (a link is moved as a link; its target is untouched). destination is the new full path, not a directory to move into, and its parent must exist. An existing destination is refused unless overwrite is true; a directory can replace only an empty directory. The allowed directories themselves cannot be moved, and a directory cannot be moved into itself. Source and destination must be on the same file system.',
  input: z.object({
    source: pathArg('Path of the file, directory or link to move'),
    destination: pathArg('New full path, including the name'),
    overwrite: z.boolean().default(false).describe('Replace the destination when it already exists'),
  }),
  output: z.object({
    source: z.string().describe('Canonical path the entry had'),
    destination: z.string().describe('Canonical path it has now'),
    overwritten: z.boolean().describe('True when an existing destination was replaced'),
  }),
  annotations: DESTRUCTIVE,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const source = await resolveTargetEntry(sandbox, args.source);
    if (!source.stats)
      throw new ToolError(`"${args.source}" does not exist; check the path with list_directory.`);
    assertNotRoot(sandbox, source, 'moved');
    const destination = await resolveTargetEntry(sandbox, args.destination);
    assertNotRoot(sandbox, destination, 'replaced');
    if (source.path === destination.path) throw new ToolError('source and destination name the same entry.');
    const isDirectory = source.stats.isDirectory();
    if (isDirectory && isWithin(source.path, destination.path)) {
      throw new ToolError(
        `"${args.destination}" is inside "${args.source}"; a directory cannot be moved into itself.`,
      );
    }
    if (!sandbox.isVisible(destination.path, isDirectory)) {
      throw new SandboxError(
        'denied',
        `Access denied: "${args.destination}" matches the server's secret deny list; the operator can change it with --allow.`,
      );
    }
    if (destination.stats) {
      if (!args.overwrite) throw exists(args.destination);
      if (destination.stats.ino === source.stats.ino && destination.stats.dev === source.stats.dev) {
        // rename(2) between two hard links to one file does nothing and still succeeds.
        throw new ToolError(
          `"${args.source}" and "${args.destination}" are hard links to the same file, so nothing would move; delete "${args.source}" with delete_path to drop that name.`,
        );
      }
      if (destination.stats.isDirectory() !== isDirectory) {
        throw new ToolError(
          `"${args.destination}" is a ${isDirectory ? 'file' : 'directory'}; a ${isDirectory ? 'directory' : 'file'} cannot replace it. Give the full new path, including the name.`,
        );
      }
    } else {
      await assertParentDirectory(
        path.dirname(destination.path),
        args.destination,
        'create it with create_directory',
      );
    }
    const parents = [path.dirname(source.path), path.dirname(destination.path)];
    for (const parent of parents) await sandbox.assertStillInside(parent);
    try {
      if (args.overwrite) await rename(source.path, destination.path);
      else await renameNoReplace(source.path, destination.path, isDirectory, args.destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
      throw new ToolError(
        `"${args.destination}" is a directory that is not empty; only an empty directory can be replaced.`,
      );
    }
    for (const parent of new Set(parents)) await syncDirectory(parent);
    const structured = {
      source: source.path,
      destination: destination.path,
      overwritten: !!destination.stats,
    };
    const replaced = destination.stats ? ' (replaced the existing entry)' : '';
    return { structured, text: `Moved "${args.source}" to "${args.destination}"${replaced}.` };
  },
});

/**
 * Renames without replacing an existing destination. For non-directories, link(2) + unlink(2)
 * makes the existence check and the move one step (link fails with EEXIST); Node has no
 * renameat2(RENAME_NOREPLACE). Directories, and file systems without hard links, fall back to an
 * lstat check just before rename(2), which leaves a short race window.
 */
async function renameNoReplace(source: string, destination: string, isDirectory: boolean, input: string) {
  if (!isDirectory) {
    try {
      await link(source, destination);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw exists(input);
      if (!LINK_UNSUPPORTED.has(code)) throw error;
      return checkedRename(source, destination, input);
    }
    try {
      await unlink(source);
    } catch (error) {
      await unlink(destination).catch(() => {});
      throw error;
    }
    return;
  }
  return checkedRename(source, destination, input);
}

async function checkedRename(source: string, destination: string, input: string): Promise<void> {
  if (
    await lstat(destination).then(
      () => true,
      () => false,
    )
  ) {
    throw exists(input);
  }
  await rename(source, destination);
}

function exists(input: string): ToolError {
  return new ToolError(`"${input}" already exists; pass overwrite: true to replace it.`);
}
