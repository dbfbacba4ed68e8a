import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig, probeConfig, REPO, readRepoJson, SERVERS, sampleValue } from './config-probe.js';
import {
  NPM_REGISTRY_URL,
  SERVER_JSON_SCHEMA_URL,
  type ServerJson,
  ServerJsonSchema,
} from './server-json-schema.js';

// Each servers/<name>/server.json is the server's MCP Registry entry (published with
// `mcp-publisher publish`). These tests hold it to the registry's format, to the package it names,
// and to the truth: every argument and variable it declares is one the server reads.
let tmp: string;
let sampleFile: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-server-json-'));
  sampleFile = path.join(tmp, 'sample.pem');
  writeFileSync(sampleFile, 'sample\n');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type PackageJson = {
  name: string;
  version: string;
  mcpName?: string;
  repository: { url: string; directory?: string };
};

function issuesOf(value: unknown): string[] {
  const result = ServerJsonSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function serverJsonOf(server: string): ServerJson {
  return ServerJsonSchema.parse(readRepoJson('servers', server, 'server.json'));
}

function npmPackageOf(json: ServerJson) {
  const npm = (json.packages ?? []).filter((entry) => entry.registryType === 'npm');
  expect(npm).toHaveLength(1);
  return npm[0]!;
}

function repositoryKey(url: string): string {
  return url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/\/$/, '')
    .toLowerCase();
}

describe.each(SERVERS)('servers/%s/server.json', (server) => {
  it('is valid in the server.json format of 2025-12-11', () => {
    const raw = readRepoJson('servers', server, 'server.json');
    expect(issuesOf(raw)).toEqual([]);
    expect(raw.$schema).toBe(SERVER_JSON_SCHEMA_URL);
  });

  it("names the npm package, its version and the package's mcpName", () => {
    const pkg = readRepoJson<PackageJson>('servers', server, 'package.json');
    const json = serverJsonOf(server);
    expect(json.name).toBe(`io.github.bulwark-mcp/${pkg.name.replace(/^@bulwark\//, '')}`);
    // The registry accepts an npm package only when its package.json names this server.
    expect(pkg.mcpName, 'package.json mcpName').toBe(json.name);
    expect(json.version).toBe(pkg.version);
    expect(npmPackageOf(json)).toMatchObject({
      identifier: pkg.name,
      version: pkg.version,
      registryBaseUrl: NPM_REGISTRY_URL,
      runtimeHint: 'npx',
      transport: { type: 'stdio' },
    });
    expect(repositoryKey(json.repository?.url ?? '')).toBe(repositoryKey(pkg.repository.url));
    expect(json.repository?.subfolder).toBe(pkg.repository.directory);
    expect(existsSync(path.join(REPO, json.repository?.subfolder ?? '', 'package.json'))).toBe(true);
  });

  it('declares what the server reads: the required inputs suffice, each is needed, each optional one has an effect', async () => {
    const loader = await loadServerConfig(server);
    const npm = npmPackageOf(serverJsonOf(server));
    const args = npm.packageArguments ?? [];
    const variables = npm.environmentVariables ?? [];
    expect(new Set(variables.map((variable) => variable.name)).size).toBe(variables.length);

    const argvOf = (list: typeof args) =>
      list.flatMap((arg) =>
        arg.type === 'named' ? [arg.name, sampleValue(arg, sampleFile)] : [sampleValue(arg, sampleFile)],
      );
    const requiredArgs = args.filter((arg) => arg.isRequired);
    const requiredEnv = Object.fromEntries(
      variables
        .filter((variable) => variable.isRequired)
        .map((variable) => [variable.name, sampleValue(variable, sampleFile)]),
    );
    const baseline = probeConfig(loader, argvOf(requiredArgs), requiredEnv);
    expect(baseline, 'the server starts with only the required inputs').toMatchObject({ ok: true });
    // With nothing at all the server refuses exactly when something is declared required.
    expect(probeConfig(loader, [], {}).ok).toBe(
      requiredArgs.length === 0 && Object.keys(requiredEnv).length === 0,
    );

    for (const arg of requiredArgs) {
      const without = probeConfig(loader, argvOf(requiredArgs.filter((other) => other !== arg)), requiredEnv);
      expect(
        without.ok,
        `without the required argument ${arg.type === 'named' ? arg.name : arg.valueHint}`,
      ).toBe(false);
    }
    for (const name of Object.keys(requiredEnv)) {
      const { [name]: _dropped, ...rest } = requiredEnv;
      expect(
        probeConfig(loader, argvOf(requiredArgs), rest).ok,
        `without the required variable ${name}`,
      ).toBe(false);
    }
    for (const variable of variables.filter((entry) => !entry.isRequired)) {
      const withIt = probeConfig(loader, argvOf(requiredArgs), {
        ...requiredEnv,
        [variable.name]: sampleValue(variable, sampleFile),
      });
      expect(withIt.text, `${variable.name} changes nothing the server does`).not.toBe(baseline.text);
    }
    for (const arg of args.filter((entry) => !entry.isRequired)) {
      const withIt = probeConfig(loader, argvOf([...requiredArgs, arg]), requiredEnv);
      expect(withIt.text, `the optional argument changes nothing`).not.toBe(baseline.text);
    }
  });

  it('keeps secrets in the environment, marked as secrets', () => {
    const npm = npmPackageOf(serverJsonOf(server));
    for (const arg of [...(npm.packageArguments ?? []), ...(npm.runtimeArguments ?? [])]) {
      expect(arg.isSecret ?? false, 'a secret on the command line is visible to every user (ps)').toBe(false);
    }
    for (const variable of npm.environmentVariables ?? []) {
      if (/TOKEN|PASSWORD|SECRET|DATABASE_URL/.test(variable.name)) {
        expect(variable.isSecret, `${variable.name} is a secret`).toBe(true);
      }
      if (variable.isSecret) expect(variable.default, `${variable.name} has a default`).toBeUndefined();
    }
  });
});

type Path = (string | number)[];

/** Sets (or, with `undefined`, deletes) the value at a path of a JSON document. */
function setAt(document: unknown, at: Path, value: unknown): void {
  let node = document as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe('the server.json rules', () => {
  const valid = () => readRepoJson('servers', 'filesystem', 'server.json');
  const env0: Path = ['packages', 0, 'environmentVariables', 0];
  const cases: [string, Path, unknown][] = [
    ['a name without a namespace', ['name'], 'server-filesystem'],
    ['a name with two slashes', ['name'], 'io.github.bulwark-mcp/server/filesystem'],
    ['a description over 100 characters', ['description'], 'x'.repeat(101)],
    ['a version range', ['version'], '^0.1.0'],
    ['a package version "latest"', ['packages', 0, 'version'], 'latest'],
    ['an npm package without a version', ['packages', 0, 'version'], undefined],
    [
      'an npm registry other than registry.npmjs.org',
      ['packages', 0, 'registryBaseUrl'],
      'https://npm.example.com',
    ],
    ['a package without a transport', ['packages', 0, 'transport'], undefined],
    ['an unknown transport type', ['packages', 0, 'transport'], { type: 'websocket' }],
    [
      'a positional argument without valueHint or value',
      ['packages', 0, 'packageArguments', 0, 'valueHint'],
      undefined,
    ],
    ['an isSecret that is not a boolean', [...env0, 'isSecret'], 'yes'],
    ['an unknown input format', [...env0, 'format'], 'path'],
    ['a misspelt field', [...env0, 'isSecrets'], true],
    ['a subfolder that climbs out of the repository', ['repository', 'subfolder'], '../filesystem'],
    ['a repository URL that is not a URL', ['repository', 'url'], 'github.com/bulwark-mcp/bulwark'],
    [
      'an mcpb package without fileSha256',
      ['packages', 1],
      {
        registryType: 'mcpb',
        identifier: 'https://github.com/bulwark-mcp/bulwark/releases/download/v0.1.0/filesystem.mcpb',
        transport: { type: 'stdio' },
      },
    ],
  ];

  it('accept the unmodified file', () => {
    expect(issuesOf(valid())).toEqual([]);
  });

  it.each(cases)('reject %s', (_, at, value) => {
    const document = valid();
    setAt(document, at, value);
    expect(issuesOf(document)).not.toEqual([]);
  });
});
