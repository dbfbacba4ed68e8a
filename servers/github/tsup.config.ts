// The bin as a bundle (see scripts/build/tsup-bin.ts). Chunks: the HTTP transport, and Octokit
// with its plugins on the first API call.
import { binConfig, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

export default binConfig({
  // libpg-query, the PostgreSQL guard's parser, is reachable from @bulwark/hardening but never called here.
  external: ['libpg-query'],
  commonJsImports: HTTP_COMMONJS_IMPORTS,
});
