import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What npm and the MCP registry read from each published package.json: names that agree with the
// folder and the registry namespace, the repository folder, provenance, and a publish-time
// `exports` map that points at dist for every subpath the workspace map has.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPOSITORY = 'git+https://github.com/bulwark-mcp/bulwark.git';

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  keywords?: string[];
  license?: string;
  mcpName?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  engines?: { node?: string };
  bin?: Record<string, string>;
  files?: string[];
  exports?: Record<string, { types?: string; default?: string }>;
  publishConfig?: {
    access?: string;
    provenance?: boolean;
    exports?: Record<string, { types?: string; default?: string }>;
  };
}

function readPackage(folder: string): PackageJson {
  return JSON.parse(readFileSync(path.join(repo, folder, 'package.json'), 'utf8')) as PackageJson;
}

const SERVERS = ['filesystem', 'sqlite', 'postgres', 'fetch', 'github', 'slack'];
const PUBLISHED = [
  ...SERVERS.map((name) => `servers/${name}`),
  'shared/hardening',
  'shared/runtime',
  'shared/sql-tools',
];

describe.each(PUBLISHED)('%s/package.json', (folder) => {
  const pkg = readPackage(folder);

  it('describes the package for npm: version, description, keywords, license, links, engines', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(pkg.description?.length ?? 0).toBeGreaterThan(20);
    expect(pkg.keywords).toContain('mcp');
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository).toEqual({ type: 'git', url: REPOSITORY, directory: folder });
    expect(pkg.homepage).toMatch(
      new RegExp(`^https://github\\.com/bulwark-mcp/bulwark/tree/main/${folder}(#readme)?$`),
    );
    if (pkg.homepage?.endsWith('#readme'))
      expect(existsSync(path.join(repo, folder, 'README.md'))).toBe(true);
    expect(pkg.bugs?.url).toBe('https://github.com/bulwark-mcp/bulwark/issues');
    expect(pkg.engines?.node).toMatch(/^>=2[2-9]\./);
    expect(pkg.files?.length ?? 0).toBeGreaterThan(0);
  });

  it('publishes publicly with provenance and a dist export for every workspace subpath', () => {
    expect(pkg.publishConfig?.access).toBe('public');
    expect(pkg.publishConfig?.provenance).toBe(true);
    const workspace = pkg.exports ?? {};
    const published = pkg.publishConfig?.exports ?? {};
    expect(Object.keys(published).sort()).toEqual(Object.keys(workspace).sort());
    for (const [subpath, target] of Object.entries(published)) {
      expect(target.types, subpath).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      expect(target.default, subpath).toMatch(/^\.\/dist\/.+\.js$/);
      expect(target.types?.replace(/\.d\.ts$/, '.js')).toBe(target.default);
      expect(workspace[subpath]?.default).toBe(target.default);
    }
  });
});

describe.each(SERVERS)('servers/%s/package.json', (name) => {
  const pkg = readPackage(`servers/${name}`);

  it('names the server consistently for npm, the MCP registry and the bin', () => {
    expect(pkg.name).toBe(`@bulwark/server-${name}`);
    expect(pkg.mcpName).toBe(`io.github.bulwark-mcp/server-${name}`);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['mcp', 'mcp-server', 'model-context-protocol']));
    const bins = Object.entries(pkg.bin ?? {});
    expect(bins.map(([bin]) => bin)).toContain(`bulwark-server-${name}`);
    for (const [, file] of bins) expect(existsSync(path.join(repo, 'servers', name, file)), file).toBe(true);
  });
});
