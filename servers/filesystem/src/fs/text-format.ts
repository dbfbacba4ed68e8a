import { ToolError } from '@bulwark/runtime';
import { iconv } from '../lazy.js';
import { type DecodedText, decodeText, encodeText } from './text.js';

/** An existing file's text layout: encoding, BOM and line ending. */
export type TextFormat = Omit<DecodedText, 'text'>;

const UNICODE_ENCODINGS = new Set(['utf-8', 'utf-16le', 'utf-16be']);

/**
 * Decodes an existing file when it is text, or gives undefined for binary or undecodable bytes
 * (which writers then replace or extend as UTF-8, as given).
 *
 * @param bytes - the whole file
 * @param displayPath - the path as the client gave it
 * @returns the decoded text and its format, or undefined
 */
export function decodeIfText(bytes: Buffer, displayPath: string): DecodedText | undefined {
  try {
    return decodeText(bytes, displayPath);
  } catch (error) {
    if (error instanceof ToolError) return undefined;
    throw error;
  }
}

/**
 * Turns every CRLF into LF, so text from a client matches a file's text whatever either uses.
 *
 * @param text - any text
 * @returns the text with `\n` line breaks (lone `\r` kept)
 */
export function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/**
 * Encodes new text the way an existing file is written: its encoding and BOM, and its line
 * ending when it has one (a file without line breaks takes the text's own). Without a format the
 * text is written as UTF-8 without a BOM, exactly as given.
 *
 * @param text - the new text
 * @param format - the existing file's format, or undefined for a new or binary file
 * @param displayPath - the path as the client gave it, for messages
 * @returns the bytes to write
 * @throws ToolError when the text has characters the file's legacy encoding cannot represent
 *   (iconv-lite would silently write `?` for them)
 */
export function encodeLike(text: string, format: TextFormat | undefined, displayPath: string): Buffer {
  if (!format) return Buffer.from(text, 'utf8');
  const body = format.lineEnding === 'none' ? text : toLf(text);
  const bytes = encodeText(body, format);
  if (
    !UNICODE_ENCODINGS.has(format.encoding) &&
    toLf(iconv().decode(bytes, format.encoding)) !== toLf(body)
  ) {
    throw new ToolError(
      `The new text has characters that "${displayPath}"'s encoding (${format.encoding}) cannot represent; remove them, or delete the file and write it again as UTF-8.`,
    );
  }
  return bytes;
}

/**
 * Refuses content larger than the whole-file budget.
 *
 * @param bytes - size of the content that would be written
 * @param maxBytes - the whole-file budget (`config.budgets.maxFileBytes`)
 * @param displayPath - the path as the client gave it
 * @throws ToolError when `bytes` is over `maxBytes`
 */
export function assertWithinFileBudget(bytes: number, maxBytes: number, displayPath: string): void {
  if (bytes > maxBytes) {
    throw new ToolError(
      `"${displayPath}" would be ${bytes} bytes, over the ${maxBytes}-byte limit for whole-file writes.`,
    );
  }
}
