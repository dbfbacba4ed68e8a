import type { Sandbox } from '@bulwark/hardening';
import type { ToolContext } from '@bulwark/runtime';
import type { FilesystemConfig } from './config.js';
import type { GitignoreCache } from './fs/gitignore.js';

/** What every filesystem tool handler receives: one per client connection. */
export interface FsDeps {
  /** Operator roots narrowed by this client's roots. */
  sandbox: Sandbox;
  config: FilesystemConfig;
  /** Parsed .gitignore files, shared by the walks of this connection. */
  gitignore: GitignoreCache;
}

/** The context type every filesystem tool handler annotates its second parameter with. */
export type FsContext = ToolContext<FsDeps>;
