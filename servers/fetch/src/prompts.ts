import { type Logger, promptError } from '@bulwark/runtime';
import type { GetPromptResult, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { FetchServerDeps } from './deps.js';
import { fetchPage } from './fetch-page.js';
import { windowOf } from './paging.js';
import { envelopeOf } from './tools/fetch.js';

/** Most characters of page content a `fetch` prompt carries. */
export const PROMPT_MAX_CHARS = 100_000;

/**
 * Registers the `fetch` prompt `{ url }`: the user asks for a page, the server fetches it (as
 * Markdown, without consulting robots.txt, since a person asked for this one page) and returns it
 * as a user message inside the untrusted-content envelope. A refused or failed fetch is an
 * invalid-params error with one line of cause.
 *
 * @param server - the server instance
 * @param deps - the server's dependencies
 * @param logger - where unexpected errors are recorded
 */
export function registerFetchPrompt(server: McpServer, deps: FetchServerDeps, logger: Logger): void {
  server.registerPrompt(
    'fetch',
    {
      title: 'Fetch a web page',
      description: 'Fetch a URL and add its content (as Markdown) to the conversation.',
      argsSchema: z.object({ url: z.string().min(1).max(8192).describe('Absolute http or https URL') }),
    },
    async ({ url }): Promise<GetPromptResult> => {
      try {
        const page = await fetchPage(deps.fetch, url, { format: 'markdown', raw: false, robots: false });
        const window = windowOf(page.content, 0, PROMPT_MAX_CHARS);
        const cut =
          window.next === null ? '' : `\n[The first ${window.next} of ${page.content.length} characters.]`;
        return {
          description: page.title
            ? `Contents of ${page.finalUrl}: ${page.title}`
            : `Contents of ${page.finalUrl}`,
          messages: [
            {
              role: 'user',
              content: {
                type: 'text',
                text: `Contents of ${page.finalUrl}:\n${envelopeOf(page, window.text)}${cut}`,
              },
            },
          ],
        };
      } catch (error) {
        throw promptError(error, 'fetch', logger);
      }
    },
  );
}
