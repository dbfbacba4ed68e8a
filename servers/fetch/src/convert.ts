import type TurndownService from 'turndown';

/** What a page becomes for the model. */
export type OutputFormat = 'markdown' | 'text' | 'html' | 'json';

/** Converted content. */
export interface Converted {
  content: string;
  /** The page's title, when it has one. */
  title: string | undefined;
  /** True when Readability found an article and the content is that article only. */
  simplified: boolean;
}

type HtmlLibraries = {
  parseHTML: typeof import('linkedom').parseHTML;
  Readability: typeof import('@mozilla/readability').Readability;
  /** Turndown as every conversion configures it; `baseUrl` makes relative links absolute. */
  createTurndown(baseUrl?: string): TurndownService;
};

let libraries: Promise<HtmlLibraries> | undefined;

// The DOM, Readability and Turndown are loaded on the first HTML page, not at startup, so
// initialize stays fast. linkedom builds a DOM without a browser: scripts never run.
function loadHtmlLibraries(): Promise<HtmlLibraries> {
  libraries ??= (async () => {
    const [{ parseHTML }, { Readability }, { default: Turndown }, gfm] = await Promise.all([
      import('linkedom'),
      import('@mozilla/readability'),
      import('turndown'),
      import('@joplin/turndown-plugin-gfm'),
    ]);
    const createTurndown = (baseUrl?: string) => {
      const turndown = new Turndown({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
      turndown.use(gfm.gfm);
      turndown.remove([
        'head',
        'title',
        'script',
        'style',
        'noscript',
        'template',
        'iframe',
        'object',
        'embed',
      ]);
      if (baseUrl) addAbsoluteLinkRules(turndown, baseUrl);
      return turndown;
    };
    return { parseHTML, Readability, createTurndown };
  })();
  return libraries;
}

/**
 * Converts an HTML page. `markdown` runs Mozilla Readability on a linkedom DOM and Turndown
 * (GitHub-flavoured tables) on the article; `text` is the article's text; `html` is the
 * article's HTML. With `raw`, Readability is skipped: markdown and text cover the whole body and
 * html is the page as received. When Readability finds no article, the whole body is used.
 * Relative links are made absolute against `baseUrl`.
 *
 * @param html - the decoded page
 * @param baseUrl - the URL it came from (after redirects)
 * @param format - markdown, text or html
 * @param raw - skip article extraction
 * @returns the content and title
 */
export async function convertHtml(
  html: string,
  baseUrl: string,
  format: Exclude<OutputFormat, 'json'>,
  raw: boolean,
): Promise<Converted> {
  if (format === 'html' && raw) return { content: html, title: undefined, simplified: false };
  const { parseHTML, Readability, createTurndown } = await loadHtmlLibraries();
  if (format === 'markdown' && raw) {
    // The whole page: Turndown parses it once itself and resolves links as it writes them.
    const content = createTurndown(baseUrl).turndown(html);
    return { content: content.trim(), title: titleOf(parseHTML, html), simplified: false };
  }
  const { document } = parseHTML(withDocumentShape(html));
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  absolutizeLinks(document, baseUrl);
  let body = document.body?.innerHTML ?? html;
  let simplified = false;
  let articleTitle: string | undefined;
  if (!raw) {
    // Readability mutates the document it is given; the body above is already serialised.
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
      keepClasses: false,
    }).parse();
    if (article?.content) {
      body = article.content;
      articleTitle = article.title?.trim() || undefined;
      simplified = true;
    }
  }
  let content: string;
  if (format === 'markdown') content = createTurndown().turndown(body);
  else if (format === 'html') content = body;
  else content = blockText(parseHTML(`<!doctype html><html><body>${body}</body></html>`).document);
  return { content: content.trim(), title: articleTitle ?? title, simplified };
}

// Elements that may open a page before its body when <html>, <head> and <body> are left out, as the
// HTML Standard allows (https://html.spec.whatwg.org/multipage/syntax.html#optional-tags).
const HEAD_PREFIX =
  /^(?:\s+|<!doctype[^>]*>|<!--[\s\S]*?-->|<\/?(?:html|head)\b[^>]*>|<(?:meta|link|base)\b[^>]*>|<(title|style|script|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>)*/i;

/**
 * A page that leaves out its optional <html>, <head> or <body> tags, rewritten with them.
 * linkedom does not infer them as a browser does: without a <body> tag the body comes out empty.
 * The head's elements at the start stay in the head; everything after them goes into the body.
 */
function withDocumentShape(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  const prefix = HEAD_PREFIX.exec(html)?.[0] ?? '';
  const head = prefix.replace(/<!doctype[^>]*>|<\/?(?:html|head)\b[^>]*>/gi, '');
  const body = html.slice(prefix.length).replace(/<\/html\s*>\s*$/i, '');
  return `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
}

// The title from the head alone, so the whole-page path parses the body only once (in Turndown).
function titleOf(parseHTML: HtmlLibraries['parseHTML'], html: string): string | undefined {
  const headEnd = html.search(/<\/head\s*>/i);
  const head = headEnd === -1 ? html.slice(0, 64 * 1024) : html.slice(0, headEnd);
  return (
    parseHTML(`${head}</head><body></body></html>`).document.querySelector('title')?.textContent?.trim() ||
    undefined
  );
}

/** The part of a DOM element the link rules read (the project compiles without the DOM lib). */
type ElementLike = { getAttribute(name: string): string | null };

// Turndown's own link and image rules, with the URL resolved against the page (and escaped as
// Turndown escapes titles).
function addAbsoluteLinkRules(turndown: TurndownService, baseUrl: string): void {
  const absolute = (value: string) => {
    if (value.startsWith('#')) return value;
    try {
      return new URL(value, baseUrl).href;
    } catch {
      return value;
    }
  };
  const titlePart = (node: ElementLike) => {
    const title = node.getAttribute('title');
    return title ? ` "${title.replace(/"/g, '\\"')}"` : '';
  };
  turndown.addRule('absoluteLink', {
    filter: (node) => node.nodeName === 'A' && Boolean(node.getAttribute('href')),
    replacement: (content, node) =>
      `[${content}](${absolute((node as unknown as ElementLike).getAttribute('href') ?? '')}${titlePart(node as unknown as ElementLike)})`,
  });
  turndown.addRule('absoluteImage', {
    filter: 'img',
    replacement: (_content, node) => {
      const element = node as unknown as ElementLike;
      const src = element.getAttribute('src');
      if (!src) return '';
      return `![${element.getAttribute('alt') ?? ''}](${absolute(src)}${titlePart(element)})`;
    },
  });
}

function absolutizeLinks(
  document: ReturnType<HtmlLibraries['parseHTML']>['document'],
  baseUrl: string,
): void {
  const base = document.querySelector('base[href]')?.getAttribute('href');
  let resolvedBase = baseUrl;
  try {
    if (base) resolvedBase = new URL(base, baseUrl).href;
  } catch {
    // a malformed <base> is ignored, as browsers do
  }
  for (const [selector, attribute] of [
    ['a[href]', 'href'],
    ['img[src]', 'src'],
  ] as const) {
    for (const element of document.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute);
      if (!value || value.startsWith('#')) continue;
      try {
        element.setAttribute(attribute, new URL(value, resolvedBase).href);
      } catch {
        // leave a link that does not parse as it is
      }
    }
  }
}

const BLOCKS =
  'address,article,aside,blockquote,br,dd,div,dl,dt,figcaption,figure,footer,h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,p,pre,section,table,tr,ul';

// textContent runs block elements together ("TitleFirst paragraph"); a line break after each
// block and a tab after each cell keep the text readable.
function blockText(document: ReturnType<HtmlLibraries['parseHTML']>['document']): string {
  for (const element of document.querySelectorAll('script,style,noscript,template')) element.remove();
  for (const element of document.querySelectorAll(BLOCKS)) element.after(document.createTextNode('\n'));
  for (const element of document.querySelectorAll('td,th')) element.after(document.createTextNode('\t'));
  return collapseBlankLines(document.body?.textContent ?? '');
}

function collapseBlankLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * Pretty-prints JSON with two-space indentation.
 *
 * @param text - the decoded body
 * @returns the pretty text, or `undefined` when the body is not valid JSON
 */
export function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}
