import { DEFAULT_BUDGETS, parseRootSpec, type RootSpec, splitRootList } from '@bulwark/hardening';
import { type CliOption, CliUsageError, parseCommandLine } from '@bulwark/runtime';

/** Everything the operator can set for the filesystem server. */
export interface FilesystemConfig {
  /** Operator roots as given (`DIR` or `DIR:ro`); the ceiling for every client. */
  roots: RootSpec[];
  /** Start with every root read-only and register no write tools. */
  readOnly: boolean;
  /** Extra secret patterns (gitignore syntax) to refuse. */
  deny: string[];
  /** Patterns re-allowed over the default deny list. */
  allow: string[];
  /** Drop the built-in secret deny list. */
  noDefaultDeny: boolean;
  /** Open files that have more than one hard link. */
  allowHardLinks: boolean;
  /** Budgets (bytes, entries, depth, seconds). */
  budgets: typeof DEFAULT_BUDGETS;
}

/** The command-line table (flags override the environment variables named here). */
export const CLI_OPTIONS: Record<string, CliOption> = {
  'read-only': {
    type: 'boolean',
    env: 'BULWARK_FS_READ_ONLY',
    help: 'Every root is read-only; no write tools.',
  },
  deny: {
    type: 'string',
    multiple: true,
    env: 'BULWARK_FS_DENY',
    help: 'Refuse paths matching this gitignore-style pattern (repeatable).',
  },
  allow: {
    type: 'string',
    multiple: true,
    env: 'BULWARK_FS_ALLOW',
    help: 'Re-allow a pattern from the secret deny list, e.g. .npmrc (repeatable).',
  },
  'no-default-deny': {
    type: 'boolean',
    env: 'BULWARK_FS_NO_DEFAULT_DENY',
    help: 'Drop the built-in secret deny list (.env, .ssh/, *.pem, ...).',
  },
  'allow-hardlinks': {
    type: 'boolean',
    env: 'BULWARK_FS_ALLOW_HARDLINKS',
    help: 'Open files with several hard links (one may lie outside the roots).',
  },
  'max-read-bytes': {
    type: 'string',
    env: 'BULWARK_FS_MAX_READ_BYTES',
    help: `Bytes one text read returns (default ${DEFAULT_BUDGETS.readBytes}).`,
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
  version: { type: 'boolean', short: 'v', help: 'Show the version.' },
};

/** Usage line for `--help`. */
export const USAGE = 'bulwark-server-filesystem [options] DIR[:ro] [DIR[:ro] ...]';

/**
 * Builds the configuration from argv and the environment. Roots come from positional arguments,
 * or from `BULWARK_FS_ROOTS` (separated by `path.delimiter`; see splitRootList) when there are none.
 *
 * @param argv - arguments after the script
 * @param env - environment
 * @returns the config, or `{ help: true }` / `{ version: true }` when those were asked for
 * @throws CliUsageError for unknown flags, bad numbers or no roots at all
 */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): FilesystemConfig | { help: true } | { version: true } {
  const { values, positionals } = parseCommandLine(CLI_OPTIONS, argv, env);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const rootArgs = positionals.length > 0 ? positionals : splitRootList(env.BULWARK_FS_ROOTS ?? '');
  if (rootArgs.length === 0) {
    throw new CliUsageError(
      'Give at least one directory the server may access, e.g. ~/project or ~/notes:ro.',
    );
  }
  const budgets = { ...DEFAULT_BUDGETS };
  if (typeof values['max-read-bytes'] === 'string') {
    const bytes = Number(values['max-read-bytes']);
    if (!Number.isSafeInteger(bytes) || bytes < 1024) {
      throw new CliUsageError('--max-read-bytes must be a whole number of at least 1024.');
    }
    (budgets as { readBytes: number }).readBytes = bytes;
  }
  return {
    roots: rootArgs.map(parseRootSpec),
    readOnly: values['read-only'] === true,
    deny: (values.deny as string[] | undefined) ?? [],
    allow: (values.allow as string[] | undefined) ?? [],
    noDefaultDeny: values['no-default-deny'] === true,
    allowHardLinks: values['allow-hardlinks'] === true,
    budgets,
  };
}
