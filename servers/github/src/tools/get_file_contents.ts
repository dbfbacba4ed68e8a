import { decodePageCursor, encodePageCursor, truncateUtf8, wrapUntrusted } from '@bulwark/hardening';
import * as z from 'zod';
import type { GhContext } from '../deps.js';
import { api, cursorArg, encodeRepoPath, line, moreLine, READ, refArg, repoArg } from './common.js';
import { defineGitHubTool } from './define.js';

/** Bytes of file text in one page. */
export const FILE_PAGE_BYTES = 100 * 1024;
/** Directory entries in one page. */
export const DIRECTORY_PAGE = 200;

type Entry = { name: string; type: string; size: number };

/** Reads a file (paged by bytes) or lists a directory. */
export const getFileContents = defineGitHubTool({
  name: 'get_file_contents',
  title: 'Get file or directory',
  toolset: 'repos',
  scopes: [],
  description: `A file's text (${FILE_PAGE_BYTES / 1024} KiB per page, untrusted envelope; binary: size only) or a directory's entries (${DIRECTORY_PAGE} per page).`,
  input: z.object({
    repo: repoArg,
    path: z.string().max(1024).default('').describe('File or directory; empty for the root'),
    ref: refArg('Branch, tag or SHA (default branch if omitted)'),
    cursor: cursorArg,
  }),
  output: z.object({
    type: z.enum(['file', 'dir', 'submodule', 'symlink']),
    size: z.number().optional(),
    binary: z.boolean().optional(),
    text: z.string().optional(),
    items: z.array(z.object({ name: z.string(), type: z.string(), size: z.number() })).optional(),
    next_cursor: z.string().optional(),
    truncated: z.boolean(),
  }),
  annotations: READ,
  async handler(args, ctx: GhContext) {
    const ref = ctx.deps.allowlist.check(args.repo);
    const { cursor, ...query } = args;
    const offset = decodePageCursor('get_file_contents', cursor, query);
    const { gh, request } = await api(ctx);
    const { data } = await gh.request(`GET /repos/{owner}/{repo}/contents/${encodeRepoPath(args.path)}`, {
      owner: ref.owner,
      repo: ref.repo,
      ...(args.ref ? { ref: args.ref } : {}),
      mediaType: { format: 'raw' },
      request,
    });
    ctx.deps.session.noteRead(ref.owner, ref.repo);
    const next = (more: boolean, at: number) =>
      more
        ? { next_cursor: encodePageCursor('get_file_contents', query, at), truncated: true }
        : { truncated: false };
    if (Array.isArray(data)) {
      const all = (data as Entry[]).map((entry) => ({
        name: line(entry.name),
        type: entry.type,
        size: entry.size,
      }));
      const items = all.slice(offset, offset + DIRECTORY_PAGE);
      const structured = {
        type: 'dir' as const,
        items,
        ...next(offset + items.length < all.length, offset + items.length),
      };
      const lines = items.map(
        (entry) =>
          `${entry.type === 'dir' ? 'dir ' : entry.type.padEnd(4)} ${entry.name}${entry.type === 'file' ? ` (${entry.size} B)` : ''}`,
      );
      return {
        structured,
        text: [...(lines.length ? lines : ['(empty)']), ...moreLine(structured)].join('\n'),
      };
    }
    if (typeof data === 'object' && data !== null && !(data instanceof ArrayBuffer)) {
      // A submodule or a symlink that points outside the repository: GitHub answers with JSON.
      const object = data as {
        type?: string;
        size?: number;
        target?: string;
        submodule_git_url?: string;
        content?: string;
      };
      if (object.type === 'file' && typeof object.content === 'string') {
        return fileResult(Buffer.from(object.content, 'base64'), offset, args, next);
      }
      const type = object.type === 'symlink' ? ('symlink' as const) : ('submodule' as const);
      const where = line(object.target ?? object.submodule_git_url ?? '');
      return { structured: { type, truncated: false }, text: `${type}${where ? ` -> ${where}` : ''}` };
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data as ArrayBuffer);
    return fileResult(bytes, offset, args, next);
  },
});

function fileResult(
  bytes: Buffer,
  offset: number,
  args: { repo: string; path: string; ref?: string | undefined },
  next: (more: boolean, at: number) => { next_cursor?: string; truncated: boolean },
) {
  if (bytes.subarray(0, 8000).includes(0)) {
    return {
      structured: { type: 'file' as const, size: bytes.length, binary: true, truncated: false },
      text: `binary file, ${bytes.length} bytes`,
    };
  }
  const page = truncateUtf8(bytes.subarray(offset).toString('utf8'), FILE_PAGE_BYTES);
  const text = wrapUntrusted(page.text, {
    source: `${args.repo}/${args.path}${args.ref ? `@${args.ref}` : ''}`,
  });
  const structured = {
    type: 'file' as const,
    size: bytes.length,
    text,
    ...next(page.truncated, offset + page.bytes),
  };
  return { structured, text: [text, ...moreLine(structured)].join('\n') };
}
