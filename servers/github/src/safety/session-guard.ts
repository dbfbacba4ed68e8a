import { currentRequestScope, ToolError } from '@bulwark/runtime';
import type { RepoInfoCache } from '../github/repo-info.js';

/** Repositories of unknown visibility looked up at one write; past this, the session counts as having read private content. */
export const MAX_VISIBILITY_LOOKUPS = 20;

/** Thrown when the session guard refuses a write; the message names the rule and the operator's switch. */
export class SessionGuardError extends ToolError {}

/**
 * The session guard: one per connection. Every tool result that carries repository content
 * (issue, pull request and review text, comments, files, diffs, commit messages, logs, even titles
 * and names) is untrusted, and the repository it came from is recorded. Once anything untrusted
 * was read, a write is refused when
 *
 * 1. its repository was not read in this session (content from one repository cannot steer a write
 *    into another), or
 * 2. its repository is public and a private (or internal) repository was read in this session
 *    (private content cannot be carried into public view).
 *
 * This is the shape of the May 2025 attack on the official GitHub server: a public issue asked the
 * agent to read private repositories and publish what it found in a public pull request. With
 * `--allow-cross-repo-writes` the guard only records.
 *
 * Over Streamable HTTP (stateless: every request may land on another instance, with fresh
 * dependencies) the guard cannot see what the session read before this call, so it fails closed:
 * every write is refused unless the operator allowed cross-repository writes.
 */
export class SessionGuard {
  private tainted = false;
  /** Lower-cased `owner/name` → private (true), public (false) or not yet known (undefined). */
  private readonly reads = new Map<string, boolean | undefined>();

  /**
   * @param repos - visibility lookups
   * @param disabled - `--allow-cross-repo-writes`
   */
  constructor(
    private readonly repos: RepoInfoCache,
    private readonly disabled: boolean,
  ) {}

  /**
   * Records that a result carried untrusted content from a repository.
   *
   * @param owner - repository owner
   * @param repo - repository name
   * @param isPrivate - its visibility when the response said so; undefined when unknown
   */
  noteRead(owner: string, repo: string, isPrivate?: boolean): void {
    this.tainted = true;
    const id = `${owner}/${repo}`.toLowerCase();
    if (isPrivate !== undefined) this.repos.remember(owner, repo, isPrivate);
    this.reads.set(id, isPrivate ?? this.reads.get(id));
  }

  /** True once a result carried untrusted content. */
  get isTainted(): boolean {
    return this.tainted;
  }

  /**
   * Checks a write against the guard. Visibilities not yet known are looked up (at most
   * {@link MAX_VISIBILITY_LOOKUPS}); a lookup that fails counts as private for the repositories
   * read and as public for the target, so an unknown never opens the guard.
   *
   * @param owner - the write's repository owner
   * @param repo - the write's repository name
   * @param signal - the call's abort signal
   * @throws SessionGuardError when the write is refused
   */
  async checkWrite(owner: string, repo: string, signal?: AbortSignal): Promise<void> {
    if (this.disabled) return;
    if (currentRequestScope() !== undefined) {
      throw new SessionGuardError(
        `Session guard: over HTTP each call is served on its own, so this server cannot see what the session read before; the write to ${owner}/${repo} is refused (the operator can start the server with --allow-cross-repo-writes, or use stdio).`,
      );
    }
    if (!this.tainted) return;
    const target = `${owner}/${repo}`;
    if (!this.reads.has(target.toLowerCase())) {
      throw new SessionGuardError(
        `Session guard: this session read untrusted content, and ${target} is not among the repositories it read; a write there is refused (the operator can start the server with --allow-cross-repo-writes).`,
      );
    }
    const targetPrivate = await this.repos.isPrivate(owner, repo, signal).catch(() => false);
    if (targetPrivate) return;
    const privateRead = await this.privateRepositoryRead(signal);
    if (privateRead) {
      throw new SessionGuardError(
        `Session guard: this session read private repository ${privateRead}; a write to public ${target} is refused (the operator can start the server with --allow-cross-repo-writes).`,
      );
    }
  }

  /** The first repository read that is private (or of unknown visibility), if any. */
  private async privateRepositoryRead(signal?: AbortSignal): Promise<string | undefined> {
    let lookups = 0;
    for (const [id, known] of this.reads) {
      if (known === true) return id;
      if (known === false) continue;
      if (++lookups > MAX_VISIBILITY_LOOKUPS) return id;
      const [owner = '', repo = ''] = id.split('/');
      const isPrivate = await this.repos.isPrivate(owner, repo, signal).catch(() => true);
      this.reads.set(id, isPrivate);
      if (isPrivate) return id;
    }
    return undefined;
  }
}
