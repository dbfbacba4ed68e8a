// The READMEs of a curated set: one per package (what is baked in, how to run it, host configs)
// and one for the set (the packages, how to publish them to the private registry).

/**
 * @typedef {object} BakedSetting
 * @property {string} key - the setting's name in the curation config (`readOnly`)
 * @property {'policy' | 'default'} kind
 * @property {unknown} value
 * @property {string} help - what it means
 * @property {string} effect - what the wrapper does, e.g. `--read-only` or `DATABASE_URL from ACME_DB_URL`
 * @property {string} [override] - for a default: how a user overrides it
 */

/**
 * @typedef {object} CuratedPackage
 * @property {string} server - folder name under servers/ (`filesystem`)
 * @property {string} name - the curated package's name (`@acme/server-filesystem`)
 * @property {string} version
 * @property {string} bin - the curated bin's name (`acme-server-filesystem`)
 * @property {string} upstream - `@bulwark/server-filesystem@0.1.0`
 * @property {BakedSetting[]} settings
 * @property {{ name: string, help: string }[]} secrets - variables a host config must set
 * @property {string} registry
 */

const code = (text) => `\`${text}\``;

function show(value) {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(code).join(', ');
  return code(String(value));
}

function hostEntry(pkg, scopeName) {
  const env = Object.fromEntries(pkg.secrets.map(({ name }) => [name, `<${name.toLowerCase()}>`]));
  return {
    key: `${scopeName}-${pkg.server}`,
    entry: {
      command: 'npx',
      args: ['-y', pkg.name],
      ...(Object.keys(env).length > 0 ? { env } : {}),
    },
  };
}

/**
 * Renders the README of one curated package.
 *
 * @param {CuratedPackage} pkg - the package and what is baked into it
 * @param {string} scope - the organisation's scope (`@acme`)
 * @returns {string} Markdown
 */
export function renderPackageReadme(pkg, scope) {
  const scopeName = scope.slice(1);
  const policy = pkg.settings.filter((setting) => setting.kind === 'policy');
  const defaults = pkg.settings.filter((setting) => setting.kind === 'default');
  const { key, entry } = hostEntry(pkg, scopeName);
  const lines = [
    `# ${pkg.name}`,
    '',
    `${scope}'s build of [${pkg.upstream}](https://github.com/bulwark-mcp/bulwark/tree/main/servers/${pkg.server}),`,
    `the hardened MCP server, with ${scope}'s policy and defaults baked in. The server itself is`,
    'unchanged (`dist/` is the upstream build); the bin `curated/main.js` applies `curated/defaults.json`',
    'to the command line and the environment, then starts it in the same process.',
    '',
    '```sh',
    `npx -y ${pkg.name}`,
    '```',
    '',
    '## Policy (fixed)',
    '',
    policy.length === 0
      ? 'No policy is baked into this package.'
      : 'A command-line flag that contradicts one of these makes the server refuse to start (exit 2); an environment variable that would change one is ignored, with a warning on stderr.',
    '',
    ...(policy.length === 0
      ? []
      : [
          '| setting | value | effect | meaning |',
          '| ------- | ----- | ------ | ------- |',
          ...policy.map((s) => `| ${code(s.key)} | ${show(s.value)} | ${s.effect} | ${s.help} |`),
          '',
        ]),
    '## Defaults (overridable)',
    '',
    defaults.length === 0
      ? 'No defaults are baked into this package.'
      : 'Used when the user gives neither the flag nor its environment variable.',
    '',
    ...(defaults.length === 0
      ? []
      : [
          '| setting | value | effect | override with | meaning |',
          '| ------- | ----- | ------ | ------------- | ------- |',
          ...defaults.map(
            (s) => `| ${code(s.key)} | ${show(s.value)} | ${s.effect} | ${s.override ?? ''} | ${s.help} |`,
          ),
          '',
        ]),
    '## Secrets',
    '',
    pkg.secrets.length === 0
      ? 'This server needs no secret.'
      : 'Secrets come only from the environment, never from the command line or this package:',
    '',
    ...pkg.secrets.map(({ name, help }) => `- ${code(name)}: ${help}`),
    ...(pkg.secrets.length > 0 ? [''] : []),
    '## Installing from the private registry',
    '',
    `Map the ${code(scope)} scope to the registry in ${code('.npmrc')} (user or project):`,
    '',
    '```ini',
    `${scope}:registry=${pkg.registry}`,
    `//${pkg.registry.replace(/^https?:\/\//, '')}:_authToken=\${NPM_TOKEN}`,
    '```',
    '',
    '## Host configuration',
    '',
    'Claude Desktop (`claude_desktop_config.json`) and Cursor (`~/.cursor/mcp.json`):',
    '',
    '```json',
    JSON.stringify({ mcpServers: { [key]: entry } }, null, 2),
    '```',
    '',
    'VS Code (`.vscode/mcp.json`):',
    '',
    '```json',
    JSON.stringify({ servers: { [key]: { type: 'stdio', ...entry } } }, null, 2),
    '```',
    '',
    'On Windows, hosts that cannot start `npx` directly need `"command": "cmd", "args": ["/c", "npx", ...]`.',
    '',
    '## The server',
    '',
    `Its tools, options and security model are described in ${code('UPSTREAM-README.md')}. Every option it`,
    'documents works here too, except where the policy above fixes it.',
    '',
    'The policy binds what hosts and users configure; it is not a boundary against someone who can run',
    "`node` on the machine (they could start `dist/main.js` directly): that is the operating system's job.",
    '',
  ];
  return lines.join('\n');
}

/**
 * Renders the README of the whole set (the output directory).
 *
 * @param {{ scope: string, registry: string, packages: CuratedPackage[], shared: { name: string, tarball: string }[], tarballs: string[] }} set
 * @returns {string} Markdown
 */
export function renderSetReadme(set) {
  return [
    `# ${set.scope} curated MCP servers`,
    '',
    'Generated by `pnpm curate` (scripts/curate/curate.mjs); `curation.json` is the exact input.',
    '',
    '| package | version | bin | built from |',
    '| ------- | ------- | --- | ---------- |',
    ...set.packages.map(
      (pkg) => `| ${code(pkg.name)} | ${pkg.version} | ${code(pkg.bin)} | ${code(pkg.upstream)} |`,
    ),
    '',
    'Each package directory has a README listing its baked policy and defaults and host configs.',
    '',
    '## Publishing',
    '',
    '```sh',
    ...set.tarballs.map((tarball) => `npm publish tarballs/${tarball} --registry ${set.registry}`),
    '```',
    '',
    `The ${set.shared.map((entry) => code(entry.name)).join(', ')} tarballs are the upstream shared packages the`,
    'servers depend on, unchanged: publish them too when the registry does not proxy the public one.',
    '',
  ].join('\n');
}
