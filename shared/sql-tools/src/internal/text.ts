import { sanitizeName, stripUnsafeText } from '@bulwark/hardening';

/**
 * A name as shown in a text rendering: invisible characters removed and line breaks escaped
 * (`sanitizeName`), so a table called `a\nb` cannot forge a line. Structured output keeps the
 * exact name.
 */
export function show(name: string): string {
  return sanitizeName(name).name;
}

/** A catalog comment (free text anyone with DDL rights wrote) without hidden characters. */
export function cleanComment(text: string): string {
  return stripUnsafeText(text).text;
}

/** A comment or SQL fragment on one line, for a text rendering. */
export function oneLine(text: string): string {
  return cleanComment(text).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `{ comment }` when there is one, cleaned with {@link cleanComment}; `{}` otherwise. */
export function commentField(text: string | undefined): { comment?: string } {
  return text === undefined ? {} : { comment: cleanComment(text) };
}
