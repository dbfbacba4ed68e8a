import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

interface DirectoryRules {
  matcher: Ignore;
  /** The raw patterns, for turning into walk-pruning globs. */
  patterns: string[];
  hasNegation: boolean;
}

/**
 * Parsed `.gitignore` files, cached per directory. Answers whether a path is ignored by the
 * `.gitignore` files between a root and the path (git's rules: nearer files win, and nothing under
 * an ignored directory can be re-included). `.git/` is always ignored.
 */
export class GitignoreCache {
  readonly #rules = new Map<string, DirectoryRules | null>();
  readonly #chains = new Map<string, readonly (readonly [string, DirectoryRules])[]>();

  /**
   * @param absolutePath - canonical path of the entry
   * @param isDirectory - whether the entry is a directory
   * @param stopAt - the root; `.gitignore` files above it are not read
   * @returns true when git would ignore the entry
   */
  isIgnored(absolutePath: string, isDirectory: boolean, stopAt: string): boolean {
    if (path.basename(absolutePath) === '.git') return true;
    // The nearest .gitignore with a verdict wins (git's precedence).
    for (const [directory, rules] of this.chainFor(path.dirname(absolutePath), stopAt)) {
      const relative = toPosix(absolutePath.slice(directory.length + 1));
      const verdict = rules.matcher.test(isDirectory ? `${relative}/` : relative);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }

  /** The directories from `directory` up to `stopAt` that have rules, nearest first (memoised). */
  private chainFor(directory: string, stopAt: string): readonly (readonly [string, DirectoryRules])[] {
    const key = `${directory}\0${stopAt}`;
    const cached = this.#chains.get(key);
    if (cached) return cached;
    const top = directory === stopAt || path.dirname(directory) === directory;
    const above = top ? [] : this.chainFor(path.dirname(directory), stopAt);
    const own = this.rulesFor(directory);
    const chain = own ? [[directory, own] as const, ...above] : above;
    this.#chains.set(key, chain);
    return chain;
  }

  /**
   * Glob patterns (fast-glob syntax, relative to `base`) for directories that the `.gitignore`
   * files from `stopAt` down to `base` ignore, so a walk never enters them. Only files without
   * negations are used: with a `!pattern` the safe choice is to walk and filter afterwards.
   *
   * @param base - canonical directory the walk starts from
   * @param stopAt - the root above which nothing is read
   * @returns ignore globs for fast-glob
   */
  pruneGlobs(base: string, stopAt: string): string[] {
    const globs: string[] = ['**/.git', '**/.git/**'];
    const directories: string[] = [];
    for (let directory = base; ; directory = path.dirname(directory)) {
      directories.push(directory);
      if (directory === stopAt || path.dirname(directory) === directory) break;
    }
    for (const directory of directories) {
      const rules = this.rulesFor(directory);
      if (!rules || rules.hasNegation) continue;
      const prefix = path.relative(base, directory).split(path.sep).join('/');
      for (const pattern of rules.patterns) {
        const glob = toPruneGlob(pattern, directory === base ? '' : prefix);
        if (glob) globs.push(glob, `${glob}/**`);
      }
    }
    return globs;
  }

  private rulesFor(directory: string): DirectoryRules | null {
    const cached = this.#rules.get(directory);
    if (cached !== undefined) return cached;
    let rules: DirectoryRules | null = null;
    const file = path.join(directory, '.gitignore');
    // Most directories have no .gitignore: ask without an exception (a thrown ENOENT per directory
    // cost ~10 us each, a third of a large search).
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
      this.#rules.set(directory, null);
      return null;
    }
    try {
      const text = readFileSync(file, 'utf8');
      const patterns = text
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line !== '' && !line.startsWith('#'));
      rules = {
        matcher: ignore({ allowRelativePaths: true }).add(patterns),
        patterns,
        hasNegation: patterns.some((line) => line.startsWith('!')),
      };
    } catch {
      rules = null;
    }
    this.#rules.set(directory, rules);
    return rules;
  }
}

/**
 * Converts a simple gitignore pattern into a fast-glob ignore glob for pruning, or undefined when
 * it is not simple enough to convert exactly (those are still honoured by the filter).
 */
function toPruneGlob(pattern: string, prefix: string): string | undefined {
  if (pattern.startsWith('\\') || pattern.includes('[')) return undefined;
  let body = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  if (body === '' || body.startsWith('../')) return undefined;
  const anchored = body.startsWith('/') || body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  // A parent's .gitignore applies below the walk base only when the walk base lies under the
  // pattern's reach; anchored patterns from parents are skipped rather than guessed.
  if (prefix !== '' && anchored) return undefined;
  if (prefix.startsWith('..')) {
    return anchored ? undefined : `**/${body}`;
  }
  return anchored ? body : `**/${body}`;
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}
