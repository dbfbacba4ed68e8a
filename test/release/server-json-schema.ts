// The rules of the MCP Registry's server.json format, written as a zod schema so the tests can check
// each servers/<name>/server.json without the network (the published JSON Schema cannot be fetched
// at test time and is not copied into this repository).
//
// Source: the server.json format of 2025-12-11, the current released version, published as
//   https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json
// and maintained in github.com/modelcontextprotocol/registry under docs/reference/server-json/
// (server.schema.json, CHANGELOG.md, official-registry-requirements.md). The schema is draft-07;
// the rules below follow it field by field. Rules marked "registry:" come from the official
// registry's publish-time validation and documentation rather than the JSON Schema; rules marked
// "Bulwark:" are stricter choices of ours (unknown keys are refused so that a misspelt field name,
// which the JSON Schema would silently ignore, fails here).
import * as z from 'zod';

/** The `$schema` URL every server.json here declares: the server.json format of 2025-12-11. */
export const SERVER_JSON_SCHEMA_URL =
  'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** The only npm registry the official MCP Registry accepts (registry: restricted base URLs). */
export const NPM_REGISTRY_URL = 'https://registry.npmjs.org';

/**
 * True when `version` is a range or a moving tag rather than one version; the format rejects
 * `^1.2.3`, `~1.2.3`, `>=1.2.3`, `1.x`, `1.*` and `latest` for the server and its packages.
 *
 * @param version - a version string
 * @returns whether it names more than one version
 */
export function isVersionRange(version: string): boolean {
  return (
    version === 'latest' ||
    /^[\^~<>=*]/.test(version) ||
    /\s-\s|\|\|/.test(version) ||
    version.split('.').some((part) => /^[xX*]$/.test(part))
  );
}

// Input: a value a client collects from the user (format: how to read it; isSecret: store it as
// a secret; value: fixed, not user-configurable; choices: the only values allowed).
const inputShape = {
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  value: z.string().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
};

const Input = z.strictObject(inputShape);

// InputWithVariables: `{name}` in `value` is replaced from `variables`.
const withVariables = { ...inputShape, variables: z.record(z.string(), Input).optional() };

const PositionalArgument = z.strictObject({
  ...withVariables,
  type: z.literal('positional'),
  // Names the argument for clients; not part of the command line.
  valueHint: z.string().optional(),
  isRepeated: z.boolean().optional(),
});

const NamedArgument = z.strictObject({
  ...withVariables,
  type: z.literal('named'),
  // The flag, leading dashes included (`--port`).
  name: z.string(),
  isRepeated: z.boolean().optional(),
});

const Argument = z
  .discriminatedUnion('type', [PositionalArgument, NamedArgument])
  .superRefine((argument, ctx) => {
    // A positional argument needs a valueHint or a fixed value (anyOf required valueHint / value).
    if (argument.type === 'positional' && argument.valueHint === undefined && argument.value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a positional argument needs valueHint or value' });
    }
  });

// KeyValueInput: an environment variable or an HTTP header.
const KeyValueInput = z.strictObject({ ...withVariables, name: z.string() });

const StdioTransport = z.strictObject({ type: z.literal('stdio') });

const StreamableHttpTransport = z.strictObject({
  type: z.literal('streamable-http'),
  // A URL template: http(s) URL whose {placeholders} name arguments or variables.
  url: z.string().regex(/^https?:\/\/\S+$/),
  headers: z.array(KeyValueInput).optional(),
});

const SseTransport = z.strictObject({
  type: z.literal('sse'),
  url: z.url(),
  headers: z.array(KeyValueInput).optional(),
});

const Package = z
  .strictObject({
    // npm, pypi, oci, nuget or mcpb: how a client downloads the package.
    registryType: z.string().min(1),
    registryBaseUrl: z.url().optional(),
    // The package name for npm/pypi/nuget, the image reference for oci, the download URL for mcpb.
    identifier: z.string().min(1),
    version: z
      .string()
      .min(1)
      .refine((version) => !isVersionRange(version), 'must be one version, not a range or "latest"')
      .optional(),
    fileSha256: z
      .string()
      .regex(/^[a-f0-9]{64}$/)
      .optional(),
    // How a client runs the package: npx, uvx, docker, dnx.
    runtimeHint: z.string().optional(),
    transport: z.union([StdioTransport, StreamableHttpTransport, SseTransport]),
    runtimeArguments: z.array(Argument).optional(),
    packageArguments: z.array(Argument).optional(),
    environmentVariables: z.array(KeyValueInput).optional(),
  })
  .superRefine((pkg, ctx) => {
    // 2025-10-11: version is optional only for oci (in the identifier) and mcpb (in the URL).
    if (['npm', 'pypi', 'nuget'].includes(pkg.registryType) && pkg.version === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: `${pkg.registryType} packages need a version`,
      });
    }
    // mcpb packages are verified by hash.
    if (pkg.registryType === 'mcpb' && pkg.fileSha256 === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fileSha256'], message: 'mcpb packages need fileSha256' });
    }
    // runtimeHint should accompany runtimeArguments.
    if (pkg.runtimeArguments !== undefined && pkg.runtimeHint === undefined) {
      ctx.addIssue({ code: 'custom', path: ['runtimeHint'], message: 'runtimeArguments need a runtimeHint' });
    }
    // registry: npm packages only from the public npm registry.
    if (
      pkg.registryType === 'npm' &&
      pkg.registryBaseUrl !== undefined &&
      pkg.registryBaseUrl !== NPM_REGISTRY_URL
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['registryBaseUrl'],
        message: `npm packages must come from ${NPM_REGISTRY_URL}`,
      });
    }
    // Bulwark: a default must be one of the choices.
    for (const [index, variable] of (pkg.environmentVariables ?? []).entries()) {
      if (
        variable.choices &&
        variable.default !== undefined &&
        !variable.choices.includes(variable.default)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['environmentVariables', index, 'default'],
          message: 'default is not one of choices',
        });
      }
    }
  });

const Repository = z.strictObject({
  // Browsable and clonable.
  url: z.url(),
  // The forge: github, gitlab, ...
  source: z.string().min(1),
  // The forge's stable id of the repository.
  id: z.string().optional(),
  // Where the server lives in a monorepo: a clean relative path.
  subfolder: z
    .string()
    .refine(
      (subfolder) =>
        subfolder !== '' &&
        !subfolder.startsWith('/') &&
        !subfolder.endsWith('/') &&
        !subfolder.includes('\\') &&
        subfolder.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
      'must be a clean relative path',
    )
    .optional(),
});

const Icon = z.strictObject({
  src: z.url().max(255).startsWith('https://'),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/jpg', 'image/svg+xml', 'image/webp']).optional(),
  sizes: z.array(z.string().regex(/^(\d+x\d+|any)$/)).optional(),
  theme: z.enum(['light', 'dark']).optional(),
});

const RemoteTransport = z.union([
  StreamableHttpTransport.extend({ variables: z.record(z.string(), Input).optional() }),
  SseTransport.extend({ variables: z.record(z.string(), Input).optional() }),
]);

/** A server.json as the MCP Registry's format (2025-12-11) defines it; see the file header. */
export const ServerJsonSchema = z.strictObject({
  $schema: z.url().optional(),
  // Reverse-DNS namespace, one slash, server name: io.github.<owner>/<name>.
  name: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  version: z
    .string()
    .max(255)
    .refine((version) => !isVersionRange(version), 'must be one version, not a range'),
  repository: Repository.optional(),
  websiteUrl: z.url().optional(),
  icons: z.array(Icon).optional(),
  packages: z.array(Package).optional(),
  remotes: z.array(RemoteTransport).optional(),
  // registry: only io.modelcontextprotocol.registry/publisher-provided is kept.
  _meta: z.record(z.string(), z.unknown()).optional(),
});

/** A parsed server.json. */
export type ServerJson = z.infer<typeof ServerJsonSchema>;
