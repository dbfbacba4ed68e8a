// The bin as a bundle (see scripts/build/tsup-bin.ts). Chunks: the HTTP transport and mime.
// src/lazy.ts loads fast-glob, picomatch, iconv-lite, chardet and diff on first use through
// createRequire, so they stay dependencies.
import { binConfig, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

export default binConfig({
  // libpg-query, the PostgreSQL guard's parser, is reachable from @bulwark/hardening but never called here.
  external: ['libpg-query'],
  commonJsImports: HTTP_COMMONJS_IMPORTS,
});
