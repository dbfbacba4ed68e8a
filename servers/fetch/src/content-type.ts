import { MIMEType } from 'node:util';

/** How the server treats a response body, from its media type. */
export type BodyKind = 'html' | 'json' | 'text' | 'binary';

/** A parsed `Content-Type`. */
export interface MediaType {
  /** `type/subtype`, lower-case (`text/html`), or `''` when the header is absent or malformed. */
  essence: string;
  /** The `charset` parameter, when present. */
  charset: string | undefined;
}

/**
 * Parses a `Content-Type` header with the WHATWG MIME type parser (node:util `MIMEType`).
 *
 * @param header - the header value
 * @returns essence and charset; a malformed header gives an empty essence
 */
export function parseMediaType(header: string | string[] | undefined): MediaType {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return { essence: '', charset: undefined };
  try {
    const mime = new MIMEType(text);
    return { essence: mime.essence, charset: mime.params.get('charset') ?? undefined };
  } catch {
    return { essence: '', charset: undefined };
  }
}

// Textual types outside text/*: structured syntaxes (+json, +xml per RFC 6839) and the common
// script, data and config formats served as application/*.
const TEXTUAL_APPLICATION = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/xml',
  'application/xhtml+xml',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/sql',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'application/x-sh',
  'application/x-httpd-php',
]);

/**
 * Decides how to treat a body: HTML (converted), JSON (pretty-printed), other text (kept as is)
 * or binary (refused). Without a usable media type the first KiB is sniffed: a NUL byte or an
 * HTML tag at the start decides, else it is text.
 *
 * @param media - the parsed media type
 * @param bytes - the body (only the first KiB is looked at)
 * @returns the kind
 */
export function classifyBody(media: MediaType, bytes: Uint8Array): BodyKind {
  const { essence } = media;
  if (essence === 'text/html' || essence === 'application/xhtml+xml') return 'html';
  if (essence === 'application/json' || essence.endsWith('+json')) return 'json';
  if (essence.startsWith('text/') || essence.endsWith('+xml') || TEXTUAL_APPLICATION.has(essence))
    return 'text';
  if (essence !== '' && essence !== 'application/octet-stream' && essence !== 'unknown/unknown')
    return 'binary';
  const head = bytes.subarray(0, 1024);
  if (head.includes(0)) return 'binary';
  const start = Buffer.from(head).toString('latin1').trimStart().slice(0, 15).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return 'text';
}
