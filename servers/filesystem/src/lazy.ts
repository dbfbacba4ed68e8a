import { createRequire } from 'node:module';

/**
 * Libraries loaded on first use instead of at startup. Together they cost ~60 ms of module loading
 * (measured with Node 24 on this project's CI machine), and a server that is started for every
 * host session should be ready before the host times out waiting. All are CommonJS, so a lazy
 * `require` keeps their call sites synchronous; `mime` is ESM-only and loads through `import()`.
 */
const require = createRequire(import.meta.url);

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** fast-glob, for search_files and search_content. */
export const fastGlob = once(() => require('fast-glob') as typeof import('fast-glob'));
/** picomatch, for directory_tree excludes. */
export const picomatch = once(() => require('picomatch') as typeof import('picomatch'));
/** iconv-lite, for files that are not UTF-8. */
export const iconv = once(() => require('iconv-lite') as typeof import('iconv-lite'));
/** chardet, to detect the encoding of files that are not UTF-8. */
export const chardet = once(() => require('chardet') as typeof import('chardet'));
/** jsdiff, for the unified diffs of writes and edits. */
export const jsdiff = once(() => require('diff') as typeof import('diff'));
/** mime, for media and resource MIME types. */
export const mime = once(async () => (await import('mime')).default);
