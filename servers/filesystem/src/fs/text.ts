import { ToolError } from '@bulwark/runtime';
import { chardet, iconv } from '../lazy.js';

/** A file's bytes decoded as text, with what is needed to write it back the same way. */
export interface DecodedText {
  text: string;
  /** IANA-style encoding name: `utf-8`, `utf-16le`, `utf-16be`, or what chardet detected. */
  encoding: string;
  /** Whether the file starts with a byte order mark (kept on write). */
  bom: boolean;
  /** The dominant line ending (kept on write). */
  lineEnding: LineEnding;
}

/** Line ending of a text; `none` for text without line breaks. */
export type LineEnding = 'lf' | 'crlf' | 'none';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SNIFF_BYTES = 8192;

/**
 * Decides whether bytes look binary: a NUL byte in the first 8 KiB (after ruling out UTF-16 by its
 * BOM) is the same test git and grep use.
 *
 * @param bytes - the start of a file
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasUtf16Bom(bytes)) return false;
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let index = 0; index < end; index++) if (bytes[index] === 0) return true;
  return false;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * Decodes file bytes to text: BOM first (UTF-8, UTF-16 LE/BE), then strict UTF-8, then the
 * encoding chardet detects (e.g. windows-1252, Shift_JIS) when iconv-lite can decode it.
 *
 * @param bytes - the whole file
 * @param displayPath - the path as the client gave it, for messages
 * @returns the decoded text
 * @throws ToolError when the bytes are binary or in no decodable encoding
 */
export function decodeText(bytes: Buffer, displayPath: string): DecodedText {
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) return finish(bytes.subarray(3).toString('utf8'), 'utf-8', true);
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return finish(iconv().decode(bytes.subarray(2), 'utf-16le'), 'utf-16le', true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return finish(iconv().decode(bytes.subarray(2), 'utf-16be'), 'utf-16be', true);
  if (looksBinary(bytes)) {
    throw new ToolError(
      `"${displayPath}" is a binary file; use read_media_file for images and audio, or get_file_info.`,
    );
  }
  try {
    return finish(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8', false);
  } catch {
    // Not UTF-8: fall through to detection.
  }
  const detected = chardet().detect(bytes.subarray(0, 64 * 1024));
  if (detected && iconv().encodingExists(detected)) {
    return finish(iconv().decode(bytes, detected), detected.toLowerCase(), false);
  }
  throw new ToolError(`"${displayPath}" is not in a text encoding the server can decode.`);
}

/**
 * Encodes text back in a file's own encoding, BOM and line ending.
 *
 * @param text - text with `\n` line endings or mixed
 * @param format - from {@link decodeText} of the original file
 * @returns the bytes to write
 */
export function encodeText(text: string, format: Omit<DecodedText, 'text'>): Buffer {
  const normalised = format.lineEnding === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text;
  const encoding = format.encoding;
  if (encoding === 'utf-8')
    return Buffer.concat([format.bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(normalised, 'utf8')]);
  const body = iconv().encode(normalised, encoding);
  if (!format.bom) return body;
  const bom =
    encoding === 'utf-16le'
      ? Buffer.from([0xff, 0xfe])
      : encoding === 'utf-16be'
        ? Buffer.from([0xfe, 0xff])
        : Buffer.alloc(0);
  return Buffer.concat([bom, body]);
}

/**
 * The dominant line ending of a text: CRLF when most line breaks are CRLF.
 *
 * @param text - decoded text
 */
export function detectLineEnding(text: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index > 0 && text.charCodeAt(index - 1) === 13) crlf++;
    else lf++;
  }
  if (crlf === 0 && lf === 0) return 'none';
  return crlf > lf ? 'crlf' : 'lf';
}

function finish(text: string, encoding: string, bom: boolean): DecodedText {
  return { text, encoding, bom, lineEnding: detectLineEnding(text) };
}
