import path from 'node:path';
import { ADDITIVE_REPEATABLE, DEFAULT_BUDGETS } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { assertParentDirectory } from '../fs/create-directories.js';
import { assertExpectedContent, readExistingFile } from '../fs/existing-file.js';
import { sha256Hex } from '../fs/read-file.js';
import { assertWithinFileBudget, decodeIfText, encodeLike } from '../fs/text-format.js';
import { pathArg } from './schemas.js';

/** Adds text to the end of a file, creating it when asked. */
export const appendFile = defineTool({
  name: 'append_file',
  title: 'Append to file',
  description:
    'Adds text to the end of a file, exactly as given: no line break is added before or after it. The text is encoded like the existing file (its encoding, and its line ending when it has line breaks); a new file is created as UTF-8 unless create is false. The whole file is rewritten atomically and keeps its permission bits, so appends made at the same moment by other programs can be lost; files up to 32 MiB. With expected_sha256 (from a read) the append is refused when the file changed since.',
  input: z.object({
    path: pathArg('File path, absolute or relative to the first allowed directory'),
    content: z
      .string()
      .min(1)
      .max(DEFAULT_BUDGETS.maxFileBytes)
      .describe('Text to add at the end of the file'),
    create: z
      .boolean()
      .default(true)
      .describe('Create the file when it does not exist (its parent must exist)'),
    expected_sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe(
        'sha256 of the file as last read; the append is refused when the file now differs or is gone',
      ),
  }),
  output: z.object({
    path: z.string().describe('Canonical path of the file'),
    created: z.boolean().describe('True when the file did not exist before'),
    bytes_appended: z.number().describe('Bytes added'),
    size: z.number().describe('File size in bytes after the append'),
    sha256: z.string().describe('SHA-256 of the whole file after the append'),
  }),
  annotations: ADDITIVE_REPEATABLE,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const { maxFileBytes } = deps.config.budgets;
    const existing = await readExistingFile(sandbox, args.path, maxFileBytes);
    assertExpectedContent(existing, args.expected_sha256, args.path);
    if (!existing && !args.create) {
      throw new ToolError(`"${args.path}" does not exist; pass create: true to create it.`);
    }
    const target = existing?.resolved ?? (await sandbox.resolve(args.path, 'write'));
    if (!existing) {
      await assertParentDirectory(path.dirname(target.real), args.path, 'create it with create_directory');
    }
    const format = existing ? decodeIfText(existing.bytes, args.path) : undefined;
    const added = encodeLike(args.content, format && { ...format, bom: false }, args.path);
    const bytes = existing ? Buffer.concat([existing.bytes, added]) : added;
    assertWithinFileBudget(bytes.length, maxFileBytes, args.path);
    await writeFileAtomic(sandbox, target, bytes, existing ? existing.stats.mode & 0o7777 : undefined);
    const structured = {
      path: target.real,
      created: !existing,
      bytes_appended: added.length,
      size: bytes.length,
      sha256: sha256Hex(bytes),
    };
    const verb = existing ? 'Appended' : 'Created with';
    return {
      structured,
      text: `${verb} ${added.length} bytes: "${args.path}" is ${bytes.length} bytes (sha256 ${structured.sha256}).`,
    };
  },
});
