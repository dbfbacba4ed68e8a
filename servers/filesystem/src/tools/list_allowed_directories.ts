import { READ_ONLY } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';

/** Lists the directories this connection may access, with their access mode. */
export const listAllowedDirectories = defineTool({
  name: 'list_allowed_directories',
  title: 'List allowed directories',
  description:
    "Lists the directories the server may access (the operator's directories, narrowed by the client's roots) and whether each is read-only. Every other tool accepts only paths inside these.",
  input: z.object({}),
  output: z.object({
    directories: z
      .array(z.object({ path: z.string(), read_only: z.boolean() }))
      .describe('Canonical absolute directories'),
  }),
  annotations: READ_ONLY,
  async handler(_args, { deps }: FsContext) {
    const directories = deps.sandbox.roots.map((root) => ({
      path: root.path,
      read_only: root.readOnly || deps.config.readOnly,
    }));
    const text =
      directories.length === 0
        ? 'No directory is accessible.'
        : `Allowed directories:\n${directories.map((d) => `${d.path}${d.read_only ? ' (read-only)' : ''}`).join('\n')}`;
    return { structured: { directories }, text };
  },
});
