import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  getMcpConfigForManifest,
  hasRequiredConfigMissing,
  MANIFEST_SCHEMAS,
  type McpbManifestAny,
  unpackExtension,
  validateManifest,
} from '@anthropic-ai/mcpb';
import {
  createSampleSqlite,
  createTempTree,
  type StdioSession,
  startStdioServer,
  structuredOf,
} from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BundleResult, buildBundle } from '../../scripts/bundle/build.mjs';
import {
  checkPackageFiles,
  machinePaths,
  readPackageDirectory,
} from '../../scripts/release/tarball-checks.mjs';
import { loadServerConfig, probeConfig, REPO, readRepoJson, SERVERS, sampleValue } from './config-probe.js';
import type { ServerJson } from './server-json-schema.js';

// servers/<name>/mcpb/manifest.json describes each server's MCP Bundle: how a host starts it and
// which settings it asks the user for. The manifests are checked with mcpb's own validator and its
// reference implementation of the host side (getMcpConfigForManifest: defaults, required settings,
// ${user_config.*} substitution), against the server's own config loader. Two bundles are built
// end to end, unpacked and started the way a host starts them.
type UserConfigOption = NonNullable<McpbManifestAny['user_config']>[string];
type UserConfigValues = Record<string, string | number | boolean | string[]>;

let tmp: string;
let sampleFile: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-mcpb-test-'));
  sampleFile = path.join(tmp, 'sample.sqlite');
  writeFileSync(sampleFile, '');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function manifestOf(server: string): McpbManifestAny {
  return readRepoJson<McpbManifestAny>('servers', server, 'mcpb', 'manifest.json');
}

/** mcpb's validator prints its verdict; keep test output clean. */
function quietly<T>(run: () => T): T {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    return run();
  } finally {
    log.mockRestore();
  }
}

/** The `${user_config.KEY}` names used in the launch configuration, by where they appear. */
function referencedKeys(manifest: McpbManifestAny): { args: Set<string>; env: Map<string, string> } {
  const keysIn = (text: string) =>
    [...text.matchAll(/\$\{user_config\.([^}]+)\}/g)].map((match) => match[1]!);
  const config = manifest.server.mcp_config!;
  const args = new Set((config.args ?? []).flatMap(keysIn));
  const env = new Map<string, string>();
  for (const [name, value] of Object.entries(config.env ?? {}))
    for (const key of keysIn(value)) env.set(key, name);
  return { args, env };
}

/** Resolves the launch configuration as a host would; undefined when a required setting is missing. */
async function launchConfig(
  manifest: McpbManifestAny,
  userConfig: UserConfigValues,
  extensionPath = '/bundle',
) {
  return getMcpConfigForManifest({
    manifest,
    extensionPath,
    systemDirs: { HOME: tmp, DESKTOP: tmp, DOCUMENTS: tmp, DOWNLOADS: tmp },
    userConfig,
    pathSeparator: '/',
  });
}

describe.each(SERVERS)('servers/%s/mcpb/manifest.json', (server) => {
  it('is a valid manifest (version 0.3) for mcpb', () => {
    const file = path.join(REPO, 'servers', server, 'mcpb', 'manifest.json');
    const manifest = manifestOf(server);
    expect(manifest.manifest_version).toBe('0.3');
    const parsed = MANIFEST_SCHEMAS['0.3'].safeParse(manifest);
    expect(
      parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    ).toEqual([]);
    expect(quietly(() => validateManifest(file))).toBe(true);
  });

  it('agrees with package.json and server.json', () => {
    const manifest = manifestOf(server);
    const pkg = readRepoJson<{
      name: string;
      version: string;
      license: string;
      bin: Record<string, string>;
      engines: { node: string };
    }>('servers', server, 'package.json');
    const registry = readRepoJson<ServerJson>('servers', server, 'server.json');
    const [binName, binTarget] = Object.entries(pkg.bin)[0]!;
    expect(manifest.name).toBe(binName);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.license).toBe(pkg.license);
    expect(manifest.description).toBe(registry.description);
    expect(manifest.compatibility?.runtimes?.node).toBe(pkg.engines.node);
    expect(manifest.server.type).toBe('node');
    expect(manifest.server.entry_point).toBe(path.posix.normalize(binTarget));
    expect(manifest.server.mcp_config?.command).toBe('node');
    expect(manifest.server.mcp_config?.args?.[0]).toBe(`\${__dirname}/${manifest.server.entry_point}`);
  });

  it('lists every tool the server can offer (its committed tool snapshots)', () => {
    const manifest = manifestOf(server);
    const snapshots = readdirSync(path.join(REPO, 'servers', server, '__toolsnaps__'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''))
      .sort();
    expect((manifest.tools ?? []).map((tool) => tool.name).sort()).toEqual(snapshots);
    for (const tool of manifest.tools ?? []) expect(tool.description, tool.name).toMatch(/\w/);
    expect(manifest.tools_generated).toBe(false);
  });

  it('asks for what the server needs, and every setting reaches the server', async () => {
    const manifest = manifestOf(server);
    const loader = await loadServerConfig(server);
    const registry = readRepoJson<ServerJson>('servers', server, 'server.json');
    const variables = new Map(
      (registry.packages?.[0]?.environmentVariables ?? []).map((entry) => [entry.name, entry]),
    );
    const options = Object.entries(manifest.user_config ?? {}) as [string, UserConfigOption][];
    const { args, env } = referencedKeys(manifest);

    // Every setting is used, every use is declared, secrets only travel in the environment.
    expect(new Set([...args, ...env.keys()])).toEqual(new Set(options.map(([key]) => key)));
    for (const [key, option] of options) {
      if (option.sensitive)
        expect(args.has(key), `${key} is sensitive but passed on the command line`).toBe(false);
      // An optional setting used in the environment needs a default: a host leaves "${user_config.x}"
      // in place when the user gives no value, and the server would read that text.
      if (!option.required && env.has(key)) expect(option.default, `${key} has no default`).toBeDefined();
    }
    // The bundle configures the server through variables the registry entry also declares.
    for (const name of env.values()) expect(variables.has(name), `${name} is not in server.json`).toBe(true);

    const sampleFor = (key: string, option: UserConfigOption): string | boolean | string[] => {
      if (option.type === 'directory') return option.multiple ? [tmp] : tmp;
      if (option.type === 'file') return sampleFile;
      if (option.type === 'boolean') return option.default !== true;
      const variable = variables.get(env.get(key) ?? '');
      return variable ? sampleValue(variable, sampleFile) : 'sample-value';
    };
    const required = Object.fromEntries(
      options.filter(([, option]) => option.required).map(([key, option]) => [key, sampleFor(key, option)]),
    );
    const resolve = async (values: UserConfigValues) => {
      const config = await launchConfig(manifest, values);
      expect(config, 'the host refuses to start the server').toBeDefined();
      expect(JSON.stringify(config)).not.toContain('${');
      expect(config!.args?.[0]).toBe(`/bundle/${manifest.server.entry_point}`);
      return probeConfig(loader, config!.args!.slice(1), config!.env ?? {});
    };

    const baseline = await resolve(required);
    expect(baseline, 'the server starts with the required settings and the defaults').toMatchObject({
      ok: true,
    });
    const full = (await launchConfig(manifest, required))!;
    for (const [key, value] of Object.entries(required)) {
      const { [key]: _dropped, ...rest } = required;
      expect(hasRequiredConfigMissing({ manifest, userConfig: rest }), `${key} is required`).toBe(true);
      // And the server itself refuses to start when that value does not reach it.
      const values = new Set(Array.isArray(value) ? value : [String(value)]);
      const argv = (full.args ?? []).slice(1).filter((arg) => !(args.has(key) && values.has(arg)));
      const environment = Object.fromEntries(
        Object.entries(full.env ?? {}).filter(([name]) => name !== env.get(key)),
      );
      expect(probeConfig(loader, argv, environment).ok, `the server starts without ${key}`).toBe(false);
    }
    for (const [key, option] of options.filter(([, entry]) => !entry.required)) {
      const changed = await resolve({ ...required, [key]: sampleFor(key, option) });
      expect(changed.text, `the setting ${key} changes nothing the server does`).not.toBe(baseline.text);
    }
  });
});

describe('the manifest validator', () => {
  it('rejects what a host could not use', () => {
    const broken = (mutate: (manifest: Record<string, unknown>) => void) => {
      const manifest = structuredClone(manifestOf('sqlite')) as unknown as Record<string, unknown>;
      mutate(manifest);
      const file = path.join(tmp, `broken-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(manifest));
      return quietly(() => validateManifest(file));
    };
    expect(broken(() => {})).toBe(true);
    expect(broken((manifest) => delete manifest.author)).toBe(false);
    expect(broken((manifest) => Object.assign(manifest, { manifest_version: '9.9' }))).toBe(false);
    expect(
      broken((manifest) => {
        (manifest.user_config as Record<string, { type: string }>).database!.type = 'path';
      }),
    ).toBe(false);
  });
});

// Built end to end: filesystem (plain JavaScript) and sqlite (a native module with prebuilt
// binaries). Building all six takes about a minute here; `pnpm bundle` does that.
const BUILT = ['filesystem', 'sqlite'] as const;

describe('built bundles', () => {
  const built = new Map<string, { result: BundleResult; dir: string; manifest: McpbManifestAny }>();
  const sessions: StdioSession[] = [];

  /** Starts an unpacked bundle the way a host does: its manifest's command with the user's values. */
  async function startBundle(
    manifest: McpbManifestAny,
    values: UserConfigValues,
    dir: string,
  ): Promise<StdioSession> {
    const config = await launchConfig(manifest, values, dir);
    const session = await startStdioServer({
      command: config!.command,
      args: config!.args ?? [],
      env: config!.env ?? {},
      cwd: tmp,
    });
    sessions.push(session);
    return session;
  }

  beforeAll(async () => {
    const outDir = path.join(tmp, 'bundles');
    for (const server of BUILT) {
      const result = await quietly(() => buildBundle(server, { outDir }));
      const dir = path.join(tmp, 'unpacked', server);
      expect(await unpackExtension({ mcpbPath: result.file, outputDir: dir, silent: true })).toBe(true);
      built.set(server, {
        result,
        dir,
        manifest: readJson<McpbManifestAny>(path.join(dir, 'manifest.json')),
      });
    }
  }, 180_000);

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  it.each(BUILT)(
    '%s: holds the manifest, the entry point and production dependencies, nothing of the build',
    (server) => {
      const { dir, manifest, result } = built.get(server)!;
      expect(manifest).toEqual(manifestOf(server));
      const files = readPackageDirectory(dir);
      const paths = new Set(files.map((file) => file.path));
      expect(paths.size).toBe(result.files);
      for (const required of [
        'manifest.json',
        'package.json',
        manifest.server.entry_point,
        'node_modules/@bulwark/hardening/package.json',
      ]) {
        expect(paths, required).toContain(required);
      }
      const leftovers = [...paths].filter((file) =>
        /(^|\/)(pnpm-lock\.yaml|\.modules\.yaml|\.pnpm\/|\.mcpbignore$)|\.map$|\.d\.[cm]?ts$|^node_modules\/\.bin\//.test(
          file,
        ),
      );
      expect(leftovers).toEqual([]);
      const ours = files.filter(
        (file) => !file.path.startsWith('node_modules/') || file.path.startsWith('node_modules/@bulwark/'),
      );
      const problems = checkPackageFiles(ours, {
        only: ['contents', 'source-maps', 'secrets', 'local-paths'],
        localPaths: machinePaths(REPO),
      }).flatMap((check) => check.problems);
      expect(problems).toEqual([]);
      expect(readJson<{ type: string }>(path.join(dir, 'package.json')).type).toBe('module');
    },
  );

  it('sqlite: ships the native module for every platform the manifest claims, without its sources', () => {
    const { dir, manifest } = built.get('sqlite')!;
    const prebuilds = readdirSync(path.join(dir, 'node_modules', 'better-sqlite3', 'prebuilds'));
    for (const platform of manifest.compatibility?.platforms ?? []) {
      expect(
        prebuilds.some((file) => file.startsWith(`${platform}-`)),
        platform,
      ).toBe(true);
    }
    const natives = readdirSync(path.join(dir, 'node_modules', 'better-sqlite3'));
    expect(natives).not.toContain('deps');
    expect(natives).not.toContain('src');
  });

  it('filesystem: starts from the unpacked bundle as a host does and reads a file', async () => {
    const { dir, manifest } = built.get('filesystem')!;
    const data = await createTempTree({ 'hello.txt': 'hello from a bundle\n' });
    try {
      const session = await startBundle(manifest, { directories: [data.dir] }, dir);
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        (manifest.tools ?? []).map((tool) => tool.name).sort(),
      );
      const read = await session.client.callTool({
        name: 'read_text_file',
        arguments: { path: 'hello.txt' },
      });
      expect(structuredOf<{ content: string }>(read).content).toBe('hello from a bundle\n');
    } finally {
      await data.remove();
    }
  });

  it('sqlite: starts from the unpacked bundle, loads its native module and lists the tables', async () => {
    const { dir, manifest } = built.get('sqlite')!;
    const database = path.join(tmp, 'shop.sqlite');
    await createSampleSqlite(database);
    const session = await startBundle(manifest, { database }, dir);
    const { tools } = await session.client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('list_tables');
    expect(names).not.toContain('execute');
    for (const name of names) expect((manifest.tools ?? []).map((tool) => tool.name)).toContain(name);
    const { tables } = structuredOf<{ tables: { name: string }[] }>(
      await session.client.callTool({ name: 'list_tables', arguments: {} }),
    );
    expect(tables.map((table) => table.name)).toContain('customers');
    const { prompts } = await session.client.listPrompts();
    expect(prompts.length > 0).toBe(manifest.prompts_generated);
  });
});
