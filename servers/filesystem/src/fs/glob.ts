import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Deadline, ResolvedPath } from '@bulwark/hardening';
import { sanitizeName } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import type fg from 'fast-glob';
import type { FsDeps } from '../deps.js';
import { fastGlob } from '../lazy.js';

/** One entry a glob walk found. */
export interface GlobEntry {
  /** Canonical absolute path. */
  path: string;
  /** Path relative to the walk base, POSIX separators. */
  relative: string;
  type: 'file' | 'directory' | 'symlink';
}

/** What to walk for. */
export interface GlobWalk {
  /** fast-glob pattern relative to the base; without a `/` it matches names at any depth. */
  pattern: string;
  /** Globs to skip; a pattern without `/` skips that name at any depth (and everything below). */
  exclude: readonly string[];
  /** Include entries that .gitignore files exclude. */
  includeIgnored: boolean;
  onlyFiles: boolean;
  deadline: Deadline;
}

/**
 * Refuses patterns that could walk out of the base (`..` segments, absolute patterns).
 *
 * @throws ToolError naming the problem
 */
export function assertRelativeGlob(pattern: string, field: string): void {
  if (pattern.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(pattern) || pattern.split(/[\\/]/).includes('..')) {
    throw new ToolError(`${field} must be relative to path and must not contain "..": "${pattern}".`);
  }
}

/**
 * Expands an exclude pattern: a bare name (`node_modules`) excludes it at any depth with its contents.
 *
 * @param pattern - user exclude pattern
 * @returns fast-glob ignore patterns
 */
export function expandExclude(pattern: string): string[] {
  const trimmed = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  if (trimmed.includes('/')) return [trimmed, `${trimmed}/**`];
  return [`**/${trimmed}`, `**/${trimmed}/**`];
}

/**
 * Walks a directory with fast-glob and yields the matching entries that are inside the roots, not
 * secrets and (unless asked) not ignored by .gitignore. Symlinked directories are listed, never
 * followed. Stops when the deadline passes (the caller checks `deadline.expired()`).
 *
 * @param deps - sandbox, gitignore cache
 * @param base - directory resolved through the sandbox
 * @param walk - pattern, excludes, options
 */
export async function* walkGlob(deps: FsDeps, base: ResolvedPath, walk: GlobWalk): AsyncGenerator<GlobEntry> {
  assertRelativeGlob(walk.pattern, 'pattern');
  for (const pattern of walk.exclude) assertRelativeGlob(pattern, 'exclude');
  const ignore = walk.exclude.flatMap(expandExclude);
  if (!walk.includeIgnored) ignore.push(...deps.gitignore.pruneGlobs(base.real, base.root.path));
  else ignore.push('**/.git', '**/.git/**');
  const stream: Readable = fastGlob().stream(walk.pattern, {
    cwd: base.real,
    dot: true,
    followSymbolicLinks: false,
    onlyFiles: walk.onlyFiles,
    baseNameMatch: !walk.pattern.includes('/'),
    ignore,
    objectMode: true,
    suppressErrors: true,
    // One pattern cannot yield an entry twice; deduplicating costs a Set lookup per entry.
    unique: false,
    // fast-glob defaults to one readdir in flight per CPU; directory reads are I/O-bound and the
    // libuv pool has 4 threads, so 8 in flight keeps it busy (2.4x faster on /usr/share, 2 cores).
    concurrency: 8,
  }) as Readable;
  try {
    for await (const raw of stream) {
      if (walk.deadline.expired()) return;
      const entry = raw as unknown as fg.Entry;
      const absolute = base.real + path.sep + entry.path;
      const isDirectory = entry.dirent.isDirectory();
      if (!deps.sandbox.isVisible(absolute, isDirectory)) continue;
      if (!walk.includeIgnored && deps.gitignore.isIgnored(absolute, isDirectory, base.root.path)) continue;
      yield {
        path: absolute,
        relative: entry.path,
        type: entry.dirent.isSymbolicLink() ? 'symlink' : isDirectory ? 'directory' : 'file',
      };
    }
  } finally {
    stream.destroy();
  }
}

/** A path made safe to show: hidden characters removed, line breaks escaped. */
export function displayPath(absolute: string): string {
  return sanitizeName(absolute).name;
}
