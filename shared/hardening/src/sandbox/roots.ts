import { realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWithin } from './containment.js';

/** One directory the server may touch, as the operator or the client named it. */
export interface Root {
  /** Absolute canonical (realpath'd) directory. */
  path: string;
  /** True when nothing under this root may be created, changed or removed. */
  readOnly: boolean;
}

/** An operator's root before it is resolved: the directory as typed, and its access. */
export interface RootSpec {
  /** Directory as given on the command line (`~` is expanded, relative paths resolve from cwd). */
  path: string;
  /** True for a `DIR:ro` root. */
  readOnly: boolean;
}

/**
 * Parses one operator root argument: `DIR`, `DIR:ro` (read-only) or `DIR:rw`.
 *
 * Only a trailing `:ro` or `:rw` is a flag, so `C:\\data` and directories with colons elsewhere in
 * their names keep working.
 *
 * @param argument - one CLI argument
 * @returns the root spec
 * @example parseRootSpec('~/notes:ro'); // { path: '~/notes', readOnly: true }
 */
export function parseRootSpec(argument: string): RootSpec {
  const match = /^(.+):(ro|rw)$/.exec(argument);
  if (match?.[1] && match[2]) return { path: match[1], readOnly: match[2] === 'ro' };
  return { path: argument, readOnly: false };
}

/**
 * Splits a list of operator root arguments held in one string (an environment variable such as
 * `BULWARK_FS_ROOTS`) on the platform's path-list delimiter: `:` on POSIX, `;` on Windows, as in
 * `PATH`.
 *
 * With `:` as the delimiter, the `:ro` / `:rw` suffix of {@link parseRootSpec} would be split off
 * its directory, so a lone `ro` or `rw` entry is joined back onto the entry before it:
 * `/data:ro:/notes` is `/data:ro` and `/notes`. A directory that is really named `ro` is written
 * `./ro`. Empty entries (`::`, a trailing delimiter) are dropped.
 *
 * @param list - the delimited list, e.g. `~/project:~/notes:ro`
 * @param delimiter - the list delimiter; defaults to `path.delimiter`
 * @returns one root argument per entry, each ready for {@link parseRootSpec}
 * @example splitRootList('/data:ro:/notes', ':'); // ['/data:ro', '/notes']
 */
export function splitRootList(list: string, delimiter: string = path.delimiter): string[] {
  const entries: string[] = [];
  for (const entry of list.split(delimiter)) {
    if (entry === '') continue;
    const previous = entries.length - 1;
    if (delimiter === ':' && (entry === 'ro' || entry === 'rw') && previous >= 0) {
      entries[previous] = `${entries[previous]}:${entry}`;
    } else {
      entries.push(entry);
    }
  }
  return entries;
}

/**
 * Expands a leading `~` to the home directory and makes the path absolute (against `cwd`).
 *
 * @param input - a path as a person typed it
 * @param cwd - base for relative paths
 * @returns an absolute, normalised path (symlinks not resolved)
 */
export function expandHome(input: string, cwd = process.cwd()): string {
  if (input === '~') return os.homedir();
  if (input.startsWith('~/')) return path.join(os.homedir(), input.slice(2));
  return path.resolve(cwd, input);
}

/**
 * Resolves operator root specs to canonical roots. Roots that do not exist or are not
 * directories are reported, not silently dropped.
 *
 * @param specs - parsed root arguments
 * @returns the canonical roots and the arguments that could not be used, with the reason
 */
export async function resolveOperatorRoots(
  specs: readonly RootSpec[],
): Promise<{ roots: Root[]; rejected: { path: string; reason: string }[] }> {
  const roots: Root[] = [];
  const rejected: { path: string; reason: string }[] = [];
  for (const spec of specs) {
    try {
      const real = await realpath(expandHome(spec.path));
      if (!(await stat(real)).isDirectory()) {
        rejected.push({ path: spec.path, reason: 'not a directory' });
        continue;
      }
      const existing = roots.find((root) => root.path === real);
      // The same directory named twice keeps the stricter access.
      if (existing) existing.readOnly = existing.readOnly || spec.readOnly;
      else roots.push({ path: real, readOnly: spec.readOnly });
    } catch (error) {
      rejected.push({ path: spec.path, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' });
    }
  }
  return { roots, rejected };
}

/**
 * Narrows the operator's roots to the client's MCP roots. The operator's roots are the ceiling:
 * the result never contains a directory outside them, and a client root keeps the access of the
 * operator root that holds it (a `:ro` root stays read-only).
 *
 * - a client root inside an operator root becomes a root itself;
 * - an operator root inside a client root stays as it is;
 * - a client root that overlaps no operator root gives nothing;
 * - non-`file:` URIs and directories that do not exist are ignored.
 *
 * MCP 2025-11-25 `roots/list` (client/roots) and its 2026-07-28 input-request equivalent both
 * deliver `file://` URIs; both come through here.
 *
 * @param operatorRoots - canonical operator roots
 * @param clientRootUris - `uri` values from the client's roots
 * @returns the effective roots (possibly empty: then nothing is accessible)
 */
export async function intersectClientRoots(
  operatorRoots: readonly Root[],
  clientRootUris: readonly string[],
): Promise<Root[]> {
  const effective: Root[] = [];
  const add = (root: Root) => {
    if (!effective.some((existing) => existing.path === root.path)) effective.push(root);
  };
  for (const uri of clientRootUris) {
    let real: string;
    try {
      const url = new URL(uri);
      if (url.protocol !== 'file:') continue;
      real = await realpath(fileURLToPath(url));
      if (!(await stat(real)).isDirectory()) continue;
    } catch {
      continue;
    }
    // The innermost operator root holding the client root decides its access, as Sandbox.rootOf
    // does for paths: `/data` plus `/data/secrets:ro` keeps `/data/secrets/x` read-only.
    let holder: Root | undefined;
    for (const operatorRoot of operatorRoots) {
      if (isWithin(operatorRoot.path, real) && (!holder || operatorRoot.path.length > holder.path.length)) {
        holder = operatorRoot;
      }
    }
    if (holder) add({ path: real, readOnly: holder.readOnly });
    for (const operatorRoot of operatorRoots) {
      if (isWithin(real, operatorRoot.path)) add(operatorRoot);
    }
  }
  return effective;
}
