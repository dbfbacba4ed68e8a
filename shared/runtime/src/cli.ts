import type { ParseArgsOptionsConfig } from 'node:util';

// node:util through process.getBuiltinModule, not an import: a bundled bin is ESM, and an ESM
// import of a Node module builds its ESM view, which reads every export of node:util and so loads
// the modules behind its lazy ones (about 1 ms of every server's start).
const { parseArgs } = process.getBuiltinModule('node:util');

/** One command-line option, with the environment variable that supplies its default. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Environment variable read when the flag is absent (flags override the environment). */
  env?: string;
  /** One line for `--help`. */
  help: string;
}

/** Parsed command line: option values (flags over environment) and positional arguments. */
export interface ParsedCommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Thrown for a command line that cannot be used; the message is printed with the usage. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Parses argv with `node:util` `parseArgs` (strict: unknown flags are errors), then fills absent
 * options from their environment variables. Boolean env values accept `1/true/yes` and `0/false/no`;
 * multiple-valued ones are comma-separated.
 *
 * @param options - option table, keyed by long flag name
 * @param argv - arguments after the script (default `process.argv.slice(2)`)
 * @param env - environment (default `process.env`)
 * @returns values and positionals
 * @throws CliUsageError for unknown flags, missing values or a malformed environment variable
 */
export function parseCommandLine(
  options: Record<string, CliOption>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): ParsedCommandLine {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, option] of Object.entries(options)) {
    config[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const values: ParsedCommandLine['values'] = { ...(parsed.values as ParsedCommandLine['values']) };
  for (const [name, option] of Object.entries(options)) {
    if (values[name] !== undefined || !option.env) continue;
    const raw = env[option.env];
    if (raw === undefined || raw === '') continue;
    values[name] = fromEnvironment(option, raw);
  }
  return { values, positionals: parsed.positionals };
}

function fromEnvironment(option: CliOption, raw: string): string | boolean | string[] {
  if (option.type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new CliUsageError(`${option.env} must be true or false, not "${raw}".`);
  }
  if (option.multiple) {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  return raw;
}

/**
 * Renders `--help` text from the option table.
 *
 * @param usage - the usage line(s), e.g. `bulwark-server-filesystem [options] DIR[:ro]...`
 * @param options - the option table
 * @returns help text
 */
export function formatHelp(usage: string, options: Record<string, CliOption>): string {
  return `Usage: ${usage}\n\nOptions:\n${formatOptionRows(options)}\n`;
}

/**
 * Renders one `--help` row per option (flag, value placeholder, help text, environment
 * variable), without a trailing newline.
 *
 * @param options - the option table
 * @returns the rows joined by newlines
 */
export function formatOptionRows(options: Record<string, CliOption>): string {
  return Object.entries(options)
    .map(([name, option]) => {
      const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' VALUE' : ''}`;
      const env = option.env ? ` [env ${option.env}]` : '';
      return `  ${flag.padEnd(34)} ${option.help}${env}`;
    })
    .join('\n');
}

/**
 * Reads a whole-number option (a flag's or environment variable's text).
 *
 * @param raw - the parsed value (`undefined` when the option was not given)
 * @param flag - the flag's name for the message (`--max-rows`)
 * @param min - smallest allowed value
 * @param max - largest allowed value
 * @param fallback - the default when the option was not given
 * @returns the number
 * @throws CliUsageError when the text is not a whole number in `[min, max]`
 */
export function parseWholeNumberOption(
  raw: unknown,
  flag: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (typeof raw !== 'string') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

/**
 * Reads a duration option given in seconds (fractions allowed).
 *
 * @param raw - the parsed value (`undefined` when the option was not given)
 * @param flag - the flag's name for the message (`--timeout`)
 * @param fallback - the default, in seconds
 * @param max - largest allowed value in seconds (default 3600); the smallest is 0.1
 * @returns the duration in seconds
 * @throws CliUsageError when the text is not a number of seconds in `[0.1, max]`
 */
export function parseSecondsOption(raw: unknown, flag: string, fallback: number, max = 3600): number {
  if (typeof raw !== 'string') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0.1 || value > max) {
    throw new CliUsageError(`${flag} must be a number of seconds from 0.1 to ${max}, not "${raw}".`);
  }
  return value;
}
