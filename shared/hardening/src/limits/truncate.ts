/** Text cut to a byte budget, and whether it was cut. */
export interface TruncatedText {
  text: string;
  /** True when bytes were dropped. */
  truncated: boolean;
  /** UTF-8 bytes in `text`. */
  bytes: number;
}

/**
 * Cuts text to at most `maxBytes` of UTF-8 without splitting a character.
 *
 * @param text - input text
 * @param maxBytes - budget in bytes (>= 0)
 * @returns the kept prefix and whether anything was dropped
 * @example truncateUtf8('héllo', 2); // { text: 'h', truncated: true, bytes: 1 }
 */
export function truncateUtf8(text: string, maxBytes: number): TruncatedText {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) return { text, truncated: false, bytes: encoded.length };
  let end = Math.max(0, Math.floor(maxBytes));
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  const kept = encoded.subarray(0, end).toString('utf8');
  return { text: kept, truncated: true, bytes: end };
}
