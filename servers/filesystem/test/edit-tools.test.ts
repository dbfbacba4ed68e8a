import { createHash } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { structuredOf, textOf, writeTree } from '@bulwark/testkit';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { call, leftoverTempFiles, useSharedServer } from './helpers.js';

const ctx = useSharedServer();
const { rel, abs } = ctx;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

interface EditResult {
  path: string;
  replacements: number[];
  applied: boolean;
  sha256: string;
  diff: string;
  diff_truncated: boolean;
}

type Edit = { old_text: string; new_text: string; replace_all?: boolean };

const edit = (file: string, edits: Edit[], extra: Record<string, unknown> = {}) =>
  call(ctx.session, 'edit_file', { path: rel(file), edits, ...extra });

/** Asserts an isError result whose text matches. */
const refused = (result: { isError?: boolean; content?: unknown }, pattern: RegExp) => {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(pattern);
};

describe('edit_file', () => {
  it('replaces a unique match and returns the diff', async () => {
    await writeTree(abs(), { 'code.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n' });
    await chmod(abs('code.ts'), 0o640);
    const raw = await edit('code.ts', [{ old_text: 'const b = 2;', new_text: 'const b = 20;' }]);
    const result = structuredOf<EditResult>(raw);
    const expected = 'const a = 1;\nconst b = 20;\nconst c = 3;\n';
    expect(result).toMatchObject({
      path: abs('code.ts'),
      replacements: [1],
      applied: true,
      sha256: sha256(expected),
      diff_truncated: false,
    });
    expect(result.diff).toContain('@@');
    expect(result.diff).toContain('\n-const b = 2;\n');
    expect(result.diff).toContain('\n+const b = 20;\n');
    expect(textOf(raw)).toContain('```diff\n');
    expect(await readFile(abs('code.ts'), 'utf8')).toBe(expected);
    expect((await stat(abs('code.ts'))).mode & 0o777).toBe(0o640);
    expect(await leftoverTempFiles(abs())).toEqual([]);
  });

  it('is an error naming the edit when old_text is not found, and leaves the file unchanged', async () => {
    await writeTree(abs(), { 'a.txt': 'alpha\nbeta\n' });
    const result = await edit('a.txt', [{ old_text: 'gamma', new_text: 'delta' }]);
    refused(result, /edit 1 was not found/);
    expect(textOf(result)).toContain(rel('a.txt'));
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('alpha\nbeta\n');
  });

  it('is an error stating the count when old_text occurs twice without replace_all', async () => {
    await writeTree(abs(), { 'a.txt': 'x = 1;\ny = 2;\nx = 1;\n' });
    refused(await edit('a.txt', [{ old_text: 'x = 1;', new_text: 'x = 3;' }]), /edit 1 occurs 2 times/);
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('x = 1;\ny = 2;\nx = 1;\n');
  });

  it('replace_all replaces every occurrence and reports the count', async () => {
    await writeTree(abs(), { 'a.txt': 'foo bar foo\nfoo\n' });
    const result = structuredOf<EditResult>(
      await edit('a.txt', [{ old_text: 'foo', new_text: 'qux', replace_all: true }]),
    );
    expect(result.replacements).toEqual([3]);
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('qux bar qux\nqux\n');
  });

  it('applies several edits in order, each to the result of the one before', async () => {
    await writeTree(abs(), { 'a.txt': 'one two three\n' });
    const result = structuredOf<EditResult>(
      await edit('a.txt', [
        { old_text: 'one', new_text: 'uno' },
        { old_text: 'uno two', new_text: 'uno dos' },
        { old_text: 'three', new_text: 'tres' },
      ]),
    );
    expect(result.replacements).toEqual([1, 1, 1]);
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('uno dos tres\n');
  });

  it('writes nothing when a later edit fails: all edits or none', async () => {
    await writeTree(abs(), { 'a.txt': 'first\nsecond\n' });
    const result = await edit('a.txt', [
      { old_text: 'first', new_text: 'FIRST' },
      { old_text: 'missing', new_text: 'x' },
    ]);
    refused(result, /edit 2 was not found .* after edit 1 was applied/);
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('first\nsecond\n');
    // The same holds when the later edit is ambiguous rather than missing.
    refused(
      await edit('a.txt', [
        { old_text: 'second', new_text: 'first' },
        { old_text: 'first', new_text: 'x' },
      ]),
      /edit 2 occurs 2 times/,
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('first\nsecond\n');
    expect(await leftoverTempFiles(abs())).toEqual([]);
  });

  it('matches \\n old_text in a CRLF file and keeps CRLF line endings', async () => {
    await writeTree(abs(), { 'crlf.txt': 'one\r\ntwo\r\nthree\r\n' });
    const result = structuredOf<EditResult>(
      await edit('crlf.txt', [{ old_text: 'one\ntwo\n', new_text: 'uno\ndos\nzwei\n' }]),
    );
    const bytes = await readFile(abs('crlf.txt'));
    expect(bytes.toString('utf8')).toBe('uno\r\ndos\r\nzwei\r\nthree\r\n');
    expect(result.sha256).toBe(sha256(bytes));
    // The diff is shown with normalised line endings.
    expect(result.diff).not.toContain('\r');
  });

  it('matches CRLF old_text in an LF file and writes LF', async () => {
    await writeTree(abs(), { 'lf.txt': 'one\ntwo\nthree\n' });
    structuredOf(await edit('lf.txt', [{ old_text: 'one\r\ntwo', new_text: 'uno\r\ndos' }]));
    expect(await readFile(abs('lf.txt'), 'utf8')).toBe('uno\ndos\nthree\n');
  });

  it('keeps the byte order mark and legacy encoding of the file', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const latin = 'Café crème brûlée, déjà vu, voilà, naïve façade\n';
    await writeTree(abs(), {
      'bom.txt': Buffer.concat([bom, Buffer.from('héllo\n')]),
      'latin1.txt': iconv.encode(latin, 'latin1'),
    });
    structuredOf(await edit('bom.txt', [{ old_text: 'héllo', new_text: 'wörld' }]));
    expect((await readFile(abs('bom.txt'))).equals(Buffer.concat([bom, Buffer.from('wörld\n')]))).toBe(true);
    structuredOf(await edit('latin1.txt', [{ old_text: 'déjà vu', new_text: 'à bientôt' }]));
    const expected = iconv.encode(latin.replace('déjà vu', 'à bientôt'), 'latin1');
    expect((await readFile(abs('latin1.txt'))).equals(expected)).toBe(true);
  });

  it('refuses a stale expected_sha256 and accepts the current one from a read', async () => {
    await writeTree(abs(), { 'a.txt': 'value = 1\n' });
    const read = structuredOf<{ sha256: string }>(
      await call(ctx.session, 'read_text_file', { path: rel('a.txt') }),
    );
    await writeFile(abs('a.txt'), 'value = 2\n');
    refused(
      await edit('a.txt', [{ old_text: 'value', new_text: 'v' }], { expected_sha256: read.sha256 }),
      /changed since it was read/,
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('value = 2\n');
    const fresh = structuredOf<{ sha256: string }>(
      await call(ctx.session, 'read_text_file', { path: rel('a.txt') }),
    );
    structuredOf(
      await edit('a.txt', [{ old_text: 'value', new_text: 'v' }], { expected_sha256: fresh.sha256 }),
    );
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('v = 2\n');
  });

  it('dry_run returns the diff and writes nothing', async () => {
    await writeTree(abs(), { 'a.txt': 'old line\n' });
    const result = structuredOf<EditResult>(
      await edit('a.txt', [{ old_text: 'old line', new_text: 'old line\nnew line' }], { dry_run: true }),
    );
    expect(result).toMatchObject({
      applied: false,
      replacements: [1],
      sha256: sha256('old line\nnew line\n'),
    });
    expect(result.diff).toContain('@@');
    expect(result.diff).toContain('+new line');
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('old line\n');
  });

  it('inserts $ patterns in new_text literally', async () => {
    await writeTree(abs(), { 'a.txt': 'price: X\n' });
    structuredOf(await edit('a.txt', [{ old_text: 'X', new_text: "$& $1 $$ $` $'" }]));
    expect(await readFile(abs('a.txt'), 'utf8')).toBe("price: $& $1 $$ $` $'\n");
  });

  it('reports no change when the edits leave the file as it was', async () => {
    await writeTree(abs(), { 'a.txt': 'same\n' });
    const result = structuredOf<EditResult>(await edit('a.txt', [{ old_text: 'same', new_text: 'same' }]));
    expect(result).toMatchObject({ applied: false, replacements: [1], diff: '' });
    expect(await readFile(abs('a.txt'), 'utf8')).toBe('same\n');
  });

  it('refuses a binary file and a missing file', async () => {
    const binary = Buffer.from([0x61, 0, 0x62, 0]);
    await writeTree(abs(), { 'b.bin': binary });
    refused(await edit('b.bin', [{ old_text: 'a', new_text: 'c' }]), /binary file/);
    expect((await readFile(abs('b.bin'))).equals(binary)).toBe(true);
    refused(await edit('missing.txt', [{ old_text: 'a', new_text: 'c' }]), /does not exist/);
  });
});
