import { stripUnsafeText } from './unsafe-text.js';

/** Where untrusted content came from, shown to the model next to it. */
export interface UntrustedSource {
  /** What kind of thing this is and where: a URL, `owner/repo#12`, `#channel`. */
  source: string;
  /** Who wrote it, when known. */
  author?: string;
  /** Other facts worth showing (status, content type, fetched-at). */
  [key: string]: string | undefined;
}

/**
 * Wraps untrusted text in an envelope that names its source and marks where it begins and ends,
 * after removing hidden characters. The delimiter carries a random nonce, so text inside cannot
 * forge the closing line.
 *
 * @param text - content from outside
 * @param meta - its source and author
 * @param nonce - delimiter nonce (random by default; fixed in tests)
 * @returns the envelope text
 */
export function wrapUntrusted(
  text: string,
  meta: UntrustedSource,
  nonce: string = crypto.randomUUID().slice(0, 8),
): string {
  const attributes = Object.entries(meta)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}="${stripUnsafeText(value).text.replace(/["\n\r]/g, ' ')}"`)
    .join(' ');
  return `<untrusted-content-${nonce} ${attributes}>\n${stripUnsafeText(text).text}\n</untrusted-content-${nonce}>`;
}
