import { READ_ONLY } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { describeFailure } from '../fs/describe-failure.js';
import { selectLines } from '../fs/line-window.js';
import { readVerifiedFile } from '../fs/read-file.js';
import { decodeText } from '../fs/text.js';
import { pathArg } from './schemas.js';

const MAX_FILES = 50;

/** Reads several text files at once; a failure on one file is reported inline, not for the whole call. */
export const readMultipleFiles = defineTool({
  name: 'read_multiple_files',
  title: 'Read multiple files',
  description: `Reads up to ${MAX_FILES} text files in one call. Each file is returned with its content or its own error (a missing or refused file does not fail the others). The read byte budget is shared by all files; files past it are reported as truncated.`,
  input: z.object({
    paths: z.array(pathArg('A file path')).min(1).max(MAX_FILES).describe('File paths'),
  }),
  output: z.object({
    files: z.array(
      z.object({
        path: z.string().describe('The path as requested'),
        content: z.string().optional(),
        truncated: z.boolean().optional(),
        sha256: z.string().optional(),
        error: z.string().optional().describe('Why this file could not be read'),
      }),
    ),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, log }: FsContext) {
    const { maxFileBytes } = deps.config.budgets;
    let remaining = deps.config.budgets.readBytes;
    const files = [];
    for (const input of args.paths) {
      try {
        const file = await readVerifiedFile(deps.sandbox, input, maxFileBytes);
        const window = selectLines(
          decodeText(file.bytes, input).text,
          { kind: 'all' },
          Math.max(remaining, 0),
        );
        remaining -= Buffer.byteLength(window.content, 'utf8');
        files.push({
          path: input,
          content: window.content,
          truncated: window.truncated,
          sha256: file.sha256,
        });
      } catch (error) {
        files.push({ path: input, error: describeFailure(error, 'read_multiple_files', log) });
      }
    }
    const text = files
      .map((file) =>
        file.error !== undefined
          ? `${file.path}: Error - ${file.error}`
          : `${file.path}:\n${file.content}${file.truncated ? '\n[truncated: read the rest with read_text_file]' : ''}`,
      )
      .join('\n---\n');
    return { structured: { files }, text };
  },
});
