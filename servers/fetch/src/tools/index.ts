import type { AnyToolDefinition } from '@bulwark/runtime';
import type { FetchServerDeps } from '../deps.js';
import { fetchTool } from './fetch.js';

/** Every tool of the fetch server. */
export const FETCH_TOOLS: readonly AnyToolDefinition<FetchServerDeps>[] = [fetchTool];
