import { sanitizeName } from '@bulwark/hardening';
import type { GuardedClient, GuardedResponse } from '@bulwark/hardening/net';
import { ToolError } from '@bulwark/runtime';
import { type BodyKind, classifyBody, parseMediaType } from './content-type.js';
import { type Converted, convertHtml, type OutputFormat, prettyJson } from './convert.js';
import { decodeHtml, decodeText } from './decode.js';
import type { PageCache } from './page-cache.js';
import type { RobotsChecker } from './robots.js';

/** Sent on every page request; the same for every format, so one cached entry serves them all. */
export const PAGE_ACCEPT =
  'text/html,application/xhtml+xml,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5';

/** What fetching needs: built once per process by the server. */
export interface FetchDeps {
  client: GuardedClient;
  /** Undefined when the operator turned robots.txt off. */
  robots: RobotsChecker | undefined;
  cache: PageCache;
}

/** One page, fetched and converted in full (paging happens in the tool). */
export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  /** Media type essence, or `''` when the response had none. */
  contentType: string;
  /** The encoding the body was decoded with. */
  encoding: string;
  kind: Exclude<BodyKind, 'binary'>;
  title: string | undefined;
  content: string;
  /** True when Readability reduced the page to its article. */
  simplified: boolean;
  /** True when the body was cut at the server's byte cap. */
  bodyTruncated: boolean;
  /** True when the stored copy was used (fresh, or confirmed by a 304). */
  fromCache: boolean;
  /** ISO-8601 time the body was received from the network. */
  fetchedAt: string;
}

/** How one page is fetched. */
export interface FetchPageOptions {
  format: OutputFormat;
  raw: boolean;
  /** Consult robots.txt (tool calls); prompts, which the user starts, do not. */
  robots: boolean;
  signal?: AbortSignal;
}

// Network receipt time of each response object, and its conversions, so that paging through a
// cached page neither re-downloads nor re-converts it.
const receivedAt = new WeakMap<GuardedResponse, string>();
const conversions = new WeakMap<GuardedResponse, Map<string, Promise<Converted>>>();

/**
 * Fetches a URL through the guard and converts it: robots.txt first (when asked), then the cache
 * (fresh entries are used, stale ones revalidated), then the network; the body is decoded
 * (HTML sniffing, or BOM/charset/UTF-8) and converted to the format.
 *
 * @param deps - client, robots checker, cache
 * @param url - absolute http(s) URL
 * @param options - format, raw, robots, cancellation
 * @returns the page
 * @throws ToolError when robots.txt disallows the URL, the final status is 4xx/5xx, the body is
 *   binary, or JSON was asked for and the body is not JSON; NetGuardError when the guard refuses
 */
export async function fetchPage(
  deps: FetchDeps,
  url: string,
  options: FetchPageOptions,
): Promise<FetchedPage> {
  // The guard's URL rules first, so a refused URL is refused as such and not as a robots.txt miss.
  const target = deps.client.checkUrl(url);
  if (options.robots && deps.robots) {
    const verdict = await deps.robots.check(target, options.signal);
    if (!verdict.allowed) {
      throw new ToolError(
        verdict.reason === 'disallowed'
          ? `${verdict.robotsUrl} disallows fetching ${target.href} for this server's user agent; the user can fetch it through the fetch prompt, or the operator can start the server with --ignore-robots-txt.`
          : `${verdict.robotsUrl} could not be read (server error or unreachable), which RFC 9309 treats as disallowing everything; try again later.`,
      );
    }
  }
  const headers = { accept: PAGE_ACCEPT };
  const cached = deps.cache.lookup(target.href, headers);
  let response: GuardedResponse;
  let fromCache = false;
  if (cached.kind === 'fresh') {
    response = cached.page.response;
    fromCache = true;
  } else {
    const fresh = await deps.client.get(target.href, {
      headers,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(cached.kind === 'revalidate' ? { conditional: cached.conditional } : {}),
    });
    if (!receivedAt.has(fresh)) receivedAt.set(fresh, new Date().toISOString());
    response = deps.cache.accept(
      target.href,
      headers,
      fresh,
      cached.kind === 'revalidate' ? cached.page : undefined,
    );
    fromCache = response !== fresh;
  }
  if (response.status >= 400) {
    throw new ToolError(
      `${response.finalUrl} answered HTTP ${response.status}; check the URL, or try again later for a 5xx.`,
    );
  }
  const media = parseMediaType(response.headers['content-type']);
  const kind = classifyBody(media, response.body);
  if (kind === 'binary') {
    throw new ToolError(
      `${response.finalUrl} is ${media.essence || 'binary data'}, which this server does not convert to text; fetch an HTML, JSON or text URL instead.`,
    );
  }
  const decoded =
    kind === 'html'
      ? await decodeHtml(response.body, media.charset)
      : decodeText(response.body, media.charset);
  const converted = await convertOnce(response, `${options.format}:${options.raw}`, () =>
    convertBody(kind, decoded.text, response.finalUrl, options),
  );
  return {
    url: target.href,
    finalUrl: response.finalUrl,
    status: response.status,
    contentType: media.essence,
    encoding: decoded.encoding,
    kind,
    // The title is the page's own text, shown outside the envelope: cleaned like a name.
    title: converted.title === undefined ? undefined : sanitizeName(converted.title).name || undefined,
    content: converted.content,
    simplified: converted.simplified,
    bodyTruncated: response.truncated,
    fromCache,
    fetchedAt: receivedAt.get(response) ?? new Date().toISOString(),
  };
}

function convertOnce(
  response: GuardedResponse,
  key: string,
  convert: () => Promise<Converted>,
): Promise<Converted> {
  let byFormat = conversions.get(response);
  if (!byFormat) {
    byFormat = new Map();
    conversions.set(response, byFormat);
  }
  let pending = byFormat.get(key);
  if (!pending) {
    pending = convert();
    byFormat.set(key, pending);
    pending.catch(() => byFormat.delete(key));
  }
  return pending;
}

async function convertBody(
  kind: Exclude<BodyKind, 'binary'>,
  text: string,
  finalUrl: string,
  options: FetchPageOptions,
): Promise<Converted> {
  if (kind === 'html') {
    if (options.format === 'json') {
      throw new ToolError(`${finalUrl} is an HTML page, not JSON; ask for markdown, text or html.`);
    }
    return convertHtml(text, finalUrl, options.format, options.raw);
  }
  if (kind === 'json' && !options.raw) {
    const pretty = prettyJson(text);
    if (pretty !== undefined) return { content: pretty, title: undefined, simplified: false };
  }
  if (options.format === 'json') {
    const pretty = prettyJson(text);
    if (pretty === undefined)
      throw new ToolError(`${finalUrl} did not return valid JSON; ask for text instead.`);
    return { content: options.raw ? text : pretty, title: undefined, simplified: false };
  }
  return { content: text, title: undefined, simplified: false };
}
