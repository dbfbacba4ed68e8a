import { READ_ONLY } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import {
  type LineSelection,
  type LineWindow,
  readLinesForward,
  readTailLines,
  selectLines,
} from '../fs/line-window.js';
import { sha256Hex } from '../fs/read-file.js';
import { decodeText } from '../fs/text.js';
import { pathArg } from './schemas.js';

const lineCount = z.number().int().min(1).max(10_000_000);

/** Reads a text file, whole or by head, tail or line range, within the byte budget. */
export const readTextFile = defineTool({
  name: 'read_text_file',
  title: 'Read text file',
  description:
    'Reads a text file as text: whole, its first or last N lines (head/tail), or a 1-based line range (start_line/end_line). The encoding is detected (UTF-8, UTF-16 by BOM, legacy encodings); binary files are refused. Output is cut at a byte budget on a line boundary and then says truncated with next_start_line. Returns sha256 of the whole file (files up to the whole-file limit) for stale-edit checks.',
  input: z.object({
    path: pathArg('File path, absolute or relative to the first allowed directory'),
    head: lineCount.optional().describe('Return only the first N lines'),
    tail: lineCount.optional().describe('Return only the last N lines'),
    start_line: lineCount.optional().describe('First line to return, 1-based (with optional end_line)'),
    end_line: lineCount.optional().describe('Last line to return, 1-based, inclusive'),
  }),
  output: z.object({
    path: z.string(),
    content: z.string(),
    encoding: z.string().describe('Detected encoding, e.g. utf-8'),
    line_ending: z.enum(['lf', 'crlf', 'none']).optional(),
    size: z.number().describe('File size in bytes'),
    start_line: z
      .number()
      .describe('1-based first line returned; 0 when unknown (tail of a large file) or empty'),
    end_line: z.number().describe('1-based last line returned; 0 when unknown or empty'),
    total_lines: z.number().optional().describe('Lines in the file, when known'),
    truncated: z.boolean().describe('True when the byte budget cut the selection'),
    next_start_line: z.number().optional().describe('Pass as start_line to continue after a truncated read'),
    sha256: z.string().optional().describe('SHA-256 of the whole file, for expected_sha256 in edits'),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }: FsContext) {
    const selection = toSelection(args);
    const { readBytes, maxFileBytes } = deps.config.budgets;
    const resolved = await deps.sandbox.resolve(args.path, 'read');
    const { handle, stats } = await deps.sandbox.open(resolved, 'file');
    try {
      let window: LineWindow;
      let encoding = 'utf-8';
      let lineEnding: 'lf' | 'crlf' | 'none' | undefined;
      let sha256: string | undefined;
      if (stats.size <= maxFileBytes) {
        const bytes = await handle.readFile();
        const decoded = decodeText(bytes, args.path);
        window = selectLines(decoded.text, selection, readBytes);
        encoding = decoded.encoding;
        lineEnding = decoded.lineEnding;
        sha256 = sha256Hex(bytes);
      } else {
        window = await readLarge(handle, stats.size, selection, readBytes, args.path, signal);
      }
      const structured = {
        path: resolved.real,
        content: window.content,
        encoding,
        ...(lineEnding ? { line_ending: lineEnding } : {}),
        size: stats.size,
        start_line: window.startLine,
        end_line: window.endLine,
        ...(window.totalLines !== undefined ? { total_lines: window.totalLines } : {}),
        truncated: window.truncated,
        ...(window.nextStartLine !== undefined ? { next_start_line: window.nextStartLine } : {}),
        ...(sha256 ? { sha256 } : {}),
      };
      const note = window.truncated
        ? `\n[truncated at ${readBytes} bytes${window.nextStartLine ? `; continue with start_line=${window.nextStartLine}` : ''}]`
        : '';
      return { structured, text: window.content + note };
    } finally {
      await handle.close();
    }
  },
});

function toSelection(args: {
  head?: number;
  tail?: number;
  start_line?: number;
  end_line?: number;
}): LineSelection {
  const ranged = args.start_line !== undefined || args.end_line !== undefined;
  const chosen = [args.head !== undefined, args.tail !== undefined, ranged].filter(Boolean).length;
  if (chosen > 1) throw new ToolError('Use only one of head, tail or start_line/end_line.');
  if (args.head !== undefined) return { kind: 'head', lines: args.head };
  if (args.tail !== undefined) return { kind: 'tail', lines: args.tail };
  if (ranged) {
    const start = args.start_line ?? 1;
    if (args.end_line !== undefined && args.end_line < start) {
      throw new ToolError('end_line must not be before start_line.');
    }
    return { kind: 'range', start, ...(args.end_line !== undefined ? { end: args.end_line } : {}) };
  }
  return { kind: 'all' };
}

/**
 * Files over the whole-file limit are streamed; only UTF-8/ASCII text can be read this way. The
 * bytes returned are checked for NUL (binary files and UTF-16 text both contain it) instead of a
 * separate sniffing read.
 */
async function readLarge(
  handle: import('node:fs/promises').FileHandle,
  size: number,
  selection: LineSelection,
  readBytes: number,
  input: string,
  signal: AbortSignal,
): Promise<LineWindow> {
  let window: LineWindow;
  switch (selection.kind) {
    case 'tail':
      window = await readTailLines(handle, size, selection.lines, readBytes);
      break;
    case 'head':
      window = await readLinesForward(handle, 1, selection.lines, readBytes, signal);
      break;
    case 'range':
      window = await readLinesForward(
        handle,
        selection.start,
        selection.end === undefined ? Number.POSITIVE_INFINITY : selection.end - selection.start + 1,
        readBytes,
        signal,
      );
      break;
    default:
      window = await readLinesForward(handle, 1, Number.POSITIVE_INFINITY, readBytes, signal);
  }
  if (window.content.includes('\u0000')) {
    throw new ToolError(
      `"${input}" is binary or UTF-16 and too large to read whole; only UTF-8 text files over the whole-file limit can be read in parts.`,
    );
  }
  return window;
}
