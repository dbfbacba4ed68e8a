import path from 'node:path';
import { DEFAULT_BUDGETS, OVERWRITE_IDEMPOTENT } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { assertParentDirectory, createDirectories } from '../fs/create-directories.js';
import { describeBinaryChange, fenceDiff, renderDiff } from '../fs/diff.js';
import { assertExpectedContent, readExistingFile } from '../fs/existing-file.js';
import { sha256Hex } from '../fs/read-file.js';
import { assertWithinFileBudget, decodeIfText, encodeLike, toLf } from '../fs/text-format.js';
import { pathArg } from './schemas.js';

/** Creates a file or replaces its whole content atomically, keeping an existing file's format. */
export const writeFile = defineTool({
  name: 'write_file',
  title: 'Write file',
  description:
    'Creates a file or replaces its whole content atomically (a temporary file renamed over the target, so readers never see a partial file). An existing text file keeps its permission bits, encoding, byte order mark and line ending (line breaks in content are converted to it); a new file is written as UTF-8 exactly as given. With expected_sha256 (from a read) the write is refused when the file changed since. The parent directory must exist unless create_parents is true. Returns a unified diff of the change (line endings normalised, at most 64 KiB); dry_run returns the diff and writes nothing. Files up to 32 MiB. edit_file changes part of a file without resending all of it.',
  input: z.object({
    path: pathArg('File path, absolute or relative to the first allowed directory'),
    content: z
      .string()
      .max(DEFAULT_BUDGETS.maxFileBytes)
      .describe('The complete new content of the file, as text'),
    expected_sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe('sha256 of the file as last read; the write is refused when the file now differs or is gone'),
    create_parents: z.boolean().default(false).describe('Create missing parent directories (like mkdir -p)'),
    dry_run: z.boolean().default(false).describe('Compute the result and diff without writing anything'),
  }),
  output: z.object({
    path: z.string().describe('Canonical path of the file'),
    created: z.boolean().describe('True when the file did not exist before (or would not, on dry_run)'),
    applied: z.boolean().describe('True when the file was written; false on dry_run'),
    bytes_written: z
      .number()
      .describe('Bytes of the new file content (written, or that would be on dry_run)'),
    sha256: z.string().describe('SHA-256 of the new file content'),
    diff: z.string().describe('Unified diff from the old content (empty for a new file) to the new'),
    diff_truncated: z.boolean().describe('True when the diff was cut at 64 KiB'),
  }),
  annotations: OVERWRITE_IDEMPOTENT,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const { maxFileBytes } = deps.config.budgets;
    const existing = await readExistingFile(sandbox, args.path, maxFileBytes);
    assertExpectedContent(existing, args.expected_sha256, args.path);
    const target = existing?.resolved ?? (await sandbox.resolve(args.path, 'write'));
    const old = existing ? decodeIfText(existing.bytes, args.path) : undefined;
    const bytes = encodeLike(args.content, old, args.path);
    assertWithinFileBudget(bytes.length, maxFileBytes, args.path);
    const rendered =
      existing && !old
        ? describeBinaryChange(args.path, existing.bytes.length, bytes.length)
        : renderDiff(args.path, toLf(old?.text ?? ''), toLf(args.content));
    if (!existing) {
      const parent = path.dirname(target.real);
      if (args.create_parents) {
        if (!args.dry_run) await createDirectories(sandbox, parent, args.path);
      } else {
        await assertParentDirectory(parent, args.path, 'pass create_parents: true to create it');
      }
    }
    if (!args.dry_run) {
      await writeFileAtomic(sandbox, target, bytes, existing ? existing.stats.mode & 0o7777 : undefined);
    }
    const structured = {
      path: target.real,
      created: !existing,
      applied: !args.dry_run,
      bytes_written: bytes.length,
      sha256: sha256Hex(bytes),
      diff: rendered.diff,
      diff_truncated: rendered.truncated,
    };
    const verb = args.dry_run ? 'Dry run: would write' : existing ? 'Wrote' : 'Created';
    const summary = `${verb} ${bytes.length} bytes to "${args.path}" (sha256 ${structured.sha256}).`;
    return { structured, text: rendered.diff ? `${summary}\n${fenceDiff(rendered.diff)}` : summary };
  },
});
