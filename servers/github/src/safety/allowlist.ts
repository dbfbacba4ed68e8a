import { CliUsageError, ToolError } from '@bulwark/runtime';

/** One `--repos` entry: a whole owner (`owner/*`) or one repository (`owner/name`), lower-cased. */
export interface RepoPattern {
  owner: string;
  /** `*` for every repository of the owner. */
  name: string;
}

/** A repository as the API names it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

// GitHub's rules: an owner is 1-39 alphanumerics or single hyphens; a repository name is 1-100 of
// alphanumerics, '.', '-' and '_' ('.' and '..' are reserved).
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Parses `owner/name` as GitHub spells repository names.
 *
 * @param full - e.g. `octo/hello-world`
 * @returns owner and name, or undefined when malformed
 */
export function parseRepo(full: string): RepoRef | undefined {
  const [owner, repo, extra] = full.split('/');
  if (extra !== undefined || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo)) return undefined;
  if (repo === '.' || repo === '..') return undefined;
  return { owner, repo };
}

/**
 * Parses `--repos` values.
 *
 * @param values - `owner/name` or `owner/*` entries
 * @returns the patterns, lower-cased (GitHub names are case-insensitive)
 * @throws CliUsageError for an entry that is neither form
 */
export function parseRepoPatterns(values: readonly string[]): RepoPattern[] {
  return values.map((value) => {
    const [owner, name, extra] = value.split('/');
    const validName = name === '*' || (name !== undefined && parseRepo(`${owner}/${name}`) !== undefined);
    if (extra !== undefined || !owner || !OWNER.test(owner) || !validName) {
      throw new CliUsageError(`--repos entries are owner/name or owner/*, not "${value}".`);
    }
    return { owner: owner.toLowerCase(), name: (name as string).toLowerCase() };
  });
}

/**
 * The operator's repository allowlist. Every tool checks it before its first API request; with no
 * patterns every repository is allowed.
 */
export class RepoAllowlist {
  /** @param patterns - from `--repos`; empty allows every repository */
  constructor(readonly patterns: readonly RepoPattern[]) {}

  /** True when the operator restricted the repositories. */
  get active(): boolean {
    return this.patterns.length > 0;
  }

  /** Whether `owner/name` may be used. */
  allows(owner: string, repo: string): boolean {
    if (!this.active) return true;
    const o = owner.toLowerCase();
    const r = repo.toLowerCase();
    return this.patterns.some(
      (pattern) => pattern.owner === o && (pattern.name === '*' || pattern.name === r),
    );
  }

  /** Whether every repository of `owner` may be used (an `owner/*` entry). */
  allowsOwner(owner: string): boolean {
    if (!this.active) return true;
    const o = owner.toLowerCase();
    return this.patterns.some((pattern) => pattern.owner === o && pattern.name === '*');
  }

  /** The patterns as the operator wrote them, for messages. */
  describe(): string {
    return this.patterns.map((pattern) => `${pattern.owner}/${pattern.name}`).join(', ');
  }

  /**
   * Parses a `repo` argument and checks it against the allowlist.
   *
   * @param full - `owner/name`
   * @returns owner and name
   * @throws ToolError when malformed or not allowed (before any request is made)
   */
  check(full: string): RepoRef {
    const ref = parseRepo(full);
    if (!ref) throw new ToolError(`"${full}" is not a repository name; give it as owner/name.`);
    if (!this.allows(ref.owner, ref.repo)) {
      throw new ToolError(
        `${ref.owner}/${ref.repo} is outside the repositories this server may use (${this.describe()}).`,
      );
    }
    return ref;
  }
}
