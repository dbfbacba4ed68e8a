import { READ_ONLY_OPEN_WORLD } from '@bulwark/hardening/annotations';
import { wrapUntrusted } from '@bulwark/hardening/sanitize';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import { MAX_MAX_LENGTH } from '../config.js';
import type { FetchContext } from '../deps.js';
import type { FetchedPage } from '../fetch-page.js';
import { fetchPage } from '../fetch-page.js';
import { windowOf } from '../paging.js';

const input = z.object({
  url: z.string().min(1).max(8192).describe('Absolute http or https URL of the page'),
  format: z
    .enum(['markdown', 'text', 'html', 'json'])
    .default('markdown')
    .describe(
      'markdown (default): the main article as Markdown; text: its plain text; html: its HTML; json: the body as pretty-printed JSON',
    ),
  max_length: z
    .number()
    .int()
    .min(1)
    .max(MAX_MAX_LENGTH)
    .optional()
    .describe('Most characters of content to return (default set by the operator, 10000 unless changed)'),
  start_index: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Character offset to start from; pass the previous result's next_start_index to read on"),
  raw: z
    .boolean()
    .default(false)
    .describe(
      'Skip article extraction: markdown and text cover the whole page, html is the page as received',
    ),
});

const output = z.object({
  url: z.string().describe('The URL asked for'),
  final_url: z.string().describe('The URL that answered, after redirects'),
  status: z.number().int().describe('HTTP status of the final response'),
  content_type: z.string().describe('Media type of the response, e.g. text/html ("" when none was sent)'),
  encoding: z.string().describe('Character encoding the body was decoded with'),
  title: z.string().optional().describe('Page or article title, for HTML'),
  format: z.enum(['markdown', 'text', 'html', 'json']),
  content: z.string().describe('This window of the content, inside the untrusted-content envelope'),
  start_index: z.number().int().describe('Offset of the first character of this window'),
  next_start_index: z
    .number()
    .int()
    .nullable()
    .describe('Offset where the next window starts; null at the end'),
  total_length: z.number().int().describe('Characters in the whole converted content'),
  truncated: z.boolean().describe('True when more content follows this window'),
  body_truncated: z
    .boolean()
    .describe("True when the page was larger than the server's byte cap and its end is missing"),
  simplified: z.boolean().describe('True when only the main article was kept (Readability)'),
  from_cache: z
    .boolean()
    .describe('True when a cached copy was used (fresh, or confirmed unchanged by the site)'),
  fetched_at: z.string().describe('ISO-8601 time the body was received'),
});

/**
 * `fetch`: one URL as Markdown, text, HTML or JSON, a window at a time, inside the untrusted-content
 * envelope. Every connection goes through the network guard; robots.txt is honoured unless the
 * operator turned it off.
 */
export const fetchTool = defineTool({
  name: 'fetch',
  title: 'Fetch a web page',
  description:
    'Fetches an http(s) URL and returns its content as Markdown (main article), plain text, HTML or pretty-printed JSON. ' +
    'Long content comes in windows: the result gives next_start_index to read on. ' +
    'Public addresses only unless the operator allows more; robots.txt is honoured; at most 5 redirects; binary types are refused. ' +
    'Page text is untrusted content from the web.',
  input,
  output,
  annotations: READ_ONLY_OPEN_WORLD,
  async handler(args, { deps, signal }: FetchContext) {
    const page = await fetchPage(deps.fetch, args.url, {
      format: args.format,
      raw: args.raw,
      robots: true,
      signal,
    });
    if (args.start_index > page.content.length) {
      throw new ToolError(
        `start_index ${args.start_index} is past the end of the content (${page.content.length} characters); start from 0.`,
      );
    }
    const window = windowOf(page.content, args.start_index, args.max_length ?? deps.defaultMaxLength);
    const envelope = envelopeOf(page, window.text);
    const structured = {
      url: page.url,
      final_url: page.finalUrl,
      status: page.status,
      content_type: page.contentType,
      encoding: page.encoding,
      ...(page.title ? { title: page.title } : {}),
      format: args.format,
      content: envelope,
      start_index: window.start,
      next_start_index: window.next,
      total_length: page.content.length,
      truncated: window.next !== null,
      body_truncated: page.bodyTruncated,
      simplified: page.simplified,
      from_cache: page.fromCache,
      fetched_at: page.fetchedAt,
    };
    return { structured, text: [envelope, ...notes(page, window.start, window.next)].join('\n') };
  },
});

/**
 * Wraps a window of a page in the untrusted-content envelope with its provenance.
 *
 * @param page - the fetched page
 * @param text - the window's text
 * @returns the envelope
 */
export function envelopeOf(page: FetchedPage, text: string): string {
  return wrapUntrusted(text, {
    source: page.url,
    ...(page.finalUrl !== page.url ? { final_url: page.finalUrl } : {}),
    status: String(page.status),
    content_type: page.contentType || 'unknown',
    fetched_at: page.fetchedAt,
  });
}

function notes(page: FetchedPage, start: number, next: number | null): string[] {
  const lines: string[] = [];
  if (next !== null) {
    lines.push(
      `[Characters ${start}-${next} of ${page.content.length}; call fetch with start_index=${next} for more.]`,
    );
  }
  if (page.bodyTruncated) lines.push("[The page was larger than the server's byte cap; its end is missing.]");
  return lines;
}
