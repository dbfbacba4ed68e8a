import { DEFAULT_BUDGETS, DESTRUCTIVE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { applyEdits } from '../fs/apply-edits.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { fenceDiff, renderDiff } from '../fs/diff.js';
import { assertNotStale, readVerifiedFile, sha256Hex } from '../fs/read-file.js';
import { decodeText } from '../fs/text.js';
import { assertWithinFileBudget, encodeLike, toLf } from '../fs/text-format.js';
import { pathArg } from './schemas.js';

const textField = z.string().max(DEFAULT_BUDGETS.maxFileBytes);

/** Replaces exact text in a file, all edits or none, and returns the diff. */
export const editFile = defineTool({
  name: 'edit_file',
  title: 'Edit file',
  description:
    'Replaces exact text in a text file: each edit replaces old_text with new_text, in order, each applied to the result of the previous one. old_text must occur exactly once unless replace_all is set; when any edit does not match, nothing is written and the error names the edit (numbered from 1). Matching ignores the difference between CRLF and LF line breaks; the file keeps its encoding, byte order mark, line ending and permission bits, and is replaced atomically. With expected_sha256 (from a read) the edit is refused when the file changed since. Returns a unified diff (at most 64 KiB); dry_run returns it without writing. Files up to 32 MiB; binary files are refused.',
  input: z.object({
    path: pathArg('File path, absolute or relative to the first allowed directory'),
    edits: z
      .array(
        z.object({
          old_text: textField.min(1).describe('Exact text to replace, including whitespace and indentation'),
          new_text: textField.describe('Replacement text (may be empty to delete old_text)'),
          replace_all: z.boolean().default(false).describe('Replace every occurrence instead of exactly one'),
        }),
      )
      .min(1)
      .max(100)
      .describe('Edits applied in order; all succeed or none is written'),
    expected_sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe('sha256 of the file as last read; the edit is refused when the file now differs'),
    dry_run: z.boolean().default(false).describe('Compute the result and diff without writing anything'),
  }),
  output: z.object({
    path: z.string().describe('Canonical path of the file'),
    replacements: z.array(z.number()).describe('Occurrences replaced by each edit, in order'),
    applied: z.boolean().describe('True when the file was written; false on dry_run or when nothing changed'),
    sha256: z.string().describe('SHA-256 of the new file content'),
    diff: z
      .string()
      .describe('Unified diff of the change (line endings normalised); empty when nothing changed'),
    diff_truncated: z.boolean().describe('True when the diff was cut at 64 KiB'),
  }),
  annotations: DESTRUCTIVE,
  async handler(args, { deps }: FsContext) {
    const { sandbox } = deps;
    const { maxFileBytes } = deps.config.budgets;
    const file = await readVerifiedFile(sandbox, args.path, maxFileBytes, 'write');
    assertNotStale(args.expected_sha256, file.sha256, args.path);
    const decoded = decodeText(file.bytes, args.path);
    const before = toLf(decoded.text);
    const edits = args.edits.map((edit) => ({ ...edit, old_text: toLf(edit.old_text) }));
    const { text: after, replacements } = applyEdits(before, edits, args.path);
    const bytes = encodeLike(after, decoded, args.path);
    assertWithinFileBudget(bytes.length, maxFileBytes, args.path);
    const rendered = renderDiff(args.path, before, toLf(after));
    const applied = !args.dry_run && !bytes.equals(file.bytes);
    if (applied) await writeFileAtomic(sandbox, file.resolved, bytes, file.stats.mode & 0o7777);
    const structured = {
      path: file.resolved.real,
      replacements,
      applied,
      sha256: sha256Hex(bytes),
      diff: rendered.diff,
      diff_truncated: rendered.truncated,
    };
    const summary = args.dry_run
      ? `Dry run: ${args.edits.length} edit(s) of "${args.path}" would apply.`
      : applied
        ? `Edited "${args.path}" (sha256 ${structured.sha256}).`
        : `No change: the edits leave "${args.path}" as it was.`;
    return { structured, text: rendered.diff ? `${summary}\n${fenceDiff(rendered.diff)}` : summary };
  },
});
