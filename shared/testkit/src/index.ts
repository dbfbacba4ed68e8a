/** Test helpers (private package): real MCP clients over stdio and temporary trees. */

export * from './github-api.js';
export {
  fakeGitHub,
  GITHUB_INJECTION,
  GITHUB_PRIVATE_REPOS,
  githubRepository,
  githubUser,
} from './github-sample.js';
export {
  connectHttpClient,
  type HttpClientOptions,
  type HttpServerOptions,
  type HttpServerProcess,
  type RawHttpResponse,
  rawHttpRequest,
  startHttpServer,
} from './http-client.js';
export {
  type LoopbackWeb,
  type LoopbackWebOptions,
  type SeenRequest,
  startLoopbackWeb,
  type WebHandler,
} from './loopback-web.js';
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
export * from './slack-api.js';
export {
  type ProtocolEra,
  type StdioServerOptions,
  type StdioSession,
  startStdioServer,
} from './stdio-client.js';
export { createTempTree, type TempTree, type TreeSpec, writeTree } from './temp-tree.js';
export { toolSnapshots } from './toolsnaps.js';
