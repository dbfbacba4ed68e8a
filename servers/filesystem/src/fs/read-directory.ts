import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedPath } from '@bulwark/hardening';
import type { FsDeps } from '../deps.js';

/** One visible entry of a directory. */
export interface DirectoryEntry {
  name: string;
  /** Canonical absolute path. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Bytes (files only; a symlink's target is never stat'd, so nothing outside leaks). */
  size?: number;
  /** ISO 8601 modification time (of the entry itself). */
  modified?: string;
}

/**
 * Reads one directory through an open-then-verify handle (so the listed directory is the checked
 * one even if its path is swapped meanwhile) and returns the entries that are not secrets and,
 * unless asked, not .gitignore'd. Entries are lstat'd: symlinks report themselves.
 *
 * @param deps - sandbox and gitignore cache
 * @param directory - resolved directory
 * @param options.includeIgnored - keep .gitignore'd entries
 * @param options.withStats - lstat each entry for size and time
 */
export async function readDirectoryEntries(
  deps: FsDeps,
  directory: ResolvedPath,
  options: { includeIgnored: boolean; withStats: boolean },
): Promise<DirectoryEntry[]> {
  const { handle, pinnedPath } = await deps.sandbox.open(directory, 'directory');
  let dirents: Dirent[];
  try {
    dirents = await readdir(pinnedPath, { withFileTypes: true });
  } finally {
    await handle.close();
  }
  const entries: DirectoryEntry[] = [];
  for (const dirent of dirents) {
    const absolute = path.join(directory.real, dirent.name);
    const isDirectory = dirent.isDirectory();
    if (!deps.sandbox.isVisible(absolute, isDirectory)) continue;
    if (!options.includeIgnored && deps.gitignore.isIgnored(absolute, isDirectory, directory.root.path))
      continue;
    const type = dirent.isSymbolicLink()
      ? 'symlink'
      : isDirectory
        ? 'directory'
        : dirent.isFile()
          ? 'file'
          : 'other';
    const entry: DirectoryEntry = { name: dirent.name, path: absolute, type };
    if (options.withStats) {
      const stats = await lstat(absolute).catch(() => undefined);
      if (stats) {
        if (type === 'file') entry.size = stats.size;
        entry.modified = stats.mtime.toISOString();
      }
    }
    entries.push(entry);
  }
  return entries;
}
