// The `new-server` generator: scaffolds servers/<name>/ in the shape every Bulwark server has
// (src/main.ts bin, src/cli.ts, src/config.ts, src/server.ts, one file per tool under src/tools/,
// tests that start the built bin over stdio, __toolsnaps__, a README with the generated tool table)
// and, optionally, a bench entry under test/bench/. Run it with `pnpm new-server <name>`
// (turbo/generators/new-server.mjs), which also links the package into the workspace.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { PlopTypes } from '@turbo/gen';

/** A server name: lower-case words joined by single hyphens (`notes`, `object-store`). */
export const SERVER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Longest server name; the package name `@bulwark/server-<name>` stays well under npm's 214. */
export const MAX_NAME_LENGTH = 40;

/**
 * Checks a server name: the naming rule, the length, and that `servers/<name>` does not exist yet.
 *
 * @param name - what the user typed
 * @param root - the repository root (where `servers/` lives)
 * @returns true, or one line saying what is wrong
 */
export function checkServerName(name: unknown, root: string): true | string {
  if (typeof name !== 'string' || !SERVER_NAME.test(name)) {
    return 'Use lower-case letters, digits and single hyphens, starting with a letter (e.g. notes or object-store).';
  }
  if (name.length > MAX_NAME_LENGTH) return `Use at most ${MAX_NAME_LENGTH} characters.`;
  if (existsSync(path.join(root, 'servers', name))) return `servers/${name} already exists.`;
  return true;
}

// An object key in generated JavaScript: bare when it is an identifier, quoted otherwise (the
// formatter's "as needed" rule, so the generated line passes `biome check` unchanged).
function objectKey(name: string): string {
  return /^[a-z_$][a-z0-9_$]*$/i.test(name) ? name : `'${name}'`;
}

/**
 * Formats generated files with the repository's Biome, so that the output passes `biome check`
 * whatever the length of the name substituted into it (line breaks depend on it). Uses the Biome
 * of the target repository when it is installed, else the one next to this generator.
 *
 * @param root - the target repository (Biome reads its biome.json)
 * @param generatorDir - the directory of this config file (plop's plopfile path)
 * @param files - paths relative to `root`
 * @returns a line for the generator's report
 * @throws Error when Biome is not installed or cannot parse a generated file
 */
export function formatGenerated(root: string, generatorDir: string, files: readonly string[]): string {
  const candidates = [
    path.join(root, 'node_modules/.bin/biome'),
    path.resolve(realpathSync(generatorDir), '../../node_modules/.bin/biome'),
  ];
  const biome = candidates.find((candidate) => existsSync(candidate));
  if (!biome)
    throw new Error('Biome is not installed: run pnpm install, then pnpm exec biome format --write.');
  execFileSync(biome, ['format', '--write', ...files], { cwd: root, stdio: 'pipe' });
  return `formatted ${files.join(', ')}`;
}

/**
 * Registers the generators with turbo gen's plop API.
 *
 * @param plop - the plop API that `@turbo/gen` passes in
 */
export default function generator(plop: PlopTypes.NodePlopAPI): void {
  const root = plop.getDestBasePath();
  plop.setHelper('objectKey', objectKey);
  plop.setGenerator('new-server', {
    description:
      'A new MCP server package under servers/, wired to hardening, runtime, testkit, bench and docs',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Server name (the package becomes @bulwark/server-<name>):',
        validate: (input: unknown) => checkServerName(input, root),
      },
      {
        type: 'confirm',
        name: 'bench',
        message: 'Add a bench entry (test/bench/<name>.mjs, registered in test/bench/run.mjs)?',
        default: true,
      },
    ],
    actions: (answers) => {
      const actions: PlopTypes.ActionType[] = [
        {
          type: 'addMany',
          destination: 'servers/{{name}}',
          base: 'templates/server',
          templateFiles: 'templates/server/**/*.hbs',
          stripExtensions: ['hbs'],
          globOptions: { dot: true },
        },
      ];
      if (answers?.bench === true) {
        actions.push(
          {
            type: 'add',
            path: 'test/bench/{{name}}.mjs',
            templateFile: 'templates/bench.mjs.hbs',
          },
          {
            // The last entry of the BENCHES map in test/bench/run.mjs gets a sibling after it.
            type: 'modify',
            path: 'test/bench/run.mjs',
            pattern: /(const BENCHES = \{\n(?:[^\n]*\n)*?)(\};)/,
            template: "$1  {{{objectKey name}}}: () => import('./{{name}}.mjs'),\n$2",
          },
        );
      }
      actions.push(() =>
        formatGenerated(root, plop.getPlopfilePath(), [
          `servers/${answers?.name}`,
          ...(answers?.bench === true ? [`test/bench/${answers.name}.mjs`, 'test/bench/run.mjs'] : []),
        ]),
      );
      return actions;
    },
  });
}
