import type { ToolContext } from '@bulwark/runtime';
import type { FetchDeps } from './fetch-page.js';

/** What the fetch tool and prompt receive: built once and shared by every connection of the process. */
export interface FetchServerDeps {
  fetch: FetchDeps;
  /** Default `max_length` of a result, in characters. */
  defaultMaxLength: number;
}

/** The tool context of this server's handlers. */
export type FetchContext = ToolContext<FetchServerDeps>;
