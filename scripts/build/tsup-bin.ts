// The shared tsup setup of every server's bin. `pnpm build` in a server runs tsc first (the library
// export dist/server.js with its types, and the rest of src/), then tsup replaces dist/main.js with
// src/main.ts bundled together with what it imports: @bulwark/*, the MCP SDK, zod and the pure-JS
// dependencies. A few files instead of hundreds of modules to resolve and load is what makes a
// server start fast. Each dynamic import() becomes a chunk (dist/bin-*.js, beside dist/main.js, so
// that `../package.json` in version.ts still resolves) that loads only when it runs. Code loaded
// through createRequire is left alone by esbuild, so such packages stay dependencies.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig, type Options } from 'tsup';

/** One esbuild plugin, as tsup takes it. */
export type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/** What differs between the servers' bundles. */
export interface BinBundleOptions {
  /** Packages left to node_modules (also when reached through @bulwark/*); the rest is bundled. */
  external: string[];
  /**
   * CommonJS packages the code loads with `import()`; the build fails on any other `import()`
   * that lands on CommonJS (see {@link commonJsImports}).
   */
  commonJsImports: string[];
  /** Extra esbuild plugins (e.g. copying a WebAssembly file beside the bundle). */
  plugins?: EsbuildPlugin[];
}

/** CommonJS packages every server's HTTP transport loads with `import()`: the rate limiter and its Redis store. */
export const HTTP_COMMONJS_IMPORTS = ['rate-limiter-flexible', 'ioredis'];

/**
 * The tsup configuration of a server's bin: one ESM entry (src/main.ts → dist/main.js) with code
 * splitting, whitespace and syntax minified but identifiers kept, no source maps, a `require` for
 * bundled CommonJS, and every dependency bundled except `options.external`.
 *
 * Identifiers are kept rather than minified with esbuild's keepNames: bundled code reads class
 * names at run time (ioredis names its errors `this.constructor.name`, rate-limiter-flexible tells
 * an ioredis Cluster by `constructor.name === 'Cluster'`), and keepNames preserves them with a
 * `__name()` call per function and class, which cost every start about 3-6% of its instructions
 * (callgrind; see test/bench/README.md). Kept identifiers cost nothing measurable once Node's
 * compile cache holds the code.
 *
 * @param options - externals, CommonJS dynamic imports, extra plugins
 * @returns the configuration for `export default`
 */
export function binConfig(options: BinBundleOptions): Options {
  const externals = options.external.join('|') || '$^';
  return defineConfig({
    entry: { main: 'src/main.ts' },
    outDir: 'dist',
    format: 'esm',
    platform: 'node',
    target: 'node22',
    splitting: true,
    // __dirname and __filename for bundled CommonJS code (ioredis in the HTTP chunk uses them).
    shims: true,
    // tsup leaves every dependency external by default; bundle all but the listed ones.
    noExternal: [new RegExp(`^(?!(?:${externals})(?:/|$))`)],
    external: options.external,
    removeNodeProtocol: false,
    // Minified through esbuildOptions below: tsup's `minify` would minify identifiers too.
    minify: false,
    keepNames: false,
    sourcemap: false,
    clean: false,
    // Bundled CommonJS calls require() for Node's modules; ESM has none, so each chunk makes one.
    banner: {
      js: "import { createRequire as __bulwarkCreateRequire } from 'node:module';\nconst require = __bulwarkCreateRequire(import.meta.url);",
    },
    esbuildOptions(esbuild) {
      esbuild.chunkNames = 'bin-[name]-[hash]';
      esbuild.minifyWhitespace = true;
      esbuild.minifySyntax = true;
      esbuild.minifyIdentifiers = false;
    },
    esbuildPlugins: [
      removePreviousChunks(),
      commonJsImports(options.commonJsImports),
      ...(options.plugins ?? []),
    ],
  }) as Options;
}

/** Chunk names change with their content: drops the previous build's dist/bin-* before writing. */
function removePreviousChunks(): EsbuildPlugin {
  return {
    name: 'remove-previous-chunks',
    setup(build) {
      const dir = build.initialOptions.outdir ?? 'dist';
      build.onStart(() => {
        for (const name of existsSync(dir) ? readdirSync(dir) : []) {
          if (name.startsWith('bin-')) rmSync(path.join(dir, name), { force: true });
        }
      });
    },
  };
}

/**
 * With code splitting, esbuild gives `import()` of a CommonJS module only a default export
 * (module.exports), where Node also gives its named exports, so `const { Redis } = await
 * import('ioredis')` would find nothing. Each package in `names` is loaded through a facade that
 * exports what Node's import() does: module.exports as `default`, plus the named exports that
 * Node finds (read by importing the package here, at build time). The build fails on any other
 * `import()` that lands on CommonJS.
 *
 * @param names - package names
 * @returns the esbuild plugin
 */
export function commonJsImports(names: string[]): EsbuildPlugin {
  return {
    name: 'commonjs-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || !names.includes(args.path)) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: 'require-call',
          resolveDir: args.resolveDir,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, namespace: 'commonjs-facade' };
      });
      build.onLoad({ filter: /.*/, namespace: 'commonjs-facade' }, async (args) => {
        const named = Object.keys(await import(pathToFileURL(args.path).href)).filter(
          (name) => name !== 'default' && name !== 'module.exports',
        );
        const lines = [`const m = require(${JSON.stringify(args.path)});`, 'export default m;'];
        named.forEach((name, index) => {
          lines.push(
            `const n${index} = m[${JSON.stringify(name)}];`,
            `export { n${index} as ${JSON.stringify(name)} };`,
          );
        });
        return { contents: lines.join('\n'), resolveDir: path.dirname(args.path), loader: 'js' };
      });
      build.onEnd((result) => {
        const { inputs, outputs } = result.metafile ?? { inputs: {}, outputs: {} };
        for (const { entryPoint } of Object.values(outputs)) {
          if (entryPoint && inputs[entryPoint]?.format === 'cjs') {
            throw new Error(
              `import() of the CommonJS module ${entryPoint}: add its package to commonJsImports`,
            );
          }
        }
      });
    },
  };
}
