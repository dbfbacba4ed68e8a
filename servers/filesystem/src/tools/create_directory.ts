import { ADDITIVE } from '@bulwark/hardening';
import { defineTool } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { createDirectories } from '../fs/create-directories.js';
import { pathArg } from './schemas.js';

/** Creates a directory and its missing parents; succeeds when it already exists. */
export const createDirectory = defineTool({
  name: 'create_directory',
  title: 'Create directory',
  description:
    'Creates a directory together with any missing parent directories (like mkdir -p). Succeeds without change when the directory already exists (created is then false); fails when the path or a parent is a file. Each new directory is checked against the allowed directories as it is created, so a symbolic link leading outside them is refused.',
  input: z.object({
    path: pathArg('Directory path, absolute or relative to the first allowed directory'),
  }),
  output: z.object({
    path: z.string().describe('Canonical path of the directory'),
    created: z.boolean().describe('True when a directory was created; false when it already existed'),
  }),
  annotations: ADDITIVE,
  async handler(args, { deps }: FsContext) {
    const resolved = await deps.sandbox.resolve(args.path, 'write');
    const created = await createDirectories(deps.sandbox, resolved.real, args.path);
    const text = created ? `Created directory "${args.path}".` : `Directory "${args.path}" already exists.`;
    return { structured: { path: resolved.real, created }, text };
  },
});
