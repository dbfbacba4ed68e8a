import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { OVERWRITE_IDEMPOTENT, SandboxError } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { assertParentDirectory } from '../fs/create-directories.js';
import { pathArg } from './schemas.js';

/** Copies one file to a new path, atomically. */
export const copyFile = defineTool({
  name: 'copy_file',
  title: 'Copy file',
  description:
    'Copies one regular file to a new path (directories are not copied: create the destination with create_directory and copy the files one by one). The copy keeps the permission bits and is written atomically. An existing destination is refused unless overwrite is true; the destination is the full path of the new file and its parent must exist. Files up to 32 MiB.',
  input: z.object({
    source: pathArg('Path of the file to copy'),
    destination: pathArg('Full path of the copy, including its file name'),
    overwrite: z.boolean().default(false).describe('Replace the destination when it already exists'),
  }),
  output: z.object({
    source: z.string().describe('Canonical path of the source'),
    destination: z.string().describe('Canonical path of the copy'),
    bytes: z.number().describe('Bytes copied'),
    overwritten: z.boolean().describe('True when an existing file was replaced'),
  }),
  annotations: OVERWRITE_IDEMPOTENT,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const { maxFileBytes } = deps.config.budgets;
    const source = await sandbox.resolve(args.source, 'read');
    const { handle, stats } = await sandbox.open(source, 'file').catch(async (error: unknown) => {
      if (error instanceof SandboxError && error.code === 'wrong-kind' && (await isDirectory(source.real))) {
        throw new ToolError(
          `"${args.source}" is a directory; copy_file copies single files, so create the destination with create_directory and copy the files one by one.`,
        );
      }
      throw error;
    });
    let bytes: Buffer;
    try {
      if (stats.size > maxFileBytes) {
        throw new ToolError(
          `"${args.source}" is ${stats.size} bytes, over the ${maxFileBytes}-byte limit of copy_file.`,
        );
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
    const destination = await sandbox.resolve(args.destination, 'write');
    const existing = destination.exists ? await lstat(destination.real) : undefined;
    if (existing?.isDirectory()) {
      throw new ToolError(
        `"${args.destination}" is a directory; give the full path of the copy, including its file name.`,
      );
    }
    if (existing && !args.overwrite) {
      throw new ToolError(`"${args.destination}" already exists; pass overwrite: true to replace it.`);
    }
    if (!existing)
      await assertParentDirectory(
        path.dirname(destination.real),
        args.destination,
        'create it with create_directory',
      );
    await writeFileAtomic(sandbox, destination, bytes, stats.mode & 0o777);
    const structured = {
      source: source.real,
      destination: destination.real,
      bytes: bytes.length,
      overwritten: !!existing,
    };
    return { structured, text: `Copied "${args.source}" to "${args.destination}" (${bytes.length} bytes).` };
  },
});

async function isDirectory(real: string): Promise<boolean> {
  return (await stat(real).catch(() => undefined))?.isDirectory() ?? false;
}
