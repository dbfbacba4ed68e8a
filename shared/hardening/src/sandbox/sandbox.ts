import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalize } from './canonicalize.js';
import { isWithin } from './containment.js';
import type { DenyList } from './deny-list.js';
import { SandboxError } from './errors.js';
import { expandHome, intersectClientRoots, type Root } from './roots.js';

/** What a tool means to do with a path; writes also need a writable root. */
export type Access = 'read' | 'write';

/** How files with more than one hard link are treated (a hard link can point outside the roots). */
export type HardLinkPolicy = 'deny' | 'allow';

/** Everything the operator decided about file access. */
export interface SandboxPolicy {
  /** Canonical operator roots: the ceiling that client roots can narrow but never widen. */
  roots: readonly Root[];
  /** Secrets that are refused even inside the roots. */
  denyList: DenyList;
  /** `deny` refuses to open regular files whose link count is above 1. */
  hardLinks: HardLinkPolicy;
  /** When true every root is read-only, whatever its own flag says. */
  readOnly: boolean;
}

/** A path that passed the sandbox: where it lands, under which root, and whether it exists. */
export interface ResolvedPath {
  /** The path exactly as the client gave it (for messages). */
  input: string;
  /** Canonical absolute path: what is opened, created or renamed. */
  real: string;
  /** The effective root that contains `real`. */
  root: Root;
  /** Whether `real` existed when it was resolved. */
  exists: boolean;
}

/** A directory entry itself (a symlink is not followed), found by {@link Sandbox.resolveEntry}. */
export interface ResolvedEntry {
  /** The path exactly as the client gave it (for messages). */
  input: string;
  /** Canonical parent directory joined with the entry's own name. */
  path: string;
  /** lstat of the entry: a symlink reports itself. */
  stats: Stats;
  /** The effective root that contains the entry. */
  root: Root;
}

/** The kind of entry a tool expects to open. */
export type ExpectedKind = 'file' | 'directory';

/** An open handle whose real location and kind were verified after opening. */
export interface VerifiedHandle {
  handle: FileHandle;
  stats: Stats;
  /** A path that names exactly the opened entry (on Linux, `/proc/self/fd/N`), for readdir and friends. */
  pinnedPath: string;
}

const PROC_FD = '/proc/self/fd';

/**
 * The root sandbox for one server instance (one client connection): operator roots narrowed by the
 * client's MCP roots, with path resolution and open-then-verify.
 *
 * Rules it enforces, by requirement id:
 * - `sandbox:prefix` containment by path components on canonical paths, never string prefix;
 * - `sandbox:symlink-*` every symlink (final, parent chain, dangling, chained) resolved before the check;
 * - `sandbox:exact-path` the path checked is the path used: no trimming or quote stripping;
 * - `sandbox:nul` NUL bytes refused;
 * - `sandbox:open-verify` files opened with O_NOFOLLOW, then fstat'd and located again by handle;
 * - `sandbox:special-file` FIFOs, sockets and devices refused;
 * - `sandbox:hard-link` multiply-linked files refused under the `deny` policy;
 * - `sandbox:deny-list` secrets refused;
 * - `sandbox:client-roots` client roots narrow, never widen.
 */
export class Sandbox {
  #effective: readonly Root[];

  /** @param policy - the operator's decisions; `policy.roots` must already be canonical */
  constructor(readonly policy: SandboxPolicy) {
    this.#effective = policy.roots;
  }

  /** The roots in force now: the operator's, narrowed by the client's if it sent any. */
  get roots(): readonly Root[] {
    return this.#effective;
  }

  /**
   * Applies the client's MCP roots. An empty list (or `undefined`) restores the operator's roots:
   * many hosts declare the roots capability and send none, and an empty answer means "no
   * preference", not "no access". A non-empty list that overlaps nothing leaves no roots at all.
   *
   * @param uris - `file://` URIs from `roots/list`
   * @returns the effective roots after the change
   */
  async applyClientRoots(uris: readonly string[] | undefined): Promise<readonly Root[]> {
    this.#effective =
      uris && uris.length > 0 ? await intersectClientRoots(this.policy.roots, uris) : this.policy.roots;
    return this.#effective;
  }

  /**
   * Resolves a path from a tool argument to a canonical path inside the roots.
   *
   * Relative paths resolve against the first root; `~/` expands to the home directory; `file://`
   * URIs are accepted. Nothing is trimmed or unquoted: `"a "` and `a` are different files.
   *
   * @param input - path as the client sent it
   * @param access - `write` also requires a writable root (tools that remove or move refuse a
   *   root itself by comparing `real` with `root.path`)
   * @returns the resolved path (which may not exist yet)
   * @throws SandboxError `invalid-path`, `no-roots`, `outside-roots`, `denied`, `read-only`, `symlink-loop`
   */
  async resolve(input: string, access: Access): Promise<ResolvedPath> {
    if (input.length === 0)
      throw new SandboxError('invalid-path', 'The path is empty: pass a file or directory path.');
    if (input.includes('\0'))
      throw new SandboxError('invalid-path', 'The path contains a NUL byte: remove it.');
    const firstRoot = this.#effective[0];
    if (!firstRoot) {
      throw new SandboxError(
        'no-roots',
        "No directory is accessible: the client's roots do not overlap the server's allowed directories.",
      );
    }
    const absolute = toAbsolute(input, firstRoot.path);
    const { real, exists } = await canonicalize(absolute);
    const root = this.rootOf(real);
    if (!root) {
      throw new SandboxError(
        'outside-roots',
        'Access denied: the path is outside the allowed directories; call list_allowed_directories and use a path inside one of them.',
      );
    }
    if (this.#isDenied(real, false) || (exists && this.#isDenied(real, true))) {
      throw deniedError(input);
    }
    if (access === 'write' && (this.policy.readOnly || root.readOnly)) {
      throw new SandboxError(
        'read-only',
        `"${input}" is in a read-only root; the operator must start the server without --read-only or the :ro flag to allow writes.`,
      );
    }
    return { input, real, root, exists };
  }

  /**
   * Finds the entry a path names *without* following a final symlink: the parent is resolved
   * through {@link Sandbox.resolve} and the last component is lstat'd inside it. Tools that act
   * on links themselves (file info, delete, move) use this; everything else follows links.
   *
   * @param input - path as the client sent it (a `file:` URI's last segment may be percent-encoded)
   * @param access - `write` also requires the parent's root to be writable
   * @returns the entry, or undefined when the path names a root itself
   * @throws SandboxError from resolving the parent, or `denied` for a secret; errno ENOENT when
   *   the entry does not exist
   */
  async resolveEntry(input: string, access: Access): Promise<ResolvedEntry | undefined> {
    const firstRoot = this.#effective[0];
    // Empty paths, NUL bytes and no roots at all: resolve() refuses them with the usual codes.
    if (!firstRoot || input.length === 0 || input.includes('\0')) await this.resolve(input, access);
    const lexical = toAbsolute(input, firstRoot?.path ?? path.sep);
    const name = path.basename(lexical);
    if (name === '' || name === '.' || name === '..') return undefined;
    let parent: ResolvedPath;
    try {
      parent = await this.resolve(path.dirname(lexical), access);
    } catch (error) {
      if (!(error instanceof SandboxError && error.code === 'outside-roots')) throw error;
      // A parent outside the roots is fine only for a root itself; anything else lies outside
      // (resolve() throws for it), and a link that lives outside must never be acted on.
      const whole = await this.resolve(input, access);
      if (whole.real === whole.root.path) return undefined;
      throw error;
    }
    const entryPath = path.join(parent.real, name);
    const stats = await lstat(entryPath);
    if (this.#isDenied(entryPath, stats.isDirectory())) throw deniedError(input);
    return { input, path: entryPath, stats, root: parent.root };
  }

  /**
   * Opens a resolved path without following a final symlink, then verifies the handle: its kind,
   * that it is not a FIFO, socket or device, the hard-link policy, and that the opened entry
   * still lies inside the roots (so a path component swapped for a symlink between resolve and
   * open is caught).
   *
   * @param resolved - result of {@link Sandbox.resolve}
   * @param kind - the kind the tool expects
   * @returns the verified handle; the caller must close it
   * @throws SandboxError `not-found`, `wrong-kind`, `special-file`, `hard-link`, `swapped`
   */
  async open(resolved: ResolvedPath, kind: ExpectedKind): Promise<VerifiedHandle> {
    const flags =
      constants.O_RDONLY |
      constants.O_NOFOLLOW |
      constants.O_NONBLOCK |
      (kind === 'directory' ? constants.O_DIRECTORY : 0);
    let handle: FileHandle;
    try {
      handle = await open(resolved.real, flags);
    } catch (error) {
      throw await this.#openError(error, resolved, kind);
    }
    try {
      const stats = await handle.stat();
      this.assertKind(stats, resolved.input, kind);
      const pinnedPath = await this.#verifyLocation(handle, stats, resolved);
      return { handle, stats, pinnedPath };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Checks an already-obtained `Stats` against the expected kind and the hard-link policy.
   *
   * @throws SandboxError `special-file`, `wrong-kind`, `hard-link`
   */
  assertKind(stats: Stats, input: string, kind: ExpectedKind): void {
    if (stats.isFIFO() || stats.isSocket() || stats.isCharacterDevice() || stats.isBlockDevice()) {
      throw new SandboxError(
        'special-file',
        `"${input}" is a FIFO, socket or device; only regular files and directories can be used.`,
      );
    }
    if (kind === 'file' && !stats.isFile()) {
      throw new SandboxError('wrong-kind', `"${input}" is a directory, not a file; pass a file path.`);
    }
    if (kind === 'directory' && !stats.isDirectory()) {
      throw new SandboxError('wrong-kind', `"${input}" is a file, not a directory; pass a directory path.`);
    }
    if (kind === 'file' && stats.nlink > 1 && this.policy.hardLinks === 'deny') {
      throw new SandboxError(
        'hard-link',
        `"${input}" has ${stats.nlink} hard links and one may lie outside the roots; the operator can allow this with --allow-hardlinks.`,
      );
    }
  }

  /**
   * The effective root containing a canonical path, or undefined.
   *
   * @param real - absolute canonical path
   */
  rootOf(real: string): Root | undefined {
    let best: Root | undefined;
    for (const root of this.#effective) {
      if (isWithin(root.path, real) && (!best || root.path.length > best.path.length)) best = root;
    }
    return best;
  }

  /**
   * Whether a canonical path found during a walk may be shown: inside a root and not a secret.
   *
   * @param real - absolute canonical path
   * @param isDirectory - whether the entry is a directory
   */
  isVisible(real: string, isDirectory: boolean): boolean {
    return this.rootOf(real) !== undefined && !this.#isDenied(real, isDirectory);
  }

  /**
   * Re-checks, just before a rename or unlink, that a directory still canonicalizes to a place
   * inside the roots (narrows the window in which a parent can be swapped for a symlink).
   *
   * @param directory - canonical directory path
   * @throws SandboxError `swapped` when it no longer resolves inside the roots
   */
  async assertStillInside(directory: string): Promise<void> {
    const real = await realpath(directory).catch(() => undefined);
    if (!real || real !== directory || !this.rootOf(real)) {
      throw new SandboxError(
        'swapped',
        'A directory on the path changed while the operation ran; try again.',
      );
    }
  }

  /** Deny-list patterns are relative to the innermost operator root holding the path. */
  #isDenied(real: string, isDirectory: boolean): boolean {
    let base: string | undefined;
    for (const root of this.policy.roots) {
      if (isWithin(root.path, real) && (!base || root.path.length > base.length)) base = root.path;
    }
    return this.policy.denyList.isDenied(real, isDirectory, base);
  }

  async #verifyLocation(handle: FileHandle, stats: Stats, resolved: ResolvedPath): Promise<string> {
    const procPath = path.join(PROC_FD, String(handle.fd));
    let located: string | undefined;
    try {
      located = await readlink(procPath);
    } catch {
      located = undefined;
    }
    if (located !== undefined) {
      if (!this.rootOf(located) || this.#isDenied(located, stats.isDirectory())) {
        throw new SandboxError(
          'swapped',
          `"${resolved.input}" changed while it was being opened; try again.`,
        );
      }
      return procPath;
    }
    // No /proc (macOS, BSD): confirm that the canonical path still names the same inode.
    const again = await stat(resolved.real).catch(() => undefined);
    if (!again || again.ino !== stats.ino || again.dev !== stats.dev) {
      throw new SandboxError('swapped', `"${resolved.input}" changed while it was being opened; try again.`);
    }
    return resolved.real;
  }

  async #openError(error: unknown, resolved: ResolvedPath, kind: ExpectedKind): Promise<Error> {
    const code = (error as NodeJS.ErrnoException).code;
    // With O_DIRECTORY, Linux reports a final symlink as ENOTDIR before O_NOFOLLOW's ELOOP.
    if (
      code === 'ENOTDIR' &&
      kind === 'directory' &&
      (await lstat(resolved.real).catch(() => undefined))?.isSymbolicLink()
    ) {
      return new SandboxError('swapped', `"${resolved.input}" changed while it was being opened; try again.`);
    }
    switch (code) {
      case 'ENOENT':
        return new SandboxError(
          'not-found',
          `"${resolved.input}" does not exist; check the path with list_directory.`,
        );
      case 'ELOOP':
        // O_NOFOLLOW met a symlink as the final component after resolution: it was swapped in.
        return new SandboxError(
          'swapped',
          `"${resolved.input}" changed while it was being opened; try again.`,
        );
      case 'ENOTDIR':
        return new SandboxError(
          'wrong-kind',
          `"${resolved.input}" is a file, not a directory; pass a directory path.`,
        );
      case 'EISDIR':
        return new SandboxError('wrong-kind', `"${resolved.input}" is a directory, not a ${kind}.`);
      case 'ENXIO':
        // open(2) on a Unix domain socket.
        return new SandboxError(
          'special-file',
          `"${resolved.input}" is a FIFO, socket or device; only regular files and directories can be used.`,
        );
      case 'EACCES':
      case 'EPERM':
        return new SandboxError(
          'denied',
          `Permission denied by the operating system for "${resolved.input}".`,
        );
      default:
        return error as Error;
    }
  }
}

/**
 * An absolute path from a tool argument: `file:` URIs decoded, `~` expanded, relative paths
 * against `base`.
 *
 * @throws SandboxError `invalid-path` for a malformed URI or one whose `%00` decodes to NUL
 */
function toAbsolute(input: string, base: string): string {
  if (!input.startsWith('file:')) return expandHome(input, base);
  let absolute: string;
  try {
    absolute = fileURLToPath(input);
  } catch {
    throw new SandboxError('invalid-path', `"${input}" is not a valid file:// URI.`);
  }
  // `%00` decodes to a NUL byte that the check on the raw input cannot see.
  if (absolute.includes('\0'))
    throw new SandboxError('invalid-path', 'The path contains a NUL byte: remove it.');
  return absolute;
}

function deniedError(input: string): SandboxError {
  return new SandboxError(
    'denied',
    `Access denied: "${input}" matches the server's secret deny list; the operator can change it with --allow.`,
  );
}
