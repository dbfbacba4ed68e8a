import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import type { FsDeps } from './deps.js';
import { readVerifiedFile } from './fs/read-file.js';
import { decodeText, looksBinary } from './fs/text.js';
import { mime } from './lazy.js';

/**
 * Registers the `file://{+path}` resource template: any file inside the roots can be read as a
 * resource (text as `text`, anything else as a base64 `blob`), through the same sandbox and the
 * same size limit as the tools.
 *
 * @param server - the server instance
 * @param deps - this connection's dependencies
 */
export function registerFileResources(server: McpServer, deps: FsDeps): void {
  server.registerResource(
    'file',
    new ResourceTemplate('file://{+path}', { list: undefined }),
    {
      title: 'File',
      description:
        'A file inside the allowed directories, by absolute path (file:///home/me/project/README.md).',
    },
    async (uri) => {
      const file = await readVerifiedFile(deps.sandbox, uri.href, deps.config.budgets.maxFileBytes);
      const mimeType = (await mime()).getType(file.resolved.real) ?? 'application/octet-stream';
      if (!looksBinary(file.bytes)) {
        const { text } = decodeText(file.bytes, uri.href);
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: mimeType === 'application/octet-stream' ? 'text/plain' : mimeType,
              text,
            },
          ],
        };
      }
      return { contents: [{ uri: uri.href, mimeType, blob: file.bytes.toString('base64') }] };
    },
  );
}
