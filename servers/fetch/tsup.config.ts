// The bin as a bundle (see scripts/build/tsup-bin.ts). Chunks: the HTTP transport; undici (through
// @bulwark/hardening/net) on the first request; html-encoding-sniffer, linkedom, Readability and
// Turndown on the first HTML page. src/robots.ts loads robots-parser through createRequire, so it
// stays a dependency.
import { binConfig, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

export default binConfig({
  // libpg-query, the PostgreSQL guard's parser, is reachable from @bulwark/hardening but never called here.
  external: ['libpg-query'],
  // Readability and Turndown's GFM plugin are CommonJS, loaded with import() by src/convert.ts.
  commonJsImports: ['@mozilla/readability', '@joplin/turndown-plugin-gfm', ...HTTP_COMMONJS_IMPORTS],
});
