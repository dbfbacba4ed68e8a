#!/usr/bin/env node
// `pnpm new-server <name>`: runs the `new-server` generator (turbo/generators/config.ts), links the
// new package into the workspace (`pnpm install --prefer-offline`: the registry is asked only for
// what pnpm's store and metadata cache lack; `--offline` never asks) and builds it, so its tests
// pass at once. The generator is run through the @turbo/gen installed in this repository rather than
// `turbo gen`, because `turbo gen` fetches @turbo/gen at turbo's own version from the registry on
// every run (`pnpm dlx @turbo/gen@<turbo version>`), which needs the network and fails outright
// when that version was never published. The generator and its config are the same either way.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage: pnpm new-server <name> [options]

Scaffolds servers/<name>/ (package @bulwark/server-<name>) with one example tool and its tests.

Options:
  --no-bench      do not add test/bench/<name>.mjs nor register it in test/bench/run.mjs
  --no-install    do not run pnpm install to link the package into the workspace
  --offline       install from pnpm's store and metadata cache only, never the registry
  --no-build      do not build the package after installing it
  --root DIR      repository to generate into (default: this checkout)
  -h, --help      show this help
`;

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Parses the command line with node:util parseArgs (`--no-<flag>` negates a boolean).
 *
 * @param {string[]} argv - arguments after the script
 * @returns {{ name: string | undefined, bench: boolean, install: boolean, offline: boolean, build: boolean, root: string, help: boolean }}
 * @throws TypeError (from parseArgs) for unknown options
 */
export function parseNewServerArgs(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      bench: { type: 'boolean', default: true },
      install: { type: 'boolean', default: true },
      offline: { type: 'boolean', default: false },
      build: { type: 'boolean', default: true },
      root: { type: 'string', default: path.resolve(here, '../..') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1) throw new TypeError(`Give one server name, not ${positionals.length}.`);
  return {
    name: positionals[0],
    bench: values.bench,
    install: values.install,
    offline: values.offline,
    build: values.build,
    root: path.resolve(values.root),
    help: values.help,
  };
}

// The @turbo/gen command-line entry installed next to this script (a root devDependency).
function turboGenCli() {
  const packageDir = path.resolve(here, '../../node_modules/@turbo/gen');
  const { bin } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return path.join(packageDir, typeof bin === 'string' ? bin : bin.gen);
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

async function main() {
  let options;
  try {
    options = parseNewServerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`new-server: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!options.name) {
    process.stderr.write(`new-server: give the server's name.\n\n${USAGE}`);
    process.exit(2);
  }
  const { name, root } = options;
  // The answers go to the generator's prompts in order (name, bench); it validates the name.
  try {
    run(
      process.execPath,
      [turboGenCli(), 'run', 'new-server', '--root', root, '--args', name, String(options.bench)],
      root,
    );
  } catch (error) {
    // The generator has printed why; a malformed or existing name is refused before any file is written.
    process.exit(error.status ?? 1);
  }
  if (!options.install) {
    process.stderr.write(`Generated servers/${name}. Run pnpm install to link it into the workspace.\n`);
    return;
  }
  try {
    // pnpm's own reporter, so that its error (which package, which cache) reaches the user.
    run('pnpm', ['install', options.offline ? '--offline' : '--prefer-offline'], root);
  } catch {
    process.stderr.write(
      options.offline
        ? 'new-server: pnpm install --offline failed (see above); run pnpm install with the registry reachable.\n'
        : 'new-server: pnpm install failed (see above); fix the cause and run pnpm install.\n',
    );
    process.exit(1);
  }
  if (options.build) run('pnpm', ['--filter', `@bulwark/server-${name}`, 'build'], root);
  process.stderr.write(
    [
      `Created @bulwark/server-${name} in servers/${name}.`,
      ...[
        [`pnpm exec vitest run servers/${name}`, 'its tests (they start the built dist/main.js)'],
        [`pnpm exec biome check servers/${name}`, 'lint and format'],
        [`pnpm --filter @bulwark/server-${name} typecheck`, 'sources and tests'],
        ...(options.bench ? [[`pnpm bench ${name}`, 'its bench entry']] : []),
      ].map(
        ([command, what], _index, rows) =>
          `  ${command.padEnd(Math.max(...rows.map(([c]) => c.length)))}  # ${what}`,
      ),
      'Then replace the example tool (src/tools/read_text.ts) with your own; see the README.',
      '',
    ].join('\n'),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
