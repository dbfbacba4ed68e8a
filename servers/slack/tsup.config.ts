// The bin as a bundle (see scripts/build/tsup-bin.ts). Chunks: the HTTP transport. src/slack/api.ts
// loads @slack/web-api on the first call through createRequire, so it stays a dependency.
import { binConfig, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

export default binConfig({
  // libpg-query, the PostgreSQL guard's parser, is reachable from @bulwark/hardening but never called here.
  external: ['libpg-query'],
  commonJsImports: HTTP_COMMONJS_IMPORTS,
});
