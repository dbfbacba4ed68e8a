#!/usr/bin/env node
// `pnpm curate --servers filesystem,postgres --scope @acme [--config curation.json] [--out DIR]`:
// builds an organisation's curated set of Bulwark servers. For each server it packs the workspace
// package (`pnpm pack`: the published files, workspace ranges resolved), renames it into the
// organisation's scope, adds the bin curated/main.js (scripts/curate/wrapper.mjs) with the
// organisation's policy and defaults in curated/defaults.json, writes a README listing them, and
// packs the result with `npm pack`. The upstream shared packages the servers depend on are packed
// beside them, unchanged. See docs/curated-sets.md.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkSettingValue, PROFILES, SECRETS } from './profiles.mjs';
import { renderPackageReadme, renderSetReadme } from './readme.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');

/** Where packages say they publish until the organisation names its registry (`.invalid` never resolves, RFC 6761). */
export const PLACEHOLDER_REGISTRY = 'https://registry.invalid/';

/** An npm scope: `@` and a lower-case name. */
const SCOPE = /^@[a-z0-9][a-z0-9._-]*$/;

const kebab = (key) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * The command-line flag that sets one server's setting: `--<server>-<setting in kebab case>`,
 * e.g. `--filesystem-roots`, `--postgres-database-url-env`.
 *
 * @param {string} server - folder name under servers/
 * @param {string} key - setting key from PROFILES
 * @returns {string} the flag name without dashes
 */
export function settingFlag(server, key) {
  return `${server}-${kebab(key)}`;
}

const BASE_OPTIONS = {
  servers: { type: 'string', help: 'Comma-separated servers to curate (default: those in --config).' },
  scope: { type: 'string', help: "The organisation's npm scope, e.g. @acme." },
  out: { type: 'string', help: 'Output directory (default dist/curated/<scope> in this repository).' },
  config: {
    type: 'string',
    help: 'JSON curation file: { scope, registry, versionSuffix, servers: { name: { setting: value } } }.',
  },
  registry: {
    type: 'string',
    help: `Private registry URL for publishConfig (default ${PLACEHOLDER_REGISTRY}).`,
  },
  'version-suffix': {
    type: 'string',
    help: 'Appended to the upstream version as a prerelease, e.g. acme.1 gives 0.1.0-acme.1.',
  },
  'read-only': { type: 'boolean', help: 'readOnly policy for every selected server that has one.' },
  build: { type: 'boolean', default: true, help: 'Build the selected servers first (--no-build to skip).' },
  pack: {
    type: 'boolean',
    default: true,
    help: 'Pack every package into <out>/tarballs (--no-pack to skip).',
  },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
};

/**
 * The full option table: the base options plus one flag per server setting (PROFILES).
 *
 * @returns {Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string, default?: unknown, help: string }>}
 */
export function curateOptions() {
  const options = { ...BASE_OPTIONS };
  for (const [server, settings] of Object.entries(PROFILES)) {
    for (const [key, setting] of Object.entries(settings)) {
      options[settingFlag(server, key)] = {
        type: setting.type === 'boolean' ? 'boolean' : 'string',
        ...(setting.type === 'list' ? { multiple: true } : {}),
        help: `${setting.kind === 'policy' ? '[policy]' : '[default]'} ${setting.help}`,
      };
    }
  }
  return options;
}

/**
 * Help text for `pnpm curate --help`.
 *
 * @returns {string}
 */
export function curateUsage() {
  const rows = Object.entries(curateOptions()).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' VALUE' : ''}`;
    return `  ${flag.padEnd(40)} ${option.help}`;
  });
  return `Usage: pnpm curate --servers filesystem,postgres --scope @acme [options]\n\nOptions:\n${rows.join('\n')}\n\nList settings take repeated flags or comma-separated values; booleans take --no-<flag>.\n`;
}

/**
 * @typedef {object} Curation
 * @property {string} scope - `@acme`
 * @property {string} registry - URL of the private registry
 * @property {string | undefined} versionSuffix
 * @property {Record<string, Record<string, unknown>>} servers - settings by server, validated
 */

/**
 * Parses the command line (node:util parseArgs, strict) and merges it over the --config file:
 * command-line values win. Checks the scope, the server names and every setting's type.
 *
 * @param {string[]} argv - arguments after the script
 * @param {string} [cwd] - base for relative --config and --out paths
 * @returns {{ help: true } | { help: false, curation: Curation, out: string, build: boolean, pack: boolean }}
 * @throws Error for an unknown flag, a malformed value, an unknown server or setting, or no scope
 */
export function parseCurateArgs(argv, cwd = process.cwd()) {
  const options = curateOptions();
  const config = Object.fromEntries(
    Object.entries(options).map(([name, { help: _help, ...rest }]) => [name, rest]),
  );
  const { values } = parseArgs({ args: argv, options: config, strict: true, allowNegative: true });
  if (values.help) return { help: true };
  const file = values.config ? JSON.parse(readFileSync(path.resolve(cwd, values.config), 'utf8')) : {};
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new Error('--config must hold a JSON object.');
  const scope = values.scope ?? file.scope;
  if (typeof scope !== 'string' || !SCOPE.test(scope)) {
    throw new Error(
      `Give the organisation's scope as @name (--scope or "scope" in --config), not ${JSON.stringify(scope)}.`,
    );
  }
  const fileServers = file.servers ?? {};
  const selected = values.servers
    ? values.servers
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : Object.keys(fileServers);
  if (selected.length === 0)
    throw new Error('Name the servers to curate with --servers (or "servers" in --config).');
  const servers = {};
  for (const server of selected) {
    const profile = PROFILES[server];
    if (!profile)
      throw new Error(`Unknown server "${server}"; choose from ${Object.keys(PROFILES).join(', ')}.`);
    const settings = {};
    for (const [key, value] of Object.entries(fileServers[server] ?? {})) {
      if (!profile[key]) {
        throw new Error(`${server} has no setting "${key}"; it has ${Object.keys(profile).join(', ')}.`);
      }
      settings[key] = checkSettingValue(`${server}.${key}`, profile[key], value);
    }
    if (values['read-only'] !== undefined && profile.readOnly) settings.readOnly = values['read-only'];
    for (const [key, setting] of Object.entries(profile)) {
      const value = values[settingFlag(server, key)];
      if (value === undefined) continue;
      settings[key] = checkSettingValue(
        `--${settingFlag(server, key)}`,
        setting,
        Array.isArray(value) ? value.join(',') : value,
      );
    }
    servers[server] = settings;
  }
  for (const key of Object.keys(values)) {
    const server = Object.keys(PROFILES).find((name) => key.startsWith(`${name}-`));
    if (server && !selected.includes(server))
      throw new Error(`--${key} is for ${server}, which is not in --servers.`);
  }
  const registry = values.registry ?? file.registry ?? PLACEHOLDER_REGISTRY;
  if (!/^https?:\/\/[^/]+/.test(registry))
    throw new Error(`The registry must be an http(s) URL, not ${JSON.stringify(registry)}.`);
  const versionSuffix = values['version-suffix'] ?? file.versionSuffix;
  if (versionSuffix !== undefined && !/^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/.test(versionSuffix)) {
    throw new Error(
      `The version suffix must be dot-separated alphanumerics (semver prerelease), not ${JSON.stringify(versionSuffix)}.`,
    );
  }
  const out = path.resolve(cwd, values.out ?? path.join(REPO, 'dist/curated', scope.slice(1)));
  return {
    help: false,
    curation: { scope, registry: registry.endsWith('/') ? registry : `${registry}/`, versionSuffix, servers },
    out,
    build: values.build,
    pack: values.pack,
  };
}

/**
 * The server's full option table as its bin parses it: its own CLI_OPTIONS (dist/config.js) plus
 * the runtime's shared HTTP options, keeping the server's meaning where a name is in both.
 *
 * @param {string} server - folder name under servers/
 * @returns {Promise<Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string, env?: string }>>}
 */
export async function serverOptions(server) {
  const dir = path.join(REPO, 'servers', server);
  const { CLI_OPTIONS } = await import(pathToFileURL(path.join(dir, 'dist/config.js')).href);
  const runtimeHttp = createRequire(path.join(dir, 'package.json')).resolve('@bulwark/runtime/http');
  const { HTTP_CLI_OPTIONS } = await import(pathToFileURL(runtimeHttp).href);
  const table = {};
  for (const [name, option] of Object.entries({ ...HTTP_CLI_OPTIONS, ...CLI_OPTIONS })) {
    table[name] = {
      type: option.type,
      ...(option.multiple ? { multiple: true } : {}),
      ...(option.short ? { short: option.short } : {}),
      ...(option.env ? { env: option.env } : {}),
    };
  }
  return table;
}

function describeFlag(name, value) {
  if (value === true) return `\`--${name}\``;
  if (value === false) return `\`--${name}\` refused`;
  if (Array.isArray(value)) {
    return value.length === 0
      ? `\`--${name}\` refused`
      : value.map((entry) => `\`--${name} ${entry}\``).join(' ');
  }
  return `\`--${name} ${value}\``;
}

/**
 * Turns one server's settings into the wrapper's defaults.json sections, checking every flag
 * against the server's real option table (a renamed flag fails here, not at a user's start).
 *
 * @param {string} server - folder name under servers/
 * @param {Record<string, unknown>} settings - validated settings
 * @param {Awaited<ReturnType<typeof serverOptions>>} options - the server's option table
 * @returns {{ policy: object, defaults: object, baked: import('./readme.mjs').BakedSetting[], secrets: { name: string, help: string }[] }}
 * @throws Error when a profile names a flag the server does not have, or with the wrong type
 */
export function bakeSettings(server, settings, options) {
  const policy = { flags: {} };
  const defaults = { flags: {}, envAliases: {} };
  const baked = [];
  const secrets = [...SECRETS[server]];
  for (const [key, value] of Object.entries(settings)) {
    const setting = PROFILES[server][key];
    const target = setting.kind === 'policy' ? policy : defaults;
    const args = setting.toArgs(value);
    const effects = [];
    for (const [flag, flagValue] of Object.entries(args.flags)) {
      const option = options[flag];
      const expected = typeof flagValue === 'boolean' ? 'boolean' : 'string';
      if (!option || option.type !== expected || (Array.isArray(flagValue) && !option.multiple)) {
        throw new Error(
          `${server}.${key} maps to --${flag}, which the ${server} server does not take as a ${Array.isArray(flagValue) ? 'repeatable ' : ''}${expected} option.`,
        );
      }
      target.flags[flag] = flagValue;
      effects.push(describeFlag(flag, flagValue));
    }
    if (args.positionals) {
      target.positionals = args.positionals;
      if (setting.positionalEnv) target.positionalEnv = setting.positionalEnv;
      effects.push(`arguments ${args.positionals.map((entry) => `\`${entry}\``).join(' ')}`);
    }
    for (const [variable, source] of Object.entries(args.envAliases ?? {})) {
      defaults.envAliases[variable] = source;
      // A host config sets the organisation's name for the secret; the server's own still wins.
      const index = secrets.findIndex((secret) => secret.name === variable);
      const help = `${index >= 0 ? secrets[index].help : 'the value'} (read as ${variable}, which wins when set)`;
      secrets.splice(index >= 0 ? index : secrets.length, index >= 0 ? 1 : 0, { name: source, help });
      effects.push(`\`${variable}\` from \`${source}\``);
    }
    const override = setting.kind === 'default' ? overrideOf(args, options, setting) : undefined;
    baked.push({
      key,
      kind: setting.kind,
      value,
      help: setting.help,
      effect: effects.join(', ') || 'none',
      ...(override ? { override } : {}),
    });
  }
  return { policy, defaults, baked, secrets };
}

function overrideOf(args, options, setting) {
  const ways = Object.keys(args.flags).flatMap((flag) => [
    `\`--${flag}\``,
    ...(options[flag]?.env ? [`\`${options[flag].env}\``] : []),
  ]);
  if (args.positionals)
    ways.push(`an argument${setting.positionalEnv ? ` or \`${setting.positionalEnv}\`` : ''}`);
  for (const variable of Object.keys(args.envAliases ?? {})) ways.push(`\`${variable}\``);
  return ways.join(', ');
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `pnpm pack` of a workspace package (publishConfig applied, workspace ranges resolved) into `dest`. */
function packWorkspace(dir, dest) {
  const output = run('pnpm', ['pack', '--pack-destination', dest], dir);
  return output.trim().split('\n').at(-1) ?? '';
}

function workspacePackageDirs() {
  const dirs = new Map();
  for (const parent of ['shared', 'servers']) {
    for (const name of readdirSync(path.join(REPO, parent))) {
      const manifest = path.join(REPO, parent, name, 'package.json');
      if (existsSync(manifest))
        dirs.set(JSON.parse(readFileSync(manifest, 'utf8')).name, path.join(REPO, parent, name));
    }
  }
  return dirs;
}

// Refuses to empty a directory that is neither empty nor an earlier curated set.
function prepareOut(out) {
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(path.join(out, 'curation.json'))) {
      throw new Error(`${out} is not empty and holds no curated set; choose an empty --out.`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(path.join(out, 'tarballs'), { recursive: true });
}

/**
 * Builds the curated set into `out`: one package directory per server, the set's README and
 * curation.json, and (with `pack`) every tarball under `out/tarballs`.
 *
 * @param {Curation} curation - from {@link parseCurateArgs}
 * @param {{ out: string, build?: boolean, pack?: boolean, log?: (line: string) => void }} options
 * @returns {Promise<{ packages: import('./readme.mjs').CuratedPackage[], shared: { name: string, tarball: string }[], tarballs: string[] }>}
 *   the curated packages (with `dir` and, when packed, `tarball`), the shared packages packed
 *   beside them, and every tarball's file name
 * @throws Error when a build or pack fails or a setting does not fit the server's options
 */
export async function curate(curation, { out, build = true, pack = true, log = () => {} }) {
  const servers = Object.keys(curation.servers);
  if (build) {
    log(`building ${servers.join(', ')}`);
    run(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', ...servers.map((server) => `--filter=@bulwark/server-${server}`)],
      REPO,
    );
  }
  prepareOut(out);
  const tarballDir = path.join(out, 'tarballs');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bulwark-curate-'));
  const packages = [];
  const sharedNames = new Set();
  try {
    for (const server of servers) {
      const upstreamTarball = packWorkspace(path.join(REPO, 'servers', server), scratch);
      const dir = path.join(out, server);
      mkdirSync(dir, { recursive: true });
      run('tar', ['-xzf', upstreamTarball, '-C', dir, '--strip-components=1'], out);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      for (const dependency of Object.keys(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@bulwark/')) sharedNames.add(dependency);
      }
      const options = await serverOptions(server);
      const { policy, defaults, baked, secrets } = bakeSettings(server, curation.servers[server], options);
      const upstreamBin = Object.values(manifest.bin ?? {})[0];
      if (!upstreamBin) throw new Error(`${manifest.name} has no bin.`);
      const name = `${curation.scope}/server-${server}`;
      const bin = `${curation.scope.slice(1)}-server-${server}`;
      const version = curation.versionSuffix
        ? `${manifest.version}-${curation.versionSuffix}`
        : manifest.version;
      const upstream = `${manifest.name}@${manifest.version}`;
      mkdirSync(path.join(dir, 'curated'));
      copyFileSync(path.join(HERE, 'wrapper.mjs'), path.join(dir, 'curated/main.js'));
      writeFileSync(
        path.join(dir, 'curated/defaults.json'),
        `${JSON.stringify({ package: name, scope: curation.scope, upstream, main: upstreamBin.replace(/^\.\//, ''), options, policy, defaults }, null, 2)}\n`,
      );
      if (existsSync(path.join(dir, 'README.md')))
        renameSync(path.join(dir, 'README.md'), path.join(dir, 'UPSTREAM-README.md'));
      const curated = {
        server,
        name,
        version,
        bin,
        upstream,
        settings: baked,
        secrets,
        registry: curation.registry,
      };
      writeFileSync(path.join(dir, 'README.md'), renderPackageReadme(curated, curation.scope));
      const {
        devDependencies: _dev,
        scripts: _scripts,
        mcpName: _mcpName,
        publishConfig: _publish,
        ...kept
      } = manifest;
      writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify(
          {
            ...kept,
            name,
            version,
            description: `${curation.scope}'s build of ${upstream} with the organisation's policy and defaults baked in`,
            bin: { [bin]: './curated/main.js' },
            // Whatever the upstream package publishes, but its registry metadata (server.json names
            // the upstream server, not this one), plus the wrapper and both READMEs.
            files: [
              ...new Set([
                ...(manifest.files ?? ['dist']).filter((entry) => entry !== 'server.json'),
                'curated',
                'README.md',
                'UPSTREAM-README.md',
              ]),
            ],
            publishConfig: { registry: curation.registry, access: 'restricted' },
          },
          null,
          2,
        )}\n`,
      );
      packages.push({ ...curated, dir });
      log(`curated ${name}@${version} from ${upstream}`);
    }
    // The upstream shared packages, and theirs in turn, packed as they would be published.
    const dirs = workspacePackageDirs();
    const shared = [];
    const queue = [...sharedNames];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const dir = dirs.get(next);
      if (!dir) throw new Error(`${next} is not a package of this workspace.`);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      for (const dependency of Object.keys(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@bulwark/') && !sharedNames.has(dependency)) {
          sharedNames.add(dependency);
          queue.push(dependency);
        }
      }
      shared.push({ name: next, tarball: pack ? path.basename(packWorkspace(dir, tarballDir)) : '' });
    }
    const tarballs = [];
    if (pack) {
      for (const pkg of packages) {
        const [result] = JSON.parse(
          run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballDir], pkg.dir),
        );
        pkg.tarball = result.filename;
        tarballs.push(result.filename);
      }
      tarballs.push(...shared.map((entry) => entry.tarball));
    }
    writeFileSync(path.join(out, 'curation.json'), `${JSON.stringify(curation, null, 2)}\n`);
    writeFileSync(
      path.join(out, 'README.md'),
      renderSetReadme({ scope: curation.scope, registry: curation.registry, packages, shared, tarballs }),
    );
    return { packages, shared, tarballs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  let parsed;
  try {
    parsed = parseCurateArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`curate: ${error.message}\nRun pnpm curate --help for the options.\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(curateUsage());
    return;
  }
  const log = (line) => process.stderr.write(`[curate] ${line}\n`);
  const result = await curate(parsed.curation, {
    out: parsed.out,
    build: parsed.build,
    pack: parsed.pack,
    log,
  });
  log(
    `wrote ${result.packages.length} packages to ${parsed.out}${parsed.pack ? ` (tarballs in ${path.join(parsed.out, 'tarballs')})` : ''}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`curate: ${error.message}\n`);
    process.exit(1);
  });
}
