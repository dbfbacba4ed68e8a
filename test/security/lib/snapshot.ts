/** A record of files on disk, to prove that a refused call changed nothing outside the sandbox. */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Records everything below a directory without following links: each file as its SHA-256 and
 * permission bits, each link as its target, each directory as `dir`. A missing directory is
 * recorded as missing.
 *
 * @param dir - absolute directory
 * @returns relative path → description, in sorted order
 */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const walk = async (relative: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(path.join(dir, relative))).sort();
    } catch {
      result.set(relative || '.', 'missing');
      return;
    }
    for (const name of names) {
      const entry = path.join(relative, name);
      const absolute = path.join(dir, entry);
      const stats = await lstat(absolute);
      if (stats.isSymbolicLink()) result.set(entry, `link -> ${await readlink(absolute)}`);
      else if (stats.isDirectory()) {
        result.set(entry, 'dir');
        await walk(entry);
      } else {
        const digest = createHash('sha256')
          .update(await readFile(absolute))
          .digest('hex');
        result.set(entry, `file ${digest.slice(0, 16)} ${(stats.mode & 0o7777).toString(8)}`);
      }
    }
  };
  await walk('');
  return result;
}

/**
 * The differences between two snapshots of the same directory.
 *
 * @param label - a name for the directory, shown in each difference
 * @param before - snapshot taken first
 * @param after - snapshot taken later
 * @returns one line per added, removed or changed entry (empty when equal)
 */
export function diffSnapshots(
  label: string,
  before: Map<string, string>,
  after: Map<string, string>,
): string[] {
  const lines: string[] = [];
  for (const [entry, was] of before) {
    const now = after.get(entry);
    if (now === undefined) lines.push(`${label}/${entry} removed`);
    else if (now !== was) lines.push(`${label}/${entry} changed (${was} -> ${now})`);
  }
  for (const entry of after.keys()) if (!before.has(entry)) lines.push(`${label}/${entry} created`);
  return lines;
}
