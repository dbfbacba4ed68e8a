import { READ_ONLY } from '@bulwark/hardening';
import { defineTool, ToolError } from '@bulwark/runtime';
import * as z from 'zod';
import type { FsContext } from '../deps.js';
import { mime } from '../lazy.js';
import { pathArg } from './schemas.js';

/** Reads an image or audio file as MCP image/audio content. */
export const readMediaFile = defineTool({
  name: 'read_media_file',
  title: 'Read media file',
  description:
    'Reads an image or audio file and returns it as MCP image or audio content (base64) with its MIME type, judged by the file extension. Files over the media size limit are refused; other binary files are refused too.',
  input: z.object({
    path: pathArg('Image or audio file path'),
  }),
  output: z.object({
    path: z.string(),
    mime_type: z.string(),
    kind: z.enum(['image', 'audio']),
    size: z.number().describe('Bytes'),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps }: FsContext) {
    const mimeType = (await mime()).getType(args.path) ?? 'application/octet-stream';
    const kind: 'image' | 'audio' | undefined = mimeType.startsWith('image/')
      ? 'image'
      : mimeType.startsWith('audio/')
        ? 'audio'
        : undefined;
    if (!kind) {
      throw new ToolError(
        `"${args.path}" is not an image or audio file (${mimeType}); use read_text_file for text.`,
      );
    }
    const resolved = await deps.sandbox.resolve(args.path, 'read');
    const { handle, stats } = await deps.sandbox.open(resolved, 'file');
    try {
      const limit = deps.config.budgets.mediaBytes;
      if (stats.size > limit) {
        throw new ToolError(`"${args.path}" is ${stats.size} bytes, over the ${limit}-byte media limit.`);
      }
      const data = (await handle.readFile()).toString('base64');
      return {
        structured: { path: resolved.real, mime_type: mimeType, kind, size: stats.size },
        text: `${kind} ${mimeType}, ${stats.size} bytes: ${resolved.real}`,
        content: [{ type: kind, data, mimeType }],
      };
    } finally {
      await handle.close();
    }
  },
});
