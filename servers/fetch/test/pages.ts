/** Pages the loopback site serves to the fetch tests. */

/** An article page with navigation and footer around the article. */
export const ARTICLE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Harbour Notes</title>
<script>document.title = 'script ran'</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article>
<h1>Harbour Notes</h1>
<p>The harbour opens at dawn. Boats leave in a fixed order and return before the tide turns, which the <a href="/tides">tide table</a> gives for every day of the year.</p>
<p>Fishing crews keep to the eastern channel; pleasure craft use the western one. The pilot station answers on channel 12 and logs every departure and arrival in the harbour book.</p>
<p>Fees are charged per metre of hull and per night. Winter rates apply from November to March, and members of the harbour association pay half.</p>
<table><tr><th>Length</th><th>Fee</th></tr><tr><td>8 m</td><td>24</td></tr></table>
</article>
<footer>Harbour office, open daily</footer>
</body></html>`;

/** A long article, for paging. */
export function longArticle(paragraphs: number): string {
  const body = Array.from(
    { length: paragraphs },
    (_, index) => `<p>Paragraph ${index}: ${'the quick brown fox jumps over the lazy dog. '.repeat(6)}</p>`,
  ).join('\n');
  return `<!doctype html><html><head><title>Long</title></head><body><article><h1>Long</h1>${body}</article></body></html>`;
}

/** A page whose text carries a bidi override and zero-width characters. */
export const HIDDEN_CHARACTERS_HTML =
  '<!doctype html><html><head><title>Hidden</title></head><body><p>visible\u202etext\u200b here\u2066!</p></body></html>';
