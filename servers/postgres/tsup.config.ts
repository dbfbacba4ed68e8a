// The bin as a bundle (see scripts/build/tsup-bin.ts), pg included. Chunks: the HTTP transport,
// and libpg-query (the read-only guard's PostgreSQL parser) on the first statement. Its glue code
// reads libpg-query.wasm from its own directory, so the build copies the WebAssembly file into
// dist/ (libpg-query is a dependency of @bulwark/hardening, not of this package: left external,
// the bundle could not resolve it from here).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { binConfig, type EsbuildPlugin, HTTP_COMMONJS_IMPORTS } from '../../scripts/build/tsup-bin.ts';

/** libpg-query's WebAssembly parser, found through @bulwark/hardening (which depends on it). */
const PARSER_WASM = createRequire(path.resolve('node_modules/@bulwark/hardening/package.json')).resolve(
  'libpg-query/wasm/libpg-query.wasm',
);

/** Copies libpg-query.wasm into dist/, where the bundled glue code looks for it. */
function copyParserWasm(): EsbuildPlugin {
  return {
    name: 'copy-parser-wasm',
    setup(build) {
      const dir = build.initialOptions.outdir ?? 'dist';
      build.onEnd(() => {
        mkdirSync(dir, { recursive: true });
        copyFileSync(PARSER_WASM, path.join(dir, 'libpg-query.wasm'));
      });
    },
  };
}

export default binConfig({
  // pg-native is pg's optional native binding, loaded only by `pg.native`, never used here.
  external: ['pg-native'],
  commonJsImports: HTTP_COMMONJS_IMPORTS,
  plugins: [copyParserWasm()],
});
