import type { RenderedText } from '../safety/bodies.js';

/**
 * The text rendering of one authored text: a header line with author, association and trust,
 * then the envelope (or why there is none).
 *
 * @param text - from BodyRenderer
 * @param when - ISO timestamp shown in the header
 */
export function renderAuthored(text: RenderedText, when?: string): string {
  const header = `${text.author} (${text.author_association}${text.trusted ? ', trusted' : ''})${when ? ` ${when}` : ''}:`;
  if (text.withheld)
    return `${header} [body withheld by lockdown: the author cannot push to this repository]`;
  return `${header}\n${text.body ?? '(no text)'}`;
}
