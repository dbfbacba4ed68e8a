import { createHash } from 'node:crypto';
import { chmod, link, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import {
  createTempTree,
  type StdioSession,
  structuredOf,
  type TempTree,
  textOf,
  writeTree,
} from '@bulwark/testkit';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, leftoverTempFiles, snapshotTree, startFilesystem, useSharedServer } from './helpers.js';

const ctx = useSharedServer();
const { rel, abs } = ctx;

const WRITE_TOOL_NAMES = [
  'write_file',
  'edit_file',
  'append_file',
  'create_directory',
  'copy_file',
  'move_file',
  'delete_path',
];

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LATIN1_TEXT = 'Café crème brûlée, déjà vu, voilà, naïve façade\n';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const exists = (absolute: string) =>
  lstat(absolute).then(
    () => true,
    () => false,
  );
const modeOf = async (absolute: string) => (await stat(absolute)).mode & 0o777;

/** Asserts an isError result whose text matches and never names the outside tree. */
const refused = (result: { isError?: boolean; content?: unknown }, pattern: RegExp) => {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(pattern);
  expect(textOf(result)).not.toContain(ctx.outside.dir);
};

interface WriteResult {
  path: string;
  created: boolean;
  applied: boolean;
  bytes_written: number;
  sha256: string;
  diff: string;
  diff_truncated: boolean;
}

describe('write_file', () => {
  it('creates a new file exactly as given, as UTF-8', async () => {
    const content = 'héllo\r\nwörld\n';
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', { path: rel('new.txt'), content }),
    );
    expect(result).toMatchObject({
      path: abs('new.txt'),
      created: true,
      applied: true,
      bytes_written: Buffer.byteLength(content),
      sha256: sha256(content),
      diff_truncated: false,
    });
    expect(await readFile(abs('new.txt'), 'utf8')).toBe(content);
  });

  it('takes content larger than the SDK stdio default buffer (10 MiB) in one message', async () => {
    const content = `${'0123456789abcdef'.repeat(768 * 1024)}\n`; // 12 MiB and a newline
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', { path: rel('large.txt'), content }),
    );
    expect(result).toMatchObject({ created: true, bytes_written: content.length, sha256: sha256(content) });
    expect((await stat(abs('large.txt'))).size).toBe(content.length);
  });

  it('overwrites an existing file keeping its permission bits', async () => {
    await writeTree(abs(), { 'mode.txt': 'old\n' });
    await chmod(abs('mode.txt'), 0o640);
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', { path: rel('mode.txt'), content: 'new\n' }),
    );
    expect(result).toMatchObject({ created: false, applied: true, bytes_written: 4 });
    expect(await readFile(abs('mode.txt'), 'utf8')).toBe('new\n');
    expect(await modeOf(abs('mode.txt'))).toBe(0o640);
  });

  it('keeps the byte order mark and CRLF line endings of an existing file', async () => {
    await writeTree(abs(), { 'bom.txt': Buffer.concat([UTF8_BOM, Buffer.from('one\r\ntwo\r\n')]) });
    await call(ctx.session, 'write_file', { path: rel('bom.txt'), content: 'uno\ndos\ntres\n' });
    const bytes = await readFile(abs('bom.txt'));
    expect(bytes.equals(Buffer.concat([UTF8_BOM, Buffer.from('uno\r\ndos\r\ntres\r\n')]))).toBe(true);
  });

  it('converts CRLF in content to the LF of an existing LF file', async () => {
    await writeTree(abs(), { 'lf.txt': 'a\nb\n' });
    await call(ctx.session, 'write_file', { path: rel('lf.txt'), content: 'x\r\ny\r\n' });
    expect(await readFile(abs('lf.txt'), 'utf8')).toBe('x\ny\n');
  });

  it('keeps the legacy encoding of an existing latin1 file', async () => {
    await writeTree(abs(), { 'latin1.txt': iconv.encode(LATIN1_TEXT, 'latin1') });
    const replacement = 'Déjà vu à la crème brûlée, façade naïve, garçon\n';
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', { path: rel('latin1.txt'), content: replacement }),
    );
    const bytes = await readFile(abs('latin1.txt'));
    expect(bytes.equals(iconv.encode(replacement, 'latin1'))).toBe(true);
    expect(result.bytes_written).toBe(replacement.length);
    expect(result.sha256).toBe(sha256(bytes));
  });

  it('refuses text the legacy encoding cannot represent and leaves the file unchanged', async () => {
    const original = iconv.encode(LATIN1_TEXT, 'latin1');
    await writeTree(abs(), { 'latin1.txt': original });
    refused(
      await call(ctx.session, 'write_file', { path: rel('latin1.txt'), content: 'Café 日本語\n' }),
      /cannot represent/,
    );
    expect((await readFile(abs('latin1.txt'))).equals(original)).toBe(true);
  });

  it('writes with a current expected_sha256 from a read and refuses a stale one, leaving the file unchanged', async () => {
    await writeTree(abs(), { 'doc.txt': 'version 1\n' });
    const read = structuredOf<{ sha256: string }>(
      await call(ctx.session, 'read_text_file', { path: rel('doc.txt') }),
    );
    expect(read.sha256).toBe(sha256('version 1\n'));
    const written = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', {
        path: rel('doc.txt'),
        content: 'version 2\n',
        expected_sha256: read.sha256,
      }),
    );
    expect(written.sha256).toBe(sha256('version 2\n'));
    // Someone else changes the file; a write based on the first read must not clobber it.
    await writeFile(abs('doc.txt'), 'changed elsewhere\n');
    refused(
      await call(ctx.session, 'write_file', {
        path: rel('doc.txt'),
        content: 'version 3\n',
        expected_sha256: read.sha256,
      }),
      /changed since it was read/,
    );
    expect(await readFile(abs('doc.txt'), 'utf8')).toBe('changed elsewhere\n');
  });

  it('refuses expected_sha256 for a file that does not exist, creating nothing', async () => {
    refused(
      await call(ctx.session, 'write_file', {
        path: rel('gone.txt'),
        content: 'x',
        expected_sha256: sha256('x'),
      }),
      /no longer exists/,
    );
    expect(await exists(abs('gone.txt'))).toBe(false);
  });

  it('creates missing parent directories with create_parents', async () => {
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', {
        path: rel('a/b/c.txt'),
        content: 'deep\n',
        create_parents: true,
      }),
    );
    expect(result.path).toBe(abs('a/b/c.txt'));
    expect((await stat(abs('a/b'))).isDirectory()).toBe(true);
    expect(await readFile(abs('a/b/c.txt'), 'utf8')).toBe('deep\n');
  });

  it('is an error when the parent is missing and create_parents is not set', async () => {
    refused(
      await call(ctx.session, 'write_file', { path: rel('missing/c.txt'), content: 'x' }),
      /parent directory .* does not exist; pass create_parents: true/,
    );
    expect(await exists(abs('missing'))).toBe(false);
  });

  it('dry_run returns the diff and writes nothing', async () => {
    await writeTree(abs(), { 'doc.txt': 'line one\n' });
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', {
        path: rel('doc.txt'),
        content: 'line one\nnew line\n',
        dry_run: true,
      }),
    );
    expect(result).toMatchObject({ created: false, applied: false, sha256: sha256('line one\nnew line\n') });
    expect(result.diff).toContain('+new line');
    expect(await readFile(abs('doc.txt'), 'utf8')).toBe('line one\n');
    const fresh = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', {
        path: rel('sub/new.txt'),
        content: 'x\n',
        create_parents: true,
        dry_run: true,
      }),
    );
    expect(fresh).toMatchObject({ created: true, applied: false });
    expect(await exists(abs('sub'))).toBe(false);
  });

  it('returns a unified diff of the change, also in the text', async () => {
    await writeTree(abs(), { 'doc.txt': 'keep 1\nkeep 2\nold line\nkeep 3\n' });
    const raw = await call(ctx.session, 'write_file', {
      path: rel('doc.txt'),
      content: 'keep 1\nkeep 2\nnew line\nkeep 3\n',
    });
    const { diff } = structuredOf<WriteResult>(raw);
    expect(diff).toContain(`--- ${rel('doc.txt')}`);
    expect(diff).toContain(`+++ ${rel('doc.txt')}`);
    expect(diff).toMatch(/^@@ -1,4 \+1,4 @@$/m);
    expect(diff).toContain('\n-old line\n');
    expect(diff).toContain('\n+new line\n');
    expect(diff).toContain('\n keep 2\n');
    expect(textOf(raw)).toContain('```diff\n');
  });

  it('writes through a symlink inside the root to its target, keeping the link', async () => {
    await writeTree(abs(), { 'target.txt': 'old\n' });
    await symlink(abs('target.txt'), abs('link.txt'));
    const result = structuredOf<WriteResult>(
      await call(ctx.session, 'write_file', { path: rel('link.txt'), content: 'new\n' }),
    );
    expect(result.path).toBe(abs('target.txt'));
    expect(await readFile(abs('target.txt'), 'utf8')).toBe('new\n');
    expect((await lstat(abs('link.txt'))).isSymbolicLink()).toBe(true);
  });

  it('refuses to write through a symlink that leads outside the root', async () => {
    await symlink(ctx.outside.path('secret.txt'), abs('out-link'));
    refused(
      await call(ctx.session, 'write_file', { path: rel('out-link'), content: 'planted' }),
      /outside the allowed/,
    );
    expect(await readFile(ctx.outside.path('secret.txt'), 'utf8')).toBe('outside secret\n');
  });

  it('refuses a directory as the target', async () => {
    await mkdir(abs('dir'));
    expect((await call(ctx.session, 'write_file', { path: rel('dir'), content: 'x' })).isError).toBe(true);
    expect((await stat(abs('dir'))).isDirectory()).toBe(true);
  });

  it('leaves no temporary files behind after writes', async () => {
    await writeTree(abs(), { 'a.txt': 'a\n', 'crlf.txt': 'x\r\n' });
    await call(ctx.session, 'write_file', { path: rel('a.txt'), content: 'A\n' });
    await call(ctx.session, 'write_file', { path: rel('b.txt'), content: 'B\n' });
    await call(ctx.session, 'write_file', { path: rel('d/c.txt'), content: 'C\n', create_parents: true });
    await call(ctx.session, 'write_file', { path: rel('crlf.txt'), content: 'y\n' });
    await call(ctx.session, 'append_file', { path: rel('a.txt'), content: 'more\n' });
    await call(ctx.session, 'edit_file', { path: rel('b.txt'), edits: [{ old_text: 'B', new_text: 'b' }] });
    await call(ctx.session, 'copy_file', { source: rel('a.txt'), destination: rel('copy.txt') });
    // A refused write must clean up too.
    await call(ctx.session, 'write_file', {
      path: rel('a.txt'),
      content: 'x',
      expected_sha256: '0'.repeat(64),
    });
    expect(await leftoverTempFiles(abs())).toEqual([]);
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('A\nmore\n');
    expect(await readFile(abs('copy.txt'), 'utf8')).toBe('A\nmore\n');
  });
});

interface AppendResult {
  path: string;
  created: boolean;
  bytes_appended: number;
  size: number;
  sha256: string;
}

describe('append_file', () => {
  it('appends exactly the given text and reports the bytes appended', async () => {
    await writeTree(abs(), { 'log.txt': 'a\n' });
    await chmod(abs('log.txt'), 0o600);
    const first = structuredOf<AppendResult>(
      await call(ctx.session, 'append_file', { path: rel('log.txt'), content: 'b\n' }),
    );
    expect(first).toMatchObject({ path: abs('log.txt'), created: false, bytes_appended: 2, size: 4 });
    const second = structuredOf<AppendResult>(
      await call(ctx.session, 'append_file', { path: rel('log.txt'), content: 'é€' }),
    );
    expect(second).toMatchObject({ bytes_appended: 5, size: 9 });
    const bytes = await readFile(abs('log.txt'));
    expect(bytes.toString('utf8')).toBe('a\nb\né€');
    expect(second.sha256).toBe(sha256(bytes));
    expect(await modeOf(abs('log.txt'))).toBe(0o600);
  });

  it('creates the file when it is missing', async () => {
    const result = structuredOf<AppendResult>(
      await call(ctx.session, 'append_file', { path: rel('new.log'), content: 'first\n' }),
    );
    expect(result).toMatchObject({ created: true, bytes_appended: 6, size: 6 });
    expect(await readFile(abs('new.log'), 'utf8')).toBe('first\n');
  });

  it('refuses a missing file with create: false, and a missing parent', async () => {
    refused(
      await call(ctx.session, 'append_file', { path: rel('new.log'), content: 'x', create: false }),
      /does not exist; pass create: true/,
    );
    expect(await exists(abs('new.log'))).toBe(false);
    refused(
      await call(ctx.session, 'append_file', { path: rel('nodir/new.log'), content: 'x' }),
      /parent directory .* does not exist/,
    );
    expect(await exists(abs('nodir'))).toBe(false);
  });

  it('encodes the text like the file: CRLF and UTF-16 without a second BOM', async () => {
    await writeTree(abs(), {
      'crlf.txt': 'x\r\n',
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('hé\n', 'utf-16le')]),
    });
    const crlf = structuredOf<AppendResult>(
      await call(ctx.session, 'append_file', { path: rel('crlf.txt'), content: 'y\nz\n' }),
    );
    expect(crlf.bytes_appended).toBe(6);
    expect(await readFile(abs('crlf.txt'), 'utf8')).toBe('x\r\ny\r\nz\r\n');
    const utf16 = structuredOf<AppendResult>(
      await call(ctx.session, 'append_file', { path: rel('utf16.txt'), content: 'ü\n' }),
    );
    expect(utf16.bytes_appended).toBe(4);
    const expected = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('hé\nü\n', 'utf-16le')]);
    expect((await readFile(abs('utf16.txt'))).equals(expected)).toBe(true);
  });

  it('refuses a stale expected_sha256 and leaves the file unchanged', async () => {
    await writeTree(abs(), { 'log.txt': 'a\n' });
    refused(
      await call(ctx.session, 'append_file', {
        path: rel('log.txt'),
        content: 'b\n',
        expected_sha256: sha256('something else'),
      }),
      /changed since it was read/,
    );
    expect(await readFile(abs('log.txt'), 'utf8')).toBe('a\n');
  });
});

describe('create_directory', () => {
  it('creates a directory with its missing parents, and is idempotent', async () => {
    const first = structuredOf<{ path: string; created: boolean }>(
      await call(ctx.session, 'create_directory', { path: rel('a/b/c') }),
    );
    expect(first).toEqual({ path: abs('a/b/c'), created: true });
    for (const dir of ['a', 'a/b', 'a/b/c']) expect((await stat(abs(dir))).isDirectory()).toBe(true);
    const second = structuredOf<{ created: boolean }>(
      await call(ctx.session, 'create_directory', { path: rel('a/b/c') }),
    );
    expect(second.created).toBe(false);
    expect((await stat(abs('a/b/c'))).isDirectory()).toBe(true);
  });

  it('refuses a path or a parent that is a file', async () => {
    await writeTree(abs(), { 'file.txt': 'x' });
    refused(await call(ctx.session, 'create_directory', { path: rel('file.txt') }), /is a file/);
    refused(await call(ctx.session, 'create_directory', { path: rel('file.txt/sub') }), /./);
    expect(await readFile(abs('file.txt'), 'utf8')).toBe('x');
  });

  it('refuses to create through a symlink that leads outside the root', async () => {
    await symlink(ctx.outside.dir, abs('link'));
    refused(await call(ctx.session, 'create_directory', { path: rel('link/sub') }), /outside the allowed/);
    refused(
      await call(ctx.session, 'create_directory', { path: rel('link/sub/deeper') }),
      /outside the allowed/,
    );
    expect(await exists(ctx.outside.path('sub'))).toBe(false);
  });
});

describe('copy_file', () => {
  it('copies the bytes and the permission bits', async () => {
    const bytes = Buffer.from([0, 1, 2, 3, 255, 254, 10, 13]);
    await writeTree(abs(), { 'src.bin': bytes, dest: {} });
    await chmod(abs('src.bin'), 0o750);
    const result = structuredOf<Record<string, unknown>>(
      await call(ctx.session, 'copy_file', { source: rel('src.bin'), destination: rel('dest/copy.bin') }),
    );
    expect(result).toEqual({
      source: abs('src.bin'),
      destination: abs('dest/copy.bin'),
      bytes: bytes.length,
      overwritten: false,
    });
    expect((await readFile(abs('dest/copy.bin'))).equals(bytes)).toBe(true);
    expect(await modeOf(abs('dest/copy.bin'))).toBe(0o750);
    expect((await readFile(abs('src.bin'))).equals(bytes)).toBe(true);
  });

  it('refuses an existing destination unless overwrite is true', async () => {
    await writeTree(abs(), { 'a.txt': 'new content\n', 'b.txt': 'old content\n' });
    refused(
      await call(ctx.session, 'copy_file', { source: rel('a.txt'), destination: rel('b.txt') }),
      /already exists; pass overwrite: true/,
    );
    expect(await readFile(abs('b.txt'), 'utf8')).toBe('old content\n');
    const result = structuredOf<{ overwritten: boolean }>(
      await call(ctx.session, 'copy_file', {
        source: rel('a.txt'),
        destination: rel('b.txt'),
        overwrite: true,
      }),
    );
    expect(result.overwritten).toBe(true);
    expect(await readFile(abs('b.txt'), 'utf8')).toBe('new content\n');
  });

  it('refuses a source outside the root reached through a symlink', async () => {
    await symlink(ctx.outside.path('secret.txt'), abs('out-link'));
    await symlink(ctx.outside.dir, abs('out-dir'));
    refused(
      await call(ctx.session, 'copy_file', { source: rel('out-link'), destination: rel('stolen.txt') }),
      /outside the allowed/,
    );
    refused(
      await call(ctx.session, 'copy_file', {
        source: rel('out-dir/secret.txt'),
        destination: rel('stolen.txt'),
      }),
      /outside the allowed/,
    );
    expect(await exists(abs('stolen.txt'))).toBe(false);
  });

  it('refuses a destination outside the root reached through a symlink', async () => {
    await writeTree(abs(), { 'a.txt': 'a\n' });
    await symlink(ctx.outside.dir, abs('out-dir'));
    refused(
      await call(ctx.session, 'copy_file', { source: rel('a.txt'), destination: rel('out-dir/planted.txt') }),
      /outside the allowed/,
    );
    expect(await exists(ctx.outside.path('planted.txt'))).toBe(false);
  });

  it('refuses to copy a directory', async () => {
    await writeTree(abs(), { dir: { 'x.txt': 'x' } });
    refused(
      await call(ctx.session, 'copy_file', { source: rel('dir'), destination: rel('dir2') }),
      /is a directory/,
    );
    expect(await exists(abs('dir2'))).toBe(false);
  });
});

describe('move_file', () => {
  it('moves a file to a new path', async () => {
    await writeTree(abs(), { 'a.txt': 'moving\n', sub: {} });
    const result = structuredOf<Record<string, unknown>>(
      await call(ctx.session, 'move_file', { source: rel('a.txt'), destination: rel('sub/b.txt') }),
    );
    expect(result).toEqual({ source: abs('a.txt'), destination: abs('sub/b.txt'), overwritten: false });
    expect(await exists(abs('a.txt'))).toBe(false);
    expect(await readFile(abs('sub/b.txt'), 'utf8')).toBe('moving\n');
  });

  it('moves a directory with its contents', async () => {
    await writeTree(abs(), { dir: { 'x.txt': 'x', inner: { 'y.txt': 'y' } } });
    await call(ctx.session, 'move_file', { source: rel('dir'), destination: rel('renamed') });
    expect(await exists(abs('dir'))).toBe(false);
    expect(await readFile(abs('renamed/inner/y.txt'), 'utf8')).toBe('y');
  });

  it('refuses an existing destination unless overwrite is true', async () => {
    await writeTree(abs(), { 'a.txt': 'source\n', 'b.txt': 'destination\n' });
    refused(
      await call(ctx.session, 'move_file', { source: rel('a.txt'), destination: rel('b.txt') }),
      /already exists; pass overwrite: true/,
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('source\n');
    expect(await readFile(abs('b.txt'), 'utf8')).toBe('destination\n');
    const result = structuredOf<{ overwritten: boolean }>(
      await call(ctx.session, 'move_file', {
        source: rel('a.txt'),
        destination: rel('b.txt'),
        overwrite: true,
      }),
    );
    expect(result.overwritten).toBe(true);
    expect(await exists(abs('a.txt'))).toBe(false);
    expect(await readFile(abs('b.txt'), 'utf8')).toBe('source\n');
  });

  it('moves a symlink as a link, leaving its target where it was', async () => {
    await writeTree(abs(), { 'target.txt': 'target\n', sub: {} });
    await symlink(abs('target.txt'), abs('link'));
    await call(ctx.session, 'move_file', { source: rel('link'), destination: rel('sub/moved-link') });
    expect(await exists(abs('link'))).toBe(false);
    const moved = await lstat(abs('sub/moved-link'));
    expect(moved.isSymbolicLink()).toBe(true);
    expect(await readlink(abs('sub/moved-link'))).toBe(abs('target.txt'));
    expect(await readFile(abs('target.txt'), 'utf8')).toBe('target\n');
  });

  it('moves a symlink that points outside as a link, never touching the outside target', async () => {
    await symlink(ctx.outside.path('secret.txt'), abs('out-link'));
    await call(ctx.session, 'move_file', { source: rel('out-link'), destination: rel('renamed-link') });
    expect((await lstat(abs('renamed-link'))).isSymbolicLink()).toBe(true);
    expect(await exists(abs('out-link'))).toBe(false);
    expect(await readFile(ctx.outside.path('secret.txt'), 'utf8')).toBe('outside secret\n');
  });

  it('refuses to move the root or a directory into itself', async () => {
    await writeTree(abs(), { dir: { 'x.txt': 'x' } });
    refused(
      await call(ctx.session, 'move_file', { source: ctx.root.dir, destination: rel('root-moved') }),
      /allowed directory itself/,
    );
    expect((await stat(ctx.root.dir)).isDirectory()).toBe(true);
    expect(await exists(abs('root-moved'))).toBe(false);
    refused(
      await call(ctx.session, 'move_file', { source: rel('dir'), destination: rel('dir/inside') }),
      /cannot be moved into itself/,
    );
    expect(await readFile(abs('dir/x.txt'), 'utf8')).toBe('x');
  });

  it('lets a directory replace only an empty directory', async () => {
    await writeTree(abs(), { src: { 'x.txt': 'x' }, empty: {}, full: { 'y.txt': 'y' } });
    refused(
      await call(ctx.session, 'move_file', { source: rel('src'), destination: rel('full'), overwrite: true }),
      /not empty/,
    );
    expect(await readFile(abs('full/y.txt'), 'utf8')).toBe('y');
    expect(await readFile(abs('src/x.txt'), 'utf8')).toBe('x');
    structuredOf(
      await call(ctx.session, 'move_file', {
        source: rel('src'),
        destination: rel('empty'),
        overwrite: true,
      }),
    );
    expect(await exists(abs('src'))).toBe(false);
    expect(await readFile(abs('empty/x.txt'), 'utf8')).toBe('x');
  });

  it('refuses to "move" a file onto another hard link of itself instead of reporting a move that did nothing', async () => {
    await writeTree(abs(), { 'a.txt': 'shared\n' });
    await link(abs('a.txt'), abs('b.txt'));
    refused(
      await call(ctx.session, 'move_file', {
        source: rel('a.txt'),
        destination: rel('b.txt'),
        overwrite: true,
      }),
      /hard links to the same file/,
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('shared\n');
    expect(await readFile(abs('b.txt'), 'utf8')).toBe('shared\n');
  });

  it('refuses a destination outside the root reached through a symlink', async () => {
    await writeTree(abs(), { 'a.txt': 'a\n' });
    await symlink(ctx.outside.dir, abs('out-dir'));
    refused(
      await call(ctx.session, 'move_file', { source: rel('a.txt'), destination: rel('out-dir/a.txt') }),
      /outside the allowed/,
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('a\n');
    expect(await exists(ctx.outside.path('a.txt'))).toBe(false);
  });
});

describe('delete_path', () => {
  it('deletes a file', async () => {
    await writeTree(abs(), { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const result = structuredOf<Record<string, unknown>>(
      await call(ctx.session, 'delete_path', { path: rel('a.txt') }),
    );
    expect(result).toEqual({ path: abs('a.txt'), kind: 'file', deleted: true });
    expect(await exists(abs('a.txt'))).toBe(false);
    expect(await exists(abs('b.txt'))).toBe(true);
  });

  it('deletes an empty directory, but a non-empty one only with recursive: true', async () => {
    await writeTree(abs(), { empty: {}, full: { 'x.txt': 'x', inner: { 'y.txt': 'y' } } });
    structuredOf(await call(ctx.session, 'delete_path', { path: rel('empty') }));
    expect(await exists(abs('empty'))).toBe(false);
    refused(await call(ctx.session, 'delete_path', { path: rel('full') }), /recursive: true/);
    expect(await readFile(abs('full/inner/y.txt'), 'utf8')).toBe('y');
    const result = structuredOf<{ kind: string }>(
      await call(ctx.session, 'delete_path', { path: rel('full'), recursive: true }),
    );
    expect(result.kind).toBe('directory');
    expect(await exists(abs('full'))).toBe(false);
  });

  it('deletes a symlink that points outside, leaving the outside target in place', async () => {
    await symlink(ctx.outside.path('secret.txt'), abs('out-link'));
    await symlink(ctx.outside.path('dir'), abs('out-dir'));
    const result = structuredOf<{ kind: string }>(
      await call(ctx.session, 'delete_path', { path: rel('out-link') }),
    );
    expect(result.kind).toBe('symlink');
    expect(await exists(abs('out-link'))).toBe(false);
    expect(await readFile(ctx.outside.path('secret.txt'), 'utf8')).toBe('outside secret\n');
    // recursive on a link to a directory removes the link, not what it points to.
    structuredOf(await call(ctx.session, 'delete_path', { path: rel('out-dir'), recursive: true }));
    expect(await exists(abs('out-dir'))).toBe(false);
    expect(await readFile(ctx.outside.path('dir/keep.txt'), 'utf8')).toBe('keep\n');
  });

  it('deletes a dangling symlink', async () => {
    await symlink(ctx.outside.path('missing.txt'), abs('dangling'));
    const result = structuredOf<{ kind: string }>(
      await call(ctx.session, 'delete_path', { path: rel('dangling') }),
    );
    expect(result.kind).toBe('symlink');
    expect(await exists(abs('dangling'))).toBe(false);
  });

  it('refuses a file outside the root reached through a symlinked directory', async () => {
    await symlink(ctx.outside.dir, abs('out-dir'));
    refused(
      await call(ctx.session, 'delete_path', { path: rel('out-dir/secret.txt') }),
      /outside the allowed/,
    );
    expect(await exists(ctx.outside.path('secret.txt'))).toBe(true);
  });

  it('refuses to delete the root', async () => {
    refused(
      await call(ctx.session, 'delete_path', { path: ctx.root.dir, recursive: true }),
      /allowed directory itself/,
    );
    refused(
      await call(ctx.session, 'delete_path', { path: '.', recursive: true }),
      /allowed directory itself/,
    );
    expect((await stat(ctx.root.dir)).isDirectory()).toBe(true);
    expect((await stat(abs())).isDirectory()).toBe(true);
  });

  it('refuses a directory that holds another allowed directory', async () => {
    const tree = await createTempTree({ a: { b: { inner: { 'x.txt': 'x' } }, 'y.txt': 'y' } });
    const session = await startFilesystem([tree.path('a'), tree.path('a/b/inner')]);
    try {
      refused(
        await call(session, 'delete_path', { path: tree.path('a/b'), recursive: true }),
        /contains the allowed directory/,
      );
      refused(
        await call(session, 'delete_path', { path: tree.path('a/b/inner'), recursive: true }),
        /allowed directory itself/,
      );
    } finally {
      await session.close();
    }
    expect(await readFile(tree.path('a/b/inner/x.txt'), 'utf8')).toBe('x');
    await tree.remove();
  });

  it('deletes without asking when the client has no elicitation capability', async () => {
    await writeTree(abs(), { 'a.txt': 'a\n' });
    structuredOf(await call(ctx.session, 'delete_path', { path: rel('a.txt') }));
    expect(await exists(abs('a.txt'))).toBe(false);
  });
});

describe('delete_path confirmation through elicitation', () => {
  let tree: TempTree;

  beforeEach(async () => {
    tree = await createTempTree({ 'a.txt': 'a\n', dir: { 'x.txt': 'x' } });
  });

  afterEach(async () => {
    await tree.remove();
  });

  const withSession = async (
    elicitation: NonNullable<Parameters<typeof startFilesystem>[1]>['elicitation'],
    run: (session: StdioSession) => Promise<void>,
    era: 'legacy' | 'modern' = 'legacy',
  ) => {
    const session = await startFilesystem([tree.dir], { elicitation, era });
    try {
      await run(session);
    } finally {
      await session.close();
    }
  };

  it('deletes nothing when the user declines', async () => {
    await withSession({ action: 'decline' }, async (session) => {
      const file = await call(session, 'delete_path', { path: 'a.txt' });
      expect(file.isError).toBe(true);
      expect(textOf(file)).toMatch(/declined/);
      const dir = await call(session, 'delete_path', { path: 'dir', recursive: true });
      expect(dir.isError).toBe(true);
      expect(textOf(dir)).toMatch(/declined/);
    });
    expect(await readFile(tree.path('a.txt'), 'utf8')).toBe('a\n');
    expect(await readFile(tree.path('dir/x.txt'), 'utf8')).toBe('x');
  });

  it('deletes nothing when the user accepts the form without ticking confirm', async () => {
    await withSession({ action: 'accept', content: { confirm: false } }, async (session) => {
      const result = await call(session, 'delete_path', { path: 'a.txt' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/declined/);
    });
    expect(await exists(tree.path('a.txt'))).toBe(true);
  });

  it('deletes when the user confirms', async () => {
    await withSession({ action: 'accept', content: { confirm: true } }, async (session) => {
      expect(
        structuredOf<{ deleted: boolean }>(await call(session, 'delete_path', { path: 'a.txt' })).deleted,
      ).toBe(true);
      structuredOf(await call(session, 'delete_path', { path: 'dir', recursive: true }));
    });
    expect(await exists(tree.path('a.txt'))).toBe(false);
    expect(await exists(tree.path('dir'))).toBe(false);
  });

  it('asks a 2026-07-28 client too, and honours a decline', async () => {
    await withSession(
      { action: 'decline' },
      async (session) => {
        const result = await call(session, 'delete_path', { path: 'a.txt' });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/declined/);
      },
      'modern',
    );
    expect(await exists(tree.path('a.txt'))).toBe(true);
  });
});

describe('read-only', () => {
  let tree: TempTree;
  let outside: TempTree;

  beforeEach(async () => {
    outside = await createTempTree({ 'secret.txt': 'outside\n' });
    tree = await createTempTree({
      'a.txt': 'alpha\n',
      'b.txt': 'beta\n',
      dir: { 'x.txt': 'x\n' },
      empty: {},
      link: { symlink: outside.path('secret.txt') },
    });
  });

  afterEach(async () => {
    await tree.remove();
    await outside.remove();
  });

  it('--read-only lists none of the write tools', async () => {
    const session = await startFilesystem([tree.dir, '--read-only']);
    try {
      const names = (await session.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('read_text_file');
      for (const name of WRITE_TOOL_NAMES) expect(names).not.toContain(name);
      await expect(call(session, 'write_file', { path: 'a.txt', content: 'x' })).rejects.toThrow(/not found/);
    } finally {
      await session.close();
    }
    expect(await readFile(tree.path('a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('a DIR:ro root refuses every write tool and leaves the tree unchanged', async () => {
    const before = await snapshotTree(tree.dir);
    const session = await startFilesystem([`${tree.dir}:ro`]);
    const attempts: [string, Record<string, unknown>][] = [
      ['write_file', { path: 'a.txt', content: 'changed' }],
      ['write_file', { path: 'new.txt', content: 'new' }],
      ['edit_file', { path: 'a.txt', edits: [{ old_text: 'alpha', new_text: 'omega' }] }],
      ['append_file', { path: 'a.txt', content: 'more' }],
      ['append_file', { path: 'new.txt', content: 'more' }],
      ['create_directory', { path: 'newdir' }],
      ['create_directory', { path: 'dir' }],
      ['copy_file', { source: 'a.txt', destination: 'c.txt' }],
      ['copy_file', { source: 'a.txt', destination: 'b.txt', overwrite: true }],
      ['move_file', { source: 'a.txt', destination: 'moved.txt' }],
      ['move_file', { source: 'link', destination: 'moved-link' }],
      ['delete_path', { path: 'a.txt' }],
      ['delete_path', { path: 'dir', recursive: true }],
      ['delete_path', { path: 'empty' }],
      ['delete_path', { path: 'link' }],
    ];
    try {
      const { tools } = await session.client.listTools();
      for (const name of WRITE_TOOL_NAMES) expect(tools.map((tool) => tool.name)).toContain(name);
      for (const [name, args] of attempts) {
        const result = await call(session, name, args);
        expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
        expect(textOf(result), `${name} ${JSON.stringify(args)}`).toMatch(/read-only/);
      }
    } finally {
      await session.close();
    }
    expect(await snapshotTree(tree.dir)).toEqual(before);
  });

  it('a read-only root beside a writable one stays read-only', async () => {
    const writable = await createTempTree({ 'w.txt': 'w\n' });
    const before = await snapshotTree(tree.dir);
    const session = await startFilesystem([writable.dir, `${tree.dir}:ro`]);
    try {
      structuredOf(
        await call(session, 'copy_file', {
          source: tree.path('a.txt'),
          destination: writable.path('a-copy.txt'),
        }),
      );
      refused(
        await call(session, 'copy_file', { source: writable.path('w.txt'), destination: tree.path('w.txt') }),
        /read-only/,
      );
      refused(
        await call(session, 'move_file', { source: tree.path('a.txt'), destination: writable.path('a.txt') }),
        /read-only/,
      );
      refused(
        await call(session, 'move_file', { source: writable.path('w.txt'), destination: tree.path('w.txt') }),
        /read-only/,
      );
    } finally {
      await session.close();
    }
    expect(await snapshotTree(tree.dir)).toEqual(before);
    expect(await readFile(writable.path('a-copy.txt'), 'utf8')).toBe('alpha\n');
    expect(await readFile(writable.path('w.txt'), 'utf8')).toBe('w\n');
    await writable.remove();
  });
});

describe('secrets on the deny list', () => {
  it('refuses to write, edit, append to, copy, move or delete .env', async () => {
    await writeTree(abs(), { '.env': 'TOKEN=abc\n', 'a.txt': 'a\n', sub: { '.env': 'TOKEN=def\n' } });
    const before = await snapshotTree(abs());
    refused(await call(ctx.session, 'write_file', { path: rel('.env'), content: 'TOKEN=x' }), /deny list/);
    refused(
      await call(ctx.session, 'write_file', { path: rel('new/.env'), content: 'x', create_parents: true }),
      /deny list/,
    );
    refused(
      await call(ctx.session, 'edit_file', {
        path: rel('.env'),
        edits: [{ old_text: 'abc', new_text: 'x' }],
      }),
      /deny list/,
    );
    refused(await call(ctx.session, 'append_file', { path: rel('.env'), content: 'X=1' }), /deny list/);
    refused(
      await call(ctx.session, 'copy_file', { source: rel('.env'), destination: rel('env.txt') }),
      /deny list/,
    );
    refused(
      await call(ctx.session, 'copy_file', {
        source: rel('a.txt'),
        destination: rel('sub/.env'),
        overwrite: true,
      }),
      /deny list/,
    );
    refused(
      await call(ctx.session, 'move_file', { source: rel('.env'), destination: rel('env.txt') }),
      /deny list/,
    );
    refused(
      await call(ctx.session, 'move_file', { source: rel('a.txt'), destination: rel('.env.local') }),
      /deny list/,
    );
    refused(await call(ctx.session, 'delete_path', { path: rel('.env') }), /deny list/);
    expect(await snapshotTree(abs())).toEqual(before);
  });

  it('refuses to create .ssh or anything inside it', async () => {
    refused(await call(ctx.session, 'create_directory', { path: rel('.ssh') }), /deny list/);
    refused(await call(ctx.session, 'create_directory', { path: rel('.ssh/x') }), /deny list/);
    refused(await call(ctx.session, 'create_directory', { path: rel('home/.ssh') }), /deny list/);
    refused(
      await call(ctx.session, 'write_file', {
        path: rel('.ssh/authorized_keys'),
        content: 'ssh-ed25519 AAAA',
        create_parents: true,
      }),
      /deny list/,
    );
    expect(await exists(abs('.ssh'))).toBe(false);
    // A refusal leaves nothing behind: not even the parent that would have held `.ssh`.
    expect(await exists(abs('home'))).toBe(false);
  });
});
