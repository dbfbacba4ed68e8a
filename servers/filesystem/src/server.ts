import { createDenyList, resolveOperatorRoots, Sandbox } from '@bulwark/hardening';
import { type Logger, type ServerSpec, ToolError } from '@bulwark/runtime';
import type { FilesystemConfig } from './config.js';
import type { FsDeps } from './deps.js';
import { GitignoreCache } from './fs/gitignore.js';
import { registerFileResources } from './resources.js';
import { READ_TOOLS, WRITE_TOOLS } from './tools/index.js';
import { VERSION } from './version.js';

export type { FilesystemConfig } from './config.js';
export { loadConfig } from './config.js';
export type { FsDeps } from './deps.js';

/**
 * Builds the filesystem server: resolves the operator roots, builds the deny list and picks the
 * tools (no write tools when `--read-only`).
 *
 * @param config - from {@link loadConfig}
 * @param logger - stderr logger
 * @returns the server spec for `createServerFactory`
 * @throws ToolError when none of the operator's directories can be used
 */
export async function createFilesystemServer(
  config: FilesystemConfig,
  logger: Logger,
): Promise<ServerSpec<FsDeps>> {
  const { roots, rejected } = await resolveOperatorRoots(config.roots);
  for (const { path, reason } of rejected) logger.warning(`skipping root "${path}": ${reason}`);
  if (roots.length === 0) throw new ToolError('None of the given directories exists or is accessible.');
  const denyList = createDenyList({
    useDefaults: !config.noDefaultDeny,
    deny: config.deny,
    allow: config.allow,
  });
  const policy = {
    roots,
    denyList,
    hardLinks: config.allowHardLinks ? 'allow' : 'deny',
    readOnly: config.readOnly,
  } as const;
  logger.info(
    `serving ${roots.map((root) => `${root.path}${root.readOnly || config.readOnly ? ' (read-only)' : ''}`).join(', ')}`,
  );
  return {
    name: 'bulwark-filesystem',
    title: 'Bulwark filesystem',
    version: VERSION,
    instructions: instructions(config),
    tools: config.readOnly ? READ_TOOLS : [...READ_TOOLS, ...WRITE_TOOLS],
    createDeps: () => ({ sandbox: new Sandbox(policy), config, gitignore: new GitignoreCache() }),
    onClientRoots: async (deps, uris) => {
      await deps.sandbox.applyClientRoots(uris);
    },
    register: registerFileResources,
    capabilities: { resources: {} },
    logger,
  };
}

function instructions(config: FilesystemConfig): string {
  return [
    'Files under a fixed set of directories (list_allowed_directories names them). Paths may be absolute or relative to the first directory.',
    "Secrets (.env, .ssh/, *.pem, private keys) are refused. Listings and searches skip .gitignore'd entries unless include_ignored is true.",
    `Reads return at most ${config.budgets.readBytes} bytes; results cut by a budget say truncated and give next_cursor or next_start_line.`,
    config.readOnly
      ? 'The server is read-only.'
      : 'Writes are atomic. Pass the sha256 from a read as expected_sha256 to edit_file or write_file to refuse a stale change.',
  ].join(' ');
}
