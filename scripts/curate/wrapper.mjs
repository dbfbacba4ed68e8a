#!/usr/bin/env node
// The bin of a curated package (copied to curated/main.js by scripts/curate/curate.mjs). It reads
// curated/defaults.json, applies the organisation's policy and defaults to the command line and
// the environment, then runs the server's own bin (dist/main.js) in this same process:
//
// - a POLICY flag is added to the command line; a user flag that contradicts it is refused (exit
//   2, nothing started) and its environment variable is dropped with a warning, so neither a host
//   config nor an inherited variable can loosen it;
// - policy positionals (the filesystem roots) replace the user's: giving others is refused;
// - a DEFAULT flag is added only when the user gave neither the flag nor its environment variable;
// - an environment alias fills a variable (DATABASE_URL) from the organisation's name for it.
//
// Flags still override environment variables, and secrets still come only from the environment:
// the wrapper never moves a value from the environment to argv. It writes nothing to stdout.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * @typedef {object} CuratedDefaults
 * @property {string} package - the curated package's name, e.g. `@acme/server-filesystem`
 * @property {string} scope - the organisation's scope, e.g. `@acme`
 * @property {string} main - the server's bin, relative to the package root (`dist/main.js`)
 * @property {Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string, env?: string }>} options
 *   the server's full option table (its own and the runtime's shared HTTP options)
 * @property {{ flags: Record<string, boolean | string | string[]>, positionals?: string[], positionalEnv?: string }} policy
 * @property {{ flags: Record<string, boolean | string | string[]>, positionals?: string[], positionalEnv?: string, envAliases?: Record<string, string> }} defaults
 */

/** A command line the policy does not allow; its message says which flag and what to do. */
export class PolicyError extends Error {
  name = 'PolicyError';
}

// The argv form of one flag value: `--flag`, `--flag VALUE`, or the flag repeated per entry.
function argsFor(name, value) {
  if (value === true) return [`--${name}`];
  if (value === false) return [];
  if (Array.isArray(value)) return value.flatMap((entry) => [`--${name}`, entry]);
  return [`--${name}`, value];
}

function sameValue(given, fixed) {
  if (Array.isArray(fixed)) {
    const list = Array.isArray(given) ? given : [given];
    return list.length === fixed.length && list.every((entry, index) => entry === fixed[index]);
  }
  return given === fixed;
}

function describe(value) {
  if (value === true) return 'on';
  if (value === false) return 'off';
  if (Array.isArray(value)) return value.length === 0 ? 'unset' : value.join(', ');
  return value;
}

/**
 * Applies the curated policy and defaults to a command line and an environment.
 *
 * @param {CuratedDefaults} curated - the parsed curated/defaults.json
 * @param {string[]} argv - the user's arguments (after the script)
 * @param {Record<string, string | undefined>} env - the environment; variables that a policy fixes
 *   are deleted from it and aliases are filled in (it is changed in place)
 * @returns {{ argv: string[], warnings: string[] }} the server's arguments, and one line per
 *   environment variable that was dropped
 * @throws PolicyError when the user's arguments contradict the policy
 * @throws TypeError (from node:util parseArgs) for an unknown flag or a missing value
 */
export function applyCuratedDefaults(curated, argv, env) {
  const config = {};
  for (const [name, option] of Object.entries(curated.options)) {
    config[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: config,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  const given = new Set(tokens.filter((token) => token.kind === 'option').map((token) => token.name));
  const warnings = [];
  const added = [];
  for (const [name, fixed] of Object.entries(curated.policy.flags)) {
    const variable = curated.options[name]?.env;
    if (variable && env[variable] !== undefined) {
      warnings.push(
        `ignoring ${variable}: --${name} is fixed by the ${curated.scope} policy (${describe(fixed)}).`,
      );
      delete env[variable];
    }
    if (given.has(name)) {
      if (!sameValue(values[name], fixed)) {
        throw new PolicyError(
          `--${name} is fixed by the ${curated.scope} policy (${describe(fixed)}); remove it from the command line.`,
        );
      }
      continue;
    }
    added.push(...argsFor(name, fixed));
  }
  let trailing = [];
  const fixedPositionals = curated.policy.positionals;
  if (fixedPositionals) {
    if (positionals.length > 0) {
      throw new PolicyError(
        `The ${curated.scope} policy fixes ${fixedPositionals.join(', ')}; remove "${positionals[0]}" from the command line.`,
      );
    }
    const variable = curated.policy.positionalEnv;
    if (variable && env[variable] !== undefined) {
      warnings.push(
        `ignoring ${variable}: the ${curated.scope} policy fixes ${fixedPositionals.join(', ')}.`,
      );
      delete env[variable];
    }
    trailing = fixedPositionals;
  }
  for (const [name, value] of Object.entries(curated.defaults.flags)) {
    const variable = curated.options[name]?.env;
    if (given.has(name) || (variable && env[variable])) continue;
    added.push(...argsFor(name, value));
  }
  const defaultPositionals = curated.defaults.positionals;
  const positionalVariable = curated.defaults.positionalEnv;
  if (defaultPositionals && positionals.length === 0 && !(positionalVariable && env[positionalVariable])) {
    trailing = defaultPositionals;
  }
  for (const [target, source] of Object.entries(curated.defaults.envAliases ?? {})) {
    if (!env[target] && env[source]) env[target] = env[source];
  }
  // Positionals go last, after `--` (unless the user's arguments already end options), so that a
  // directory named like a flag stays a directory.
  const terminated = tokens.some((token) => token.kind === 'option-terminator');
  const tail = trailing.length === 0 ? [] : terminated ? trailing : ['--', ...trailing];
  return { argv: [...added, ...argv, ...tail], warnings };
}

/**
 * Runs the curated bin: reads defaults.json beside this file, applies it to `process.argv` and
 * `process.env`, and loads the server's bin in this process. A refused command line exits 2 with
 * one line on stderr, as the server itself does for a bad flag.
 */
async function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  /** @type {CuratedDefaults} */
  const curated = JSON.parse(readFileSync(path.join(here, 'defaults.json'), 'utf8'));
  const bin = path.resolve(here, '..', curated.main);
  let applied;
  try {
    applied = applyCuratedDefaults(curated, process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${curated.package}: ${error.message}\n`);
    process.exit(2);
  }
  for (const warning of applied.warnings) process.stderr.write(`${curated.package}: ${warning}\n`);
  process.argv = [process.argv[0], bin, ...applied.argv];
  await import(pathToFileURL(bin).href);
}

// Run only as a bin (npm and pnpm start it through a link or a shim, hence realpath), not when a
// test imports applyCuratedDefaults.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  await main();
}
