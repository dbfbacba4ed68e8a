import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Secrets refused by default, in gitignore syntax, matched against the path relative to the
 * operator root that holds it (so `.ssh/` matches at any depth below a root, while a root that
 * itself lives under a directory named like a secret still works). `id_*.pub` public keys
 * outside `.ssh/` and `.env.example`-style templates stay readable.
 */
export const DEFAULT_DENY_PATTERNS: readonly string[] = [
  '.env',
  '.env.*',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '.ssh/',
  '.gnupg/',
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/.config/gh/hosts.yml',
  '**/.git/config',
  '.git-credentials',
  '.netrc',
  '.pgpass',
  '.npmrc',
  '.pypirc',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'id_ecdsa_sk',
  'id_ed25519_sk',
];

/** Decides whether a canonical path names a secret the server must not read or write. */
export interface DenyList {
  /**
   * @param canonicalPath - absolute canonical path
   * @param isDirectory - pass true for directories so `dir/` patterns match the directory itself
   * @param base - canonical directory the patterns are relative to (the operator root); the file
   *   system root when omitted
   * @returns true when the path is denied
   */
  isDenied(canonicalPath: string, isDirectory?: boolean, base?: string): boolean;
  /** The patterns in force, in order (gitignore syntax). */
  readonly patterns: readonly string[];
}

/**
 * Builds the deny list from the defaults and the operator's changes.
 *
 * @param options.useDefaults - start from {@link DEFAULT_DENY_PATTERNS} (default true)
 * @param options.deny - extra gitignore-style patterns to refuse
 * @param options.allow - patterns to re-allow (added as `!pattern`, so they win over earlier denies)
 * @returns the deny list
 * @example createDenyList({ allow: ['.npmrc'] }).isDenied('/home/u/app/.npmrc'); // false
 */
export function createDenyList(
  options: { useDefaults?: boolean; deny?: readonly string[]; allow?: readonly string[] } = {},
): DenyList {
  const patterns = [
    ...(options.useDefaults === false ? [] : DEFAULT_DENY_PATTERNS),
    ...(options.deny ?? []),
    ...(options.allow ?? []).map((pattern) => `!${pattern}`),
  ];
  const matcher: Ignore = ignore({ allowRelativePaths: true }).add(patterns);
  return {
    patterns,
    isDenied(canonicalPath: string, isDirectory = false, base?: string): boolean {
      let relative: string;
      if (base === undefined) relative = toMatchablePath(canonicalPath);
      else if (canonicalPath.startsWith(base + path.sep))
        relative = toPosix(canonicalPath.slice(base.length + 1));
      else if (canonicalPath === base) relative = '';
      else return false;
      if (relative === '') return false;
      return matcher.ignores(isDirectory ? `${relative}/` : relative);
    },
  };
}

/** gitignore matching needs a relative POSIX path: drop the root (and any drive letter). */
function toMatchablePath(canonicalPath: string): string {
  const { root } = path.parse(canonicalPath);
  return toPosix(canonicalPath.slice(root.length));
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}
