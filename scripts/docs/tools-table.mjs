// Generates the tool table and the options table of every server README from the built servers.
// Each bin (servers/<name>/dist/main.js) is started over stdio with a real MCP client, once per
// configuration that changes its tool set (servers.mjs), and asked for tools/list; its `--help`
// gives the options. The results replace the text between `<!-- tools:start -->` /
// `<!-- tools:end -->` and `<!-- options:start -->` / `<!-- options:end -->` in its README.
//
//   node scripts/docs/tools-table.mjs                 rewrite the READMEs (`pnpm docs`)
//   node scripts/docs/tools-table.mjs --check         exit 1 and name every stale README
//   --only sqlite,fetch                               only these servers
//   --readme-root DIR                                 read and write DIR/servers/<name>/README.md
//                                                     instead of the repository's (tests)
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStdioServer } from '../../shared/testkit/dist/index.js';
import { parseHelp, renderOptionsSection, renderToolsSection, replaceBetweenMarkers } from './render.mjs';
import { DOC_SERVERS } from './servers.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How long one server may take to start and list its tools, in milliseconds. */
const START_TIMEOUT_MS = 60_000;

/**
 * The path of a server's built bin.
 *
 * @param name - the folder under servers/
 * @returns the absolute path of servers/<name>/dist/main.js
 */
export function binOf(name) {
  return path.join(REPO, 'servers', name, 'dist', 'main.js');
}

/**
 * Starts a bin over stdio with the given arguments and environment and returns its tools/list
 * (every page), then stops it.
 *
 * @param name - the server's folder name
 * @param run - `{ args, env? }`
 * @returns the listed tools
 * @throws Error when the server does not start or list within {@link START_TIMEOUT_MS}
 */
export async function listTools(name, run) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no tool list within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
  });
  const work = (async () => {
    const session = await startStdioServer({ args: [binOf(name), ...run.args], env: run.env ?? {} });
    try {
      const tools = [];
      let cursor;
      do {
        const page = await session.client.listTools(cursor ? { cursor } : {});
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    } finally {
      await session.close();
    }
  })();
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    throw new Error(
      `${name} ${run.args.join(' ')}: ${error.message} (does servers/${name}/dist/main.js start? \`pnpm build\` rebuilds it)`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a bin with `--help` and parses what it prints (on stderr).
 *
 * @param name - the server's folder name
 * @returns the parsed help (see `parseHelp` in render.mjs)
 * @throws Error when the bin fails or prints nothing readable
 */
export function readHelp(name) {
  const result = spawnSync(process.execPath, [binOf(name), '--help'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
    timeout: START_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`${name} --help exited with ${result.status}: ${result.stderr || result.error}`);
  }
  return parseHelp(`${result.stdout}${result.stderr}`);
}

/**
 * Lists a server's tools in every mode and works out, for each tool of the widest mode, its
 * group (when the server has groups) and the label of the first mode that lists it.
 *
 * @param server - one entry of DOC_SERVERS
 * @returns `{ tools, groupHeader? }` ready for `renderToolsSection`
 * @throws Error when a mode lists a tool the last mode does not, or a tool is in no group or two
 */
export async function collectTools(server) {
  const { context, close } = await server.setup();
  try {
    const modes = server.modes(context);
    const listings = [];
    for (const mode of modes) listings.push(await listTools(server.name, mode));
    const widest = listings.at(-1);
    const widestNames = new Set(widest.map((tool) => tool.name));
    for (const [index, listing] of listings.entries()) {
      const extra = listing.filter((tool) => !widestNames.has(tool.name)).map((tool) => tool.name);
      if (extra.length > 0) {
        throw new Error(
          `${server.name}: mode ${index + 1} lists ${extra.join(', ')}, which the last mode does not; make the last mode the widest`,
        );
      }
    }
    const groupOf = new Map();
    if (server.groups) {
      for (const group of server.groups.names) {
        for (const tool of await listTools(server.name, server.groups.run(group, context))) {
          if (groupOf.has(tool.name)) {
            throw new Error(`${server.name}: ${tool.name} is in ${groupOf.get(tool.name)} and in ${group}`);
          }
          groupOf.set(tool.name, group);
        }
      }
      const ungrouped = widest.filter((tool) => !groupOf.has(tool.name)).map((tool) => tool.name);
      if (ungrouped.length > 0) {
        throw new Error(
          `${server.name}: ${ungrouped.join(', ')} in none of ${server.groups.names.join(', ')}`,
        );
      }
    }
    const tools = widest.map((tool) => {
      const group = groupOf.get(tool.name);
      const first = listings.findIndex((listing) => listing.some((listed) => listed.name === tool.name));
      const label = modes[first].label;
      return {
        name: tool.name,
        title: tool.title ?? tool.annotations?.title ?? '',
        description: tool.description ?? '',
        annotations: tool.annotations ?? {},
        enabledBy: typeof label === 'function' ? label(group) : label,
        ...(group ? { group } : {}),
      };
    });
    if (server.groups) {
      const order = server.groups.names;
      tools.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
    }
    return { tools, ...(server.groups ? { groupHeader: server.groups.header } : {}) };
  } finally {
    await close();
  }
}

/**
 * Renders a server's README with both generated sections brought up to date.
 *
 * @param server - one entry of DOC_SERVERS
 * @param readme - the README's current text
 * @returns `{ text, stale }`: the up-to-date README text and the sections that differed
 *   (`tool table`, `options`)
 * @throws Error when the README lacks a pair of markers, or collecting fails
 */
export async function renderReadme(server, readme) {
  const { tools, groupHeader } = await collectTools(server);
  const withTools = replaceBetweenMarkers(
    readme,
    'tools',
    renderToolsSection(tools, groupHeader ? { groupHeader } : {}),
  );
  const text = replaceBetweenMarkers(withTools, 'options', renderOptionsSection(readHelp(server.name)));
  const stale = [];
  if (withTools !== readme) stale.push('tool table');
  if (text !== withTools) stale.push('options');
  return { text, stale };
}

async function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      only: { type: 'string' },
      'readme-root': { type: 'string' },
    },
    strict: true,
  });
  const root = path.resolve(values['readme-root'] ?? REPO);
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = (only ?? []).filter((name) => !DOC_SERVERS.some((server) => server.name === name));
  if (unknown.length > 0) throw new Error(`No such server: ${unknown.join(', ')}`);
  const servers = DOC_SERVERS.filter((server) => !only || only.includes(server.name));
  const stale = [];
  for (const server of servers) {
    const file = path.join(root, 'servers', server.name, 'README.md');
    const relative = path.relative(root, file);
    const current = await readFile(file, 'utf8');
    let next;
    try {
      next = await renderReadme(server, current);
    } catch (error) {
      throw new Error(`${relative}: ${error.message}`);
    }
    if (next.stale.length === 0) {
      console.log(`${relative}: up to date`);
      continue;
    }
    if (values.check) {
      stale.push(relative);
      console.log(`${relative}: stale (${next.stale.join(', ')})`);
    } else {
      await writeFile(file, next.text);
      console.log(`${relative}: rewritten (${next.stale.join(', ')})`);
    }
  }
  if (stale.length > 0) {
    console.error(`Stale README tables: ${stale.join(', ')}. Run \`pnpm docs\` and commit the result.`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`tools-table: ${error.message}`);
    // A server that hung may still hold the event loop; exit without waiting for it.
    process.exit(2);
  });
}
