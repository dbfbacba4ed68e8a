/** Test helpers (private package): real MCP clients over stdio and temporary trees. */

export { structuredOf, textOf } from './results.js';
export {
  type ProtocolEra,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
} from './stdio-client.js';
export { createTempTree, type TempTree, type TreeSpec, writeTree } from './temp-tree.js';
