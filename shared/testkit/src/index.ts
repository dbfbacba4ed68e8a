/** Test helpers (private package): real MCP clients over stdio and temporary trees. */

export { startTestPostgres, type TestPostgres } from './postgres.js';
export { RAW_HANDSHAKE, type RawExchange, rawStdioExchange } from './raw-stdio.js';
export { structuredOf, textOf, unwrapUntrusted } from './results.js';
export {
  createSampleSqlite,
  SAMPLE_SIZES,
  type SampleRows,
  sampleInserts,
  sampleRows,
  sampleSchema,
  seedSamplePostgres,
} from './sample-db.js';
export {
  type ProtocolEra,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
} from './stdio-client.js';
export { createTempTree, type TempTree, type TreeSpec, writeTree } from './temp-tree.js';
export { toolSnapshots } from './toolsnaps.js';
