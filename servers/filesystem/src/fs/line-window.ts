import type { FileHandle } from 'node:fs/promises';

/** Which lines to return: the first N, the last N, or a 1-based inclusive range. */
export type LineSelection =
  | { kind: 'all' }
  | { kind: 'head'; lines: number }
  | { kind: 'tail'; lines: number }
  | { kind: 'range'; start: number; end?: number };

/** A slice of a text by whole lines, cut to a byte budget at a line boundary. */
export interface LineWindow {
  /** The selected text, verbatim (line endings kept). */
  content: string;
  /** 1-based number of the first line returned (0 when nothing was returned). */
  startLine: number;
  /** 1-based number of the last line returned (0 when nothing was returned). */
  endLine: number;
  /** Lines in the whole file, when known without reading all of it. */
  totalLines?: number;
  /** True when the byte budget or the selection stopped before the text's end. */
  truncated: boolean;
  /** Where to continue with a range read, when the budget cut the window. */
  nextStartLine?: number;
}

/** Offsets where each line starts, plus the text's length as a sentinel. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    starts.push(index + 1);
  if (starts[starts.length - 1] !== text.length) starts.push(text.length);
  return starts;
}

/**
 * Selects whole lines from a decoded text and cuts the result to `maxBytes` at a line boundary.
 *
 * @param text - the whole decoded file
 * @param selection - head, tail, range or all
 * @param maxBytes - UTF-8 byte budget for the returned content
 * @returns the window
 */
export function selectLines(text: string, selection: LineSelection, maxBytes: number): LineWindow {
  const starts = lineStarts(text);
  const totalLines = starts.length - 1;
  let first = 0;
  let last = totalLines;
  if (selection.kind === 'head') last = Math.min(totalLines, selection.lines);
  if (selection.kind === 'tail') first = Math.max(0, totalLines - selection.lines);
  if (selection.kind === 'range') {
    first = Math.min(totalLines, selection.start - 1);
    last = Math.min(totalLines, selection.end ?? totalLines);
  }
  if (last <= first) return { content: '', startLine: 0, endLine: 0, totalLines, truncated: false };
  // Grow line by line while the budget allows (always at least one line, cut if it alone is too big).
  let bytes = 0;
  let end = first;
  while (end < last) {
    const lineBytes = Buffer.byteLength(text.slice(starts[end], starts[end + 1]), 'utf8');
    if (bytes + lineBytes > maxBytes && end > first) break;
    bytes += lineBytes;
    end++;
  }
  let content = text.slice(starts[first], starts[end]);
  let truncated = end < last;
  if (Buffer.byteLength(content, 'utf8') > maxBytes) {
    content = Buffer.from(content, 'utf8')
      .subarray(0, maxBytes)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
    truncated = true;
  }
  return {
    content,
    startLine: first + 1,
    endLine: end,
    totalLines,
    truncated,
    ...(end < last ? { nextStartLine: end + 1 } : {}),
  };
}

/** Bytes per read when streaming a large file: one read covers a typical head or tail. */
const CHUNK = 16 * 1024;

/**
 * Reads `lines` lines starting at 1-based line `startLine` of a large file without loading it,
 * stopping at `maxBytes`. Bytes are decoded as UTF-8 (large files are only read this way when
 * they are UTF-8 or ASCII).
 *
 * @param handle - an open, verified file
 * @param startLine - 1-based first line
 * @param lines - how many lines (Infinity for all)
 * @param maxBytes - byte budget
 * @param signal - stops the scan when aborted
 * @returns the window (`totalLines` unknown)
 */
export async function readLinesForward(
  handle: FileHandle,
  startLine: number,
  lines: number,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<LineWindow> {
  const parts: Buffer[] = [];
  let position = 0;
  let toSkip = startLine - 1;
  let newlines = 0;
  let taken = 0;
  let cutByBudget = false;
  for (;;) {
    signal?.throwIfAborted();
    const buffer = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    if (bytesRead === 0) break;
    let begin = 0;
    while (toSkip > 0 && begin < bytesRead) {
      const next = buffer.indexOf(0x0a, begin);
      if (next === -1 || next >= bytesRead) {
        begin = bytesRead;
        break;
      }
      begin = next + 1;
      toSkip--;
    }
    let end = begin;
    for (; end < bytesRead && newlines < lines; end++) if (buffer[end] === 0x0a) newlines++;
    if (taken + (end - begin) > maxBytes) {
      end = begin + (maxBytes - taken);
      cutByBudget = true;
    }
    parts.push(buffer.subarray(begin, end));
    taken += end - begin;
    position += bytesRead;
    if (newlines >= lines || cutByBudget) break;
  }
  let bytes = Buffer.concat(parts);
  if (cutByBudget) {
    // Keep whole lines only (at least the partial first line, so progress is always made).
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline >= 0) bytes = bytes.subarray(0, lastNewline + 1);
  }
  const content = bytes.toString('utf8');
  const returned = countLines(content);
  return {
    content,
    startLine: returned > 0 ? startLine : 0,
    endLine: returned > 0 ? startLine + returned - 1 : 0,
    truncated: cutByBudget,
    ...(cutByBudget ? { nextStartLine: startLine + returned } : {}),
  };
}

/**
 * Reads the last `lines` lines of a large file by reading backwards from its end.
 *
 * @param handle - an open, verified file
 * @param size - file size in bytes
 * @param lines - how many lines
 * @param maxBytes - byte budget (the oldest lines are dropped first)
 * @returns the window (line numbers unknown, reported as 0)
 */
export async function readTailLines(
  handle: FileHandle,
  size: number,
  lines: number,
  maxBytes: number,
): Promise<LineWindow> {
  const parts: Buffer[] = [];
  let position = size;
  let newlines = 0;
  let collected = 0;
  // A final newline ends the last line; it does not start another one.
  let skipFinal = true;
  let start = -1;
  while (position > 0 && start < 0 && collected < maxBytes + 1) {
    const length = Math.min(CHUNK, position);
    position -= length;
    const buffer = Buffer.allocUnsafe(length);
    await handle.read(buffer, 0, length, position);
    for (let index = length - 1; index >= 0; index--) {
      if (buffer[index] !== 0x0a) continue;
      if (skipFinal && position + index === size - 1) continue;
      newlines++;
      if (newlines === lines) {
        start = position + index + 1;
        break;
      }
    }
    skipFinal = false;
    parts.unshift(buffer);
    collected += length;
  }
  let bytes = Buffer.concat(parts);
  const offset = start < 0 ? position : start;
  bytes = bytes.subarray(offset - position);
  let truncated = false;
  if (bytes.length > maxBytes) {
    bytes = bytes.subarray(bytes.length - maxBytes);
    const firstNewline = bytes.indexOf(0x0a);
    if (firstNewline >= 0 && firstNewline < bytes.length - 1) bytes = bytes.subarray(firstNewline + 1);
    truncated = true;
  }
  return { content: bytes.toString('utf8'), startLine: 0, endLine: 0, truncated };
}

/** Number of lines in a text (a final line without a newline counts). */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}
