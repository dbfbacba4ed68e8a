/** One window of a long text. */
export interface TextWindow {
  text: string;
  start: number;
  /** Where the next window starts, or null at the end. */
  next: number | null;
}

/**
 * Cuts `[start, start + length)` out of a text, in UTF-16 code units as JavaScript strings count
 * them, without splitting a surrogate pair (the end moves back by one when it would).
 *
 * @param text - the whole text
 * @param start - offset of the first character (must be at most `text.length`)
 * @param length - most characters to take
 * @returns the window and where the next one starts
 */
export function windowOf(text: string, start: number, length: number): TextWindow {
  let end = Math.min(text.length, start + length);
  if (end < text.length && end > start + 1 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return { text: text.slice(start, end), start, next: end < text.length ? end : null };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
