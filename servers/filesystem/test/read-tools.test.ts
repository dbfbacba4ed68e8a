import { symlink } from 'node:fs/promises';
import { createTempTree, type StdioSession, structuredOf, type TempTree, textOf } from '@bulwark/testkit';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFilesystem } from './helpers.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let tree: TempTree;
let outside: TempTree;
let session: StdioSession;

beforeAll(async () => {
  outside = await createTempTree({ 'secret.txt': 'outside secret\n' });
  const lines = Array.from({ length: 100 }, (_, index) => `line ${index + 1}`).join('\n');
  tree = await createTempTree({
    'lines.txt': `${lines}\n`,
    'no-newline.txt': 'a\nb\nc',
    'crlf.txt': 'one\r\ntwo\r\nthree\r\n',
    'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('héllo wörld\n', 'utf-16le')]),
    'latin1.txt': iconv.encode('Café crème brûlée, déjà vu, voilà, naïve façade\n', 'latin1'),
    'binary.bin': Buffer.from([0, 1, 2, 3, 0, 255]),
    'image.png': PNG,
    '.gitignore': 'ignored/\n*.log\n',
    ignored: { 'hidden.txt': 'x' },
    'debug.log': 'log',
    '.env': 'TOKEN=abc',
    src: {
      'a.ts': 'export const alpha = 1;\n// TODO: first\n',
      'b.ts': 'export const beta = 2;\n// todo: second\n',
      deep: { 'c.ts': 'const gamma = 3; // TODO third\n', 'd.md': '# doc\n' },
    },
    many: Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`f${String(index).padStart(2, '0')}.txt`, 'x'.repeat(index)]),
    ),
  });
  await symlink(tree.path('src/a.ts'), tree.path('link-inside.ts'));
  await symlink(outside.path('secret.txt'), tree.path('link-outside.txt'));
  session = await startFilesystem([tree.dir, '--max-read-bytes', '2048']);
});

afterAll(async () => {
  await session?.close();
  await tree?.remove();
  await outside?.remove();
});

describe('read_text_file', () => {
  it('reads a whole file with its hash, encoding and line count', async () => {
    const result = structuredOf<Record<string, unknown>>(
      await call(session, 'read_text_file', { path: 'no-newline.txt' }),
    );
    expect(result).toMatchObject({
      content: 'a\nb\nc',
      encoding: 'utf-8',
      total_lines: 3,
      truncated: false,
      start_line: 1,
      end_line: 3,
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('head returns the first N lines', async () => {
    const result = structuredOf<{ content: string; end_line: number }>(
      await call(session, 'read_text_file', { path: 'lines.txt', head: 3 }),
    );
    expect(result.content).toBe('line 1\nline 2\nline 3\n');
    expect(result.end_line).toBe(3);
  });

  it('tail returns exactly the last N lines of a file ending with a newline', async () => {
    const one = structuredOf<{ content: string }>(
      await call(session, 'read_text_file', { path: 'lines.txt', tail: 1 }),
    );
    expect(one.content).toBe('line 100\n');
    const two = structuredOf<{ content: string; start_line: number }>(
      await call(session, 'read_text_file', { path: 'no-newline.txt', tail: 2 }),
    );
    expect(two.content).toBe('b\nc');
    expect(two.start_line).toBe(2);
  });

  it('returns a 1-based inclusive line range', async () => {
    const result = structuredOf<{ content: string }>(
      await call(session, 'read_text_file', { path: 'lines.txt', start_line: 10, end_line: 12 }),
    );
    expect(result.content).toBe('line 10\nline 11\nline 12\n');
  });

  it('cuts at the byte budget on a line boundary and says where to continue', async () => {
    const big = structuredOf<{ content: string; truncated: boolean; next_start_line: number }>(
      await call(session, 'read_text_file', { path: 'many/../lines.txt' }),
    );
    expect(big.truncated).toBe(false);
    const file = await createTempTree({ 'big.txt': `${'x'.repeat(100)}\n`.repeat(100) });
    const other = await startFilesystem([file.dir, '--max-read-bytes', '1024']);
    try {
      const cut = structuredOf<{ content: string; truncated: boolean; next_start_line: number }>(
        await call(other, 'read_text_file', { path: 'big.txt' }),
      );
      expect(cut.truncated).toBe(true);
      expect(cut.content.endsWith('\n')).toBe(true);
      expect(Buffer.byteLength(cut.content)).toBeLessThanOrEqual(1024);
      expect(cut.next_start_line).toBe(cut.content.split('\n').length);
      const next = structuredOf<{ start_line: number }>(
        await call(other, 'read_text_file', { path: 'big.txt', start_line: cut.next_start_line }),
      );
      expect(next.start_line).toBe(cut.next_start_line);
    } finally {
      await other.close();
      await file.remove();
    }
  });

  it('keeps CRLF and reports the line ending', async () => {
    const result = structuredOf<{ content: string; line_ending: string }>(
      await call(session, 'read_text_file', { path: 'crlf.txt' }),
    );
    expect(result.content).toBe('one\r\ntwo\r\nthree\r\n');
    expect(result.line_ending).toBe('crlf');
  });

  it('detects UTF-16 by its BOM and legacy encodings by content', async () => {
    const utf16 = structuredOf<{ content: string; encoding: string }>(
      await call(session, 'read_text_file', { path: 'utf16.txt' }),
    );
    expect(utf16).toMatchObject({ content: 'héllo wörld\n', encoding: 'utf-16le' });
    const latin = structuredOf<{ content: string; encoding: string }>(
      await call(session, 'read_text_file', { path: 'latin1.txt' }),
    );
    expect(latin.content).toBe('Café crème brûlée, déjà vu, voilà, naïve façade\n');
    expect(latin.encoding).not.toBe('utf-8');
  });

  it('refuses binary files with a clear error', async () => {
    const result = await call(session, 'read_text_file', { path: 'binary.bin' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/binary file/);
  });

  it('refuses head together with tail', async () => {
    const result = await call(session, 'read_text_file', { path: 'lines.txt', head: 1, tail: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/only one of head, tail/);
  });

  it('follows a symlink that stays inside the root', async () => {
    const result = structuredOf<{ content: string }>(
      await call(session, 'read_text_file', { path: 'link-inside.ts' }),
    );
    expect(result.content).toContain('alpha');
  });

  it('refuses a symlink that points outside the root without naming the target', async () => {
    const result = await call(session, 'read_text_file', { path: 'link-outside.txt' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/outside the allowed directories/);
    expect(textOf(result)).not.toContain(outside.dir);
  });
});

describe('read_multiple_files and read_media_file', () => {
  it('reports per-file errors inline without failing the others', async () => {
    const result = structuredOf<{ files: { path: string; content?: string; error?: string }[] }>(
      await call(session, 'read_multiple_files', { paths: ['src/a.ts', 'missing.txt', '.env', 'src/b.ts'] }),
    );
    expect(result.files.map((file) => Boolean(file.error))).toEqual([false, true, true, false]);
    expect(result.files[1]?.error).toMatch(/does not exist/);
    expect(result.files[2]?.error).toMatch(/deny list/);
    expect(result.files[3]?.content).toContain('beta');
  });

  it('returns an image as image content with its MIME type', async () => {
    const result = await call(session, 'read_media_file', { path: 'image.png' });
    const image = (result.content as { type: string; data?: string; mimeType?: string }[]).find(
      (block) => block.type === 'image',
    );
    expect(image?.mimeType).toBe('image/png');
    expect(Buffer.from(image?.data ?? '', 'base64').equals(PNG)).toBe(true);
  });

  it('refuses a non-media file', async () => {
    const result = await call(session, 'read_media_file', { path: 'lines.txt' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not an image or audio file/);
  });
});

describe('get_file_info', () => {
  it('reports a file with ISO times and octal mode', async () => {
    const info = structuredOf<Record<string, unknown>>(
      await call(session, 'get_file_info', { path: 'src/a.ts' }),
    );
    expect(info).toMatchObject({ type: 'file', size: 39, link_count: 1 });
    expect(info.modified).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(info.mode).toMatch(/^0[0-7]{3,4}$/);
  });

  it('reports a symlink itself, naming a target only when it is inside the roots', async () => {
    const inside = structuredOf<Record<string, unknown>>(
      await call(session, 'get_file_info', { path: 'link-inside.ts' }),
    );
    expect(inside).toMatchObject({
      type: 'symlink',
      link_target: tree.path('src/a.ts'),
      link_target_type: 'file',
    });
    const out = structuredOf<Record<string, unknown>>(
      await call(session, 'get_file_info', { path: 'link-outside.txt' }),
    );
    expect(out.type).toBe('symlink');
    expect(out.link_target).toBeUndefined();
    expect(JSON.stringify(out)).not.toContain(outside.dir);
  });

  it('works on a root itself', async () => {
    const info = structuredOf<Record<string, unknown>>(
      await call(session, 'get_file_info', { path: tree.dir }),
    );
    expect(info).toMatchObject({ type: 'directory', path: tree.dir });
  });
});

describe('list_directory', () => {
  it("lists with types and sizes, hides secrets and .gitignore'd entries", async () => {
    const result = structuredOf<{ entries: { name: string; type: string; size?: number }[] }>(
      await call(session, 'list_directory', { path: '.' }),
    );
    const names = result.entries.map((entry) => entry.name);
    expect(names).toContain('src');
    expect(names).not.toContain('.env');
    expect(names).not.toContain('ignored');
    expect(names).not.toContain('debug.log');
    expect(result.entries.find((entry) => entry.name === 'link-outside.txt')).toMatchObject({
      type: 'symlink',
    });
    expect(result.entries.find((entry) => entry.name === 'link-outside.txt')?.size).toBeUndefined();
    const withIgnored = structuredOf<{ entries: { name: string }[] }>(
      await call(session, 'list_directory', { path: '.', include_ignored: true }),
    );
    expect(withIgnored.entries.map((entry) => entry.name)).toContain('ignored');
  });

  it('sorts by size descending and pages with a cursor', async () => {
    const first = structuredOf<{
      entries: { name: string; size: number }[];
      next_cursor: string;
      total_entries: number;
    }>(
      await call(session, 'list_directory', {
        path: 'many',
        sort_by: 'size',
        descending: true,
        max_entries: 20,
      }),
    );
    expect(first.total_entries).toBe(30);
    expect(first.entries[0]?.name).toBe('f29.txt');
    const second = structuredOf<{ entries: { name: string }[]; truncated: boolean }>(
      await call(session, 'list_directory', {
        path: 'many',
        sort_by: 'size',
        descending: true,
        max_entries: 20,
        cursor: first.next_cursor,
      }),
    );
    expect(second.entries).toHaveLength(10);
    expect(second.truncated).toBe(false);
    expect(second.entries.at(-1)?.name).toBe('f00.txt');
  });

  it('refuses a cursor from another listing', async () => {
    const first = structuredOf<{ next_cursor: string }>(
      await call(session, 'list_directory', { path: 'many', max_entries: 5 }),
    );
    const result = await call(session, 'list_directory', {
      path: 'src',
      max_entries: 5,
      cursor: first.next_cursor,
    });
    expect(result.isError).toBe(true);
  });
});

describe('directory_tree', () => {
  it('limits depth, counts what it did not expand, and honours excludes', async () => {
    const result = structuredOf<{
      entries: { path: string; depth: number }[];
      depth_limited: number;
      truncated: boolean;
    }>(await call(session, 'directory_tree', { path: '.', max_depth: 1, exclude: ['many'] }));
    expect(result.entries.every((entry) => entry.depth === 1)).toBe(true);
    expect(result.entries.map((entry) => entry.path)).not.toContain('many');
    expect(result.depth_limited).toBe(1);
    const deep = structuredOf<{ entries: { path: string }[] }>(
      await call(session, 'directory_tree', { path: 'src' }),
    );
    expect(deep.entries.map((entry) => entry.path)).toEqual([
      'deep',
      'deep/c.ts',
      'deep/d.md',
      'a.ts',
      'b.ts',
    ]);
  });

  it('stops at max_entries and says truncated', async () => {
    const result = structuredOf<{ entries: unknown[]; truncated: boolean }>(
      await call(session, 'directory_tree', { path: '.', max_entries: 7 }),
    );
    expect(result.entries).toHaveLength(7);
    expect(result.truncated).toBe(true);
  });
});

describe('search_files', () => {
  it('matches globs at any depth for bare patterns and skips ignored files', async () => {
    const result = structuredOf<{ matches: { path: string }[] }>(
      await call(session, 'search_files', { path: '.', pattern: '*.ts' }),
    );
    const paths = result.matches.map((match) => match.path).sort();
    expect(paths).toEqual(
      [
        tree.path('link-inside.ts'),
        tree.path('src/a.ts'),
        tree.path('src/b.ts'),
        tree.path('src/deep/c.ts'),
      ].sort(),
    );
    const logs = structuredOf<{ matches: unknown[] }>(
      await call(session, 'search_files', { path: '.', pattern: '*.log' }),
    );
    expect(logs.matches).toHaveLength(0);
    const withIgnored = structuredOf<{ matches: unknown[] }>(
      await call(session, 'search_files', { path: '.', pattern: '*.log', include_ignored: true }),
    );
    expect(withIgnored.matches).toHaveLength(1);
  });

  it('pages through all matches with next_cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structuredOf<{ matches: { path: string }[]; next_cursor?: string }>(
        await call(session, 'search_files', {
          path: 'many',
          pattern: '*.txt',
          max_results: 7,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const match of page.matches) seen.add(match.path);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBe(30);
    expect(pages).toBe(5);
  });

  it('refuses patterns that climb out of the directory', async () => {
    const result = await call(session, 'search_files', { path: 'src', pattern: '../../**/*' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/must not contain/);
  });

  it('never returns secrets', async () => {
    const result = structuredOf<{ matches: { path: string }[] }>(
      await call(session, 'search_files', { path: '.', pattern: '.env*', include_ignored: true }),
    );
    expect(result.matches).toHaveLength(0);
  });
});

describe('search_content', () => {
  it('finds a regular expression with line numbers and context, not following symlinks (like grep -r)', async () => {
    const result = structuredOf<{
      matches: { path: string; line: number; text: string; before?: string[] }[];
    }>(await call(session, 'search_content', { path: '.', query: 'TODO', context_lines: 1 }));
    const found = result.matches
      .map((match) => `${match.path.slice(tree.dir.length + 1)}:${match.line}`)
      .sort();
    expect(found).toEqual(['src/a.ts:2', 'src/deep/c.ts:1']);
    expect(result.matches.find((match) => match.path.endsWith('src/a.ts'))?.before).toEqual([
      'export const alpha = 1;',
    ]);
  });

  it('searches case-insensitively and literally on request', async () => {
    const result = structuredOf<{ matches: unknown[] }>(
      await call(session, 'search_content', {
        path: 'src',
        query: 'todo:',
        case_sensitive: false,
        literal: true,
      }),
    );
    expect(result.matches).toHaveLength(2);
    const literal = structuredOf<{ matches: unknown[] }>(
      await call(session, 'search_content', { path: 'src', query: '= 1;', literal: true }),
    );
    expect(literal.matches).toHaveLength(1);
  });

  it('pages with a cursor and skips binary files', async () => {
    const first = structuredOf<{ matches: unknown[]; next_cursor: string; files_skipped: number }>(
      await call(session, 'search_content', { path: '.', query: 'line \\d+', max_matches: 60 }),
    );
    expect(first.matches).toHaveLength(60);
    const rest = structuredOf<{ matches: unknown[]; truncated: boolean }>(
      await call(session, 'search_content', {
        path: '.',
        query: 'line \\d+',
        max_matches: 60,
        cursor: first.next_cursor,
      }),
    );
    expect(rest.matches).toHaveLength(40);
    expect(rest.truncated).toBe(false);
  });

  it('limits:regex-time — stops a catastrophically backtracking pattern and keeps serving', async () => {
    const evil = await createTempTree({ 'evil.txt': `${'a'.repeat(40)}!\n` });
    const other = await startFilesystem([evil.dir]);
    try {
      const result = await call(other, 'search_content', { path: '.', query: '^(a+)+$' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/catastrophic backtracking/);
      expect((await call(other, 'list_allowed_directories')).isError).toBeFalsy();
    } finally {
      await other.close();
      await evil.remove();
    }
  });

  it('rejects an invalid regular expression clearly', async () => {
    const result = await call(session, 'search_content', { path: '.', query: '(unclosed' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not a valid regular expression/);
  });
});

describe('list_allowed_directories and the file resource template', () => {
  it('names the root', async () => {
    const result = structuredOf<{ directories: { path: string; read_only: boolean }[] }>(
      await call(session, 'list_allowed_directories'),
    );
    expect(result.directories).toEqual([{ path: tree.dir, read_only: false }]);
  });

  it('reads a file through file:// and refuses one outside', async () => {
    const read = await session.client.readResource({ uri: `file://${tree.path('src/b.ts')}` });
    expect(read.contents[0]).toMatchObject({ text: 'export const beta = 2;\n// todo: second\n' });
    await expect(
      session.client.readResource({ uri: `file://${outside.path('secret.txt')}` }),
    ).rejects.toThrow();
  });
});
