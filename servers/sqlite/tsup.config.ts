// The bin as a bundle (see scripts/build/tsup-bin.ts). Chunks: the HTTP transport. `./worker.js`
// (the query process, forked from query-process.ts) is tsc's output and still resolves beside it.
import { binConfig, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

export default binConfig({
  // better-sqlite3 is a native addon; libpg-query, the PostgreSQL guard's parser, is reachable
  // from @bulwark/hardening but never called here.
  external: ['better-sqlite3', 'libpg-query'],
  commonJsImports: HTTP_COMMONJS_IMPORTS,
});
