/**
 * Path sandbox: every class of escape, on a real temporary tree (real symlinks, hard links, FIFOs,
 * sockets and /dev/null). Each refusal asserts the SandboxError code, which names the requirement.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalize, isWithin, type Sandbox, SandboxError } from '../src/index.js';
import {
  expectSandboxError,
  makeSandbox,
  makeTempTree,
  mkfifo,
  removeTempTree,
  type TempTree,
} from './fixtures.js';

let tree: TempTree;
let root: string;
let outside: string;
let sandbox: Sandbox;

beforeEach(async () => {
  tree = await makeTempTree();
  ({ root, outside } = tree);
  sandbox = makeSandbox([root]);
});

afterEach(async () => {
  await removeTempTree(tree);
});

/** Resolves, opens and reads a file through the sandbox, closing the handle. */
async function readThrough(box: Sandbox, input: string): Promise<string> {
  const resolved = await box.resolve(input, 'read');
  const verified = await box.open(resolved, 'file');
  try {
    return await verified.handle.readFile('utf8');
  } finally {
    await verified.handle.close();
  }
}

describe('isWithin', () => {
  it('sandbox:prefix — a root contains itself and its descendants', () => {
    expect(isWithin('/data/project', '/data/project')).toBe(true);
    expect(isWithin('/data/project', '/data/project/src/a.ts')).toBe(true);
  });

  it('sandbox:prefix — a sibling sharing the root as a string prefix is not inside', () => {
    expect(isWithin('/data/project', '/data/project-evil')).toBe(false);
    expect(isWithin('/data/project', '/data/project-evil/a.ts')).toBe(false);
    expect(isWithin('/data/project', '/data/projectX')).toBe(false);
  });

  it('sandbox:prefix — the parent and unrelated paths are not inside', () => {
    expect(isWithin('/data/project', '/data')).toBe(false);
    expect(isWithin('/data/project', '/')).toBe(false);
    expect(isWithin('/data/project', '/etc/passwd')).toBe(false);
  });

  it('sandbox:prefix — the file system root contains every absolute path', () => {
    expect(isWithin('/', '/')).toBe(true);
    expect(isWithin('/', '/etc')).toBe(true);
    expect(isWithin('/', '/a/b/c')).toBe(true);
  });

  it('sandbox:prefix — names that merely start with ".." are inside', () => {
    expect(isWithin('/a', '/a/..b')).toBe(true);
    expect(isWithin('/a', '/a/...')).toBe(true);
    expect(isWithin('/a', '/a/..b/c')).toBe(true);
  });
});

describe('resolve: prefix siblings and traversal', () => {
  it('sandbox:prefix — a sibling directory sharing the root as a string prefix is outside', async () => {
    const evil = `${root}-evil`;
    await fs.mkdir(evil);
    await fs.writeFile(path.join(evil, 'secret.txt'), 'evil');
    await expectSandboxError(sandbox.resolve(path.join(evil, 'secret.txt'), 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve(evil, 'read'), 'outside-roots');
  });

  it('sandbox:prefix — the prefix sibling reached as ../root-evil is outside', async () => {
    const evil = `${root}-evil`;
    await fs.mkdir(evil);
    await fs.writeFile(path.join(evil, 'secret.txt'), 'evil');
    const relative = `../${path.basename(evil)}/secret.txt`;
    await expectSandboxError(sandbox.resolve(relative, 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve(`../${path.basename(evil)}/new.txt`, 'write'), 'outside-roots');
  });

  it('sandbox:traversal — relative paths resolve against the first root', async () => {
    const second = path.join(tree.base, 'second');
    await fs.mkdir(second);
    await fs.writeFile(path.join(root, 'a.txt'), 'first');
    await fs.writeFile(path.join(second, 'a.txt'), 'second');
    const box = makeSandbox([root, second]);
    const resolved = await box.resolve('a.txt', 'read');
    expect(resolved.real).toBe(path.join(root, 'a.txt'));
    expect(resolved.root.path).toBe(root);
    expect(resolved.exists).toBe(true);
    expect(resolved.input).toBe('a.txt');
    // The second root is still reachable by absolute path.
    expect((await box.resolve(path.join(second, 'a.txt'), 'read')).root.path).toBe(second);
  });

  it('sandbox:traversal — "a/../../outside" climbs out of the root and is refused', async () => {
    await fs.mkdir(path.join(root, 'a'));
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await expectSandboxError(sandbox.resolve('a/../../outside/secret.txt', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('a/../../outside', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('..', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('../../../../../../etc/passwd', 'read'), 'outside-roots');
  });

  it('sandbox:traversal — ".." inside an absolute path is resolved before the check', async () => {
    await fs.mkdir(path.join(root, 'sub'));
    await expectSandboxError(sandbox.resolve(`${root}/sub/../../outside/x`, 'write'), 'outside-roots');
  });

  it('sandbox:traversal — ".." that stays inside the root is allowed', async () => {
    await fs.mkdir(path.join(root, 'a'));
    const resolved = await sandbox.resolve('a/../b.txt', 'write');
    expect(resolved.real).toBe(path.join(root, 'b.txt'));
    expect(resolved.exists).toBe(false);
  });

  it('sandbox:traversal — the root itself resolves to itself', async () => {
    for (const input of ['.', root, `${root}/`, pathToFileURL(root).href]) {
      const resolved = await sandbox.resolve(input, 'read');
      expect(resolved.real).toBe(root);
      expect(resolved.exists).toBe(true);
    }
  });

  it('sandbox:traversal — "~/" expands to the home directory, which is outside these roots', async () => {
    await expectSandboxError(sandbox.resolve('~/.bashrc', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('~', 'read'), 'outside-roots');
  });

  it('sandbox:traversal — file:// URIs are accepted inside and refused outside', async () => {
    await fs.writeFile(path.join(root, 'in.txt'), 'in');
    await fs.writeFile(path.join(outside, 'out.txt'), 'out');
    const inside = await sandbox.resolve(pathToFileURL(path.join(root, 'in.txt')).href, 'read');
    expect(inside.real).toBe(path.join(root, 'in.txt'));
    await expectSandboxError(
      sandbox.resolve(pathToFileURL(path.join(outside, 'out.txt')).href, 'read'),
      'outside-roots',
    );
    await expectSandboxError(sandbox.resolve(`file://${root}/../outside/out.txt`, 'read'), 'outside-roots');
  });

  it('sandbox:invalid-path — an empty path and a file URI with a remote host are invalid', async () => {
    await expectSandboxError(sandbox.resolve('', 'read'), 'invalid-path');
    await expectSandboxError(sandbox.resolve('file://example.com/etc/passwd', 'read'), 'invalid-path');
  });
});

describe('resolve: symlinks', () => {
  it('sandbox:symlink-file — a symlink to a file outside is refused, without naming the target', async () => {
    const target = path.join(outside, 'secret.txt');
    await fs.writeFile(target, 'secret');
    await fs.symlink(target, path.join(root, 'link.txt'));
    const error = await expectSandboxError(sandbox.resolve('link.txt', 'read'), 'outside-roots');
    expect(error.message).not.toContain(outside);
    await expectSandboxError(sandbox.resolve('link.txt', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-file — a relative symlink to a file outside is refused', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink('../outside/secret.txt', path.join(root, 'link.txt'));
    await expectSandboxError(sandbox.resolve('link.txt', 'read'), 'outside-roots');
  });

  it('sandbox:symlink-dir — a symlink to a directory outside is refused, and so is everything below it', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(outside, path.join(root, 'link-dir'));
    await expectSandboxError(sandbox.resolve('link-dir', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('link-dir/secret.txt', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('link-dir/new.txt', 'write'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('link-dir/a/b/c.txt', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-dangling — a dangling symlink pointing outside is refused for write (creating through it would land outside)', async () => {
    const target = path.join(outside, 'created-by-attacker.txt');
    await fs.symlink(target, path.join(root, 'dangling'));
    await expectSandboxError(sandbox.resolve('dangling', 'write'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('dangling', 'read'), 'outside-roots');
    await expect(fs.access(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('sandbox:symlink-dangling — a relative dangling symlink whose target directory does not exist is refused', async () => {
    await fs.symlink('../outside/not/yet/here.txt', path.join(root, 'dangling'));
    await expectSandboxError(sandbox.resolve('dangling', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-dangling — a dangling symlink in the middle of the path is followed', async () => {
    await fs.symlink(path.join(outside, 'missing-dir'), path.join(root, 'dangling-dir'));
    await expectSandboxError(sandbox.resolve('dangling-dir/new.txt', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-dangling — a relative dangling link inside a directory reached through an outside symlink is outside', async () => {
    // root/out -> outside/a/b, and outside/a/b/dl -> ../x. Writing through root/out/dl creates
    // outside/a/x; resolving "../x" lexically from root/out would wrongly give root/x.
    await fs.mkdir(path.join(outside, 'a', 'b'), { recursive: true });
    await fs.symlink(path.join(outside, 'a', 'b'), path.join(root, 'out'));
    await fs.symlink('../x', path.join(outside, 'a', 'b', 'dl'));
    await expectSandboxError(sandbox.resolve('out/dl', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-dangling — a dangling symlink pointing inside the root resolves to its target', async () => {
    await fs.symlink('future.txt', path.join(root, 'dangling'));
    const resolved = await sandbox.resolve('dangling', 'write');
    expect(resolved.real).toBe(path.join(root, 'future.txt'));
    expect(resolved.exists).toBe(false);
  });

  it('sandbox:symlink-chain — inside -> inside -> outside is refused', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'hop2'));
    await fs.symlink('hop2', path.join(root, 'hop1'));
    await expectSandboxError(sandbox.resolve('hop1', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('hop2', 'read'), 'outside-roots');
  });

  it('sandbox:symlink-chain — a dangling chain inside -> inside -> outside is refused for write', async () => {
    await fs.symlink(path.join(outside, 'new.txt'), path.join(root, 'hop2'));
    await fs.symlink('hop2', path.join(root, 'hop1'));
    await expectSandboxError(sandbox.resolve('hop1', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-chain — inside -> inside -> inside works and opens the final target', async () => {
    await fs.writeFile(path.join(root, 'real.txt'), 'content');
    await fs.symlink('real.txt', path.join(root, 'hop2'));
    await fs.symlink('hop2', path.join(root, 'hop1'));
    const resolved = await sandbox.resolve('hop1', 'read');
    expect(resolved.real).toBe(path.join(root, 'real.txt'));
    expect(await readThrough(sandbox, 'hop1')).toBe('content');
  });

  it('sandbox:symlink-parent — root/link-dir/file where link-dir points outside is refused', async () => {
    await fs.mkdir(path.join(outside, 'dir'));
    await fs.writeFile(path.join(outside, 'dir', 'file.txt'), 'secret');
    await fs.mkdir(path.join(root, 'sub'));
    await fs.symlink(path.join(outside, 'dir'), path.join(root, 'sub', 'link-dir'));
    await expectSandboxError(sandbox.resolve('sub/link-dir/file.txt', 'read'), 'outside-roots');
    await expectSandboxError(sandbox.resolve('sub/link-dir/new.txt', 'write'), 'outside-roots');
  });

  it('sandbox:symlink-inside — a symlink to a file inside the root works', async () => {
    await fs.mkdir(path.join(root, 'docs'));
    await fs.writeFile(path.join(root, 'docs', 'a.md'), '# a');
    await fs.symlink('docs/a.md', path.join(root, 'alias.md'));
    const resolved = await sandbox.resolve('alias.md', 'read');
    expect(resolved.real).toBe(path.join(root, 'docs', 'a.md'));
    expect(resolved.exists).toBe(true);
    expect(await readThrough(sandbox, 'alias.md')).toBe('# a');
  });

  it('sandbox:symlink-inside — a symlink to a directory inside the root works', async () => {
    await fs.mkdir(path.join(root, 'docs'));
    await fs.writeFile(path.join(root, 'docs', 'a.md'), '# a');
    await fs.symlink(path.join(root, 'docs'), path.join(root, 'alias-dir'));
    const dir = await sandbox.resolve('alias-dir', 'read');
    expect(dir.real).toBe(path.join(root, 'docs'));
    const verified = await sandbox.open(dir, 'directory');
    try {
      expect(verified.stats.isDirectory()).toBe(true);
      expect(await fs.readdir(verified.pinnedPath)).toEqual(['a.md']);
    } finally {
      await verified.handle.close();
    }
    expect((await sandbox.resolve('alias-dir/a.md', 'read')).real).toBe(path.join(root, 'docs', 'a.md'));
    expect((await sandbox.resolve('alias-dir/new.md', 'write')).real).toBe(path.join(root, 'docs', 'new.md'));
    expect(await readThrough(sandbox, 'alias-dir/a.md')).toBe('# a');
  });

  it('sandbox:special-file — a symlink inside the root to /dev/null is outside the roots', async () => {
    await fs.symlink('/dev/null', path.join(root, 'null'));
    await expectSandboxError(sandbox.resolve('null', 'read'), 'outside-roots');
  });
});

describe('canonicalize', () => {
  it('sandbox:symlink-loop — a two-link loop is refused', async () => {
    await fs.symlink('b', path.join(root, 'a'));
    await fs.symlink('a', path.join(root, 'b'));
    await expectSandboxError(canonicalize(path.join(root, 'a')), 'symlink-loop');
    await expectSandboxError(sandbox.resolve('a', 'read'), 'symlink-loop');
    await expectSandboxError(sandbox.resolve('a/child.txt', 'write'), 'symlink-loop');
  });

  it('sandbox:symlink-loop — a self-referencing link is refused', async () => {
    await fs.symlink('self', path.join(root, 'self'));
    await expectSandboxError(canonicalize(path.join(root, 'self')), 'symlink-loop');
  });

  it('sandbox:symlink-loop — a dangling chain longer than 40 hops is refused', async () => {
    for (let i = 0; i < 50; i++) await fs.symlink(`l${i + 1}`, path.join(root, `l${i}`));
    await expectSandboxError(canonicalize(path.join(root, 'l0')), 'symlink-loop');
  });

  it('sandbox:canonicalize — an existing path resolves to its realpath with exists true', async () => {
    await fs.mkdir(path.join(root, 'real-dir'));
    await fs.writeFile(path.join(root, 'real-dir', 'f.txt'), 'x');
    await fs.symlink('real-dir', path.join(root, 'alias'));
    expect(await canonicalize(path.join(root, 'alias', 'f.txt'))).toEqual({
      real: path.join(root, 'real-dir', 'f.txt'),
      exists: true,
    });
  });

  it('sandbox:canonicalize — a non-existent deep path resolves under the canonical parent', async () => {
    await fs.mkdir(path.join(root, 'real-dir'));
    await fs.symlink('real-dir', path.join(root, 'alias'));
    expect(await canonicalize(path.join(root, 'alias', 'x', 'y', 'z.txt'))).toEqual({
      real: path.join(root, 'real-dir', 'x', 'y', 'z.txt'),
      exists: false,
    });
  });

  it('sandbox:canonicalize — a path below a regular file resolves without existing', async () => {
    await fs.writeFile(path.join(root, 'file.txt'), 'x');
    expect(await canonicalize(path.join(root, 'file.txt', 'child'))).toEqual({
      real: path.join(root, 'file.txt', 'child'),
      exists: false,
    });
  });

  it('sandbox:canonicalize — a relative dangling link is resolved from the directory it really lives in', async () => {
    await fs.mkdir(path.join(root, 'deep', 'dir'), { recursive: true });
    await fs.symlink(path.join(root, 'deep', 'dir'), path.join(root, 'alias'));
    await fs.symlink('../target.txt', path.join(root, 'deep', 'dir', 'dl'));
    expect(await canonicalize(path.join(root, 'alias', 'dl'))).toEqual({
      real: path.join(root, 'deep', 'target.txt'),
      exists: false,
    });
  });

  it('sandbox:canonicalize — a dangling link in the middle of the path is followed', async () => {
    await fs.symlink(path.join(outside, 'missing'), path.join(root, 'dl'));
    expect(await canonicalize(path.join(root, 'dl', 'x', 'y'))).toEqual({
      real: path.join(outside, 'missing', 'x', 'y'),
      exists: false,
    });
  });
});

describe('exact paths', () => {
  it('sandbox:exact-path — "a " and "a" are different files, each resolving to itself', async () => {
    await fs.writeFile(path.join(root, 'a'), 'plain');
    await fs.writeFile(path.join(root, 'a '), 'trailing space');
    const plain = await sandbox.resolve('a', 'read');
    const spaced = await sandbox.resolve('a ', 'read');
    expect(plain.real).toBe(path.join(root, 'a'));
    expect(spaced.real).toBe(path.join(root, 'a '));
    expect(await readThrough(sandbox, 'a')).toBe('plain');
    expect(await readThrough(sandbox, 'a ')).toBe('trailing space');
  });

  it('sandbox:exact-path — "a " does not resolve to "a" when only "a" exists', async () => {
    await fs.writeFile(path.join(root, 'a'), 'plain');
    for (const input of ['a ', ' a', 'a\t', 'a\n']) {
      const resolved = await sandbox.resolve(input, 'read');
      expect(resolved.real).toBe(path.join(root, input));
      expect(resolved.exists).toBe(false);
      await expectSandboxError(sandbox.open(resolved, 'file'), 'not-found');
    }
  });

  it('sandbox:exact-path — literal quotes are part of the name, never stripped', async () => {
    await fs.writeFile(path.join(root, 'a'), 'plain');
    for (const input of ['"a"', "'a'"]) {
      const resolved = await sandbox.resolve(input, 'read');
      expect(path.basename(resolved.real)).toBe(input);
      expect(resolved.exists).toBe(false);
    }
    await fs.writeFile(path.join(root, '"a"'), 'quoted');
    expect(await readThrough(sandbox, '"a"')).toBe('quoted');
    expect(await readThrough(sandbox, 'a')).toBe('plain');
  });

  it('sandbox:nul — a NUL byte anywhere in the path is invalid', async () => {
    await fs.writeFile(path.join(root, 'a'), 'plain');
    await expectSandboxError(sandbox.resolve('a\0', 'read'), 'invalid-path');
    await expectSandboxError(sandbox.resolve('a\0.txt', 'write'), 'invalid-path');
    await expectSandboxError(sandbox.resolve(`${root}/a\0/../../outside`, 'read'), 'invalid-path');
    await expectSandboxError(sandbox.resolve('file:///etc/passwd%00', 'read'), 'invalid-path');
    await expectSandboxError(sandbox.resolve(`${pathToFileURL(root).href}/a%00`, 'read'), 'invalid-path');
  });

  it('sandbox:invalid-path — a file URI with an encoded slash is invalid', async () => {
    await expectSandboxError(
      sandbox.resolve(`${pathToFileURL(root).href}/..%2F..%2Foutside`, 'read'),
      'invalid-path',
    );
  });
});

describe('read-only', () => {
  it('sandbox:read-only — policy.readOnly refuses write and allows read', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const box = makeSandbox([root], { readOnly: true });
    await expectSandboxError(box.resolve('a.txt', 'write'), 'read-only');
    await expectSandboxError(box.resolve('new.txt', 'write'), 'read-only');
    expect((await box.resolve('a.txt', 'read')).real).toBe(path.join(root, 'a.txt'));
    expect(await readThrough(box, 'a.txt')).toBe('a');
  });

  it('sandbox:read-only — policy.readOnly wins over a writable root flag', async () => {
    const box = makeSandbox([{ path: root, readOnly: false }], { readOnly: true });
    await expectSandboxError(box.resolve('new.txt', 'write'), 'read-only');
  });

  it('sandbox:read-only — a read-only root refuses write and allows read; another root stays writable', async () => {
    const rw = path.join(tree.base, 'rw');
    await fs.mkdir(rw);
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const box = makeSandbox([{ path: root, readOnly: true }, rw]);
    await expectSandboxError(box.resolve('a.txt', 'write'), 'read-only');
    expect((await box.resolve('a.txt', 'read')).root.readOnly).toBe(true);
    expect((await box.resolve(path.join(rw, 'new.txt'), 'write')).root.path).toBe(rw);
  });

  it('sandbox:read-only — the innermost root decides: a read-only root nested in a writable one', async () => {
    const nested = path.join(root, 'locked');
    await fs.mkdir(nested);
    const box = makeSandbox([root, { path: nested, readOnly: true }]);
    await expectSandboxError(box.resolve('locked/new.txt', 'write'), 'read-only');
    expect((await box.resolve('open.txt', 'write')).root.path).toBe(root);
    expect(box.rootOf(path.join(nested, 'x'))?.path).toBe(nested);
  });
});

describe('open: kinds and not-found', () => {
  it('sandbox:open-verify — a regular file opens with a pinned /proc/self/fd path', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'hello');
    const resolved = await sandbox.resolve('a.txt', 'read');
    const verified = await sandbox.open(resolved, 'file');
    try {
      expect(verified.stats.isFile()).toBe(true);
      expect(verified.pinnedPath).toBe(`/proc/self/fd/${verified.handle.fd}`);
      expect(await fs.readlink(verified.pinnedPath)).toBe(path.join(root, 'a.txt'));
      expect(await verified.handle.readFile('utf8')).toBe('hello');
    } finally {
      await verified.handle.close();
    }
  });

  it('sandbox:wrong-kind — a directory opened as a file is refused', async () => {
    await fs.mkdir(path.join(root, 'dir'));
    const resolved = await sandbox.resolve('dir', 'read');
    await expectSandboxError(sandbox.open(resolved, 'file'), 'wrong-kind');
  });

  it('sandbox:wrong-kind — a file opened as a directory is refused', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const resolved = await sandbox.resolve('a.txt', 'read');
    await expectSandboxError(sandbox.open(resolved, 'directory'), 'wrong-kind');
  });

  it('sandbox:not-found — a path that does not exist is not-found on open', async () => {
    const resolved = await sandbox.resolve('missing.txt', 'read');
    expect(resolved.exists).toBe(false);
    await expectSandboxError(sandbox.open(resolved, 'file'), 'not-found');
    await expectSandboxError(sandbox.open(resolved, 'directory'), 'not-found');
  });

  it('sandbox:not-found — a file deleted between resolve and open is not-found', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const resolved = await sandbox.resolve('a.txt', 'read');
    await fs.unlink(path.join(root, 'a.txt'));
    await expectSandboxError(sandbox.open(resolved, 'file'), 'not-found');
  });

  it('sandbox:wrong-kind — assertKind checks a Stats obtained elsewhere', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const fileStats = await fs.stat(path.join(root, 'a.txt'));
    const dirStats = await fs.stat(root);
    expect(() => sandbox.assertKind(fileStats, 'a.txt', 'file')).not.toThrow();
    expect(() => sandbox.assertKind(dirStats, '.', 'directory')).not.toThrow();
    expect(() => sandbox.assertKind(fileStats, 'a.txt', 'directory')).toThrow(
      expect.objectContaining({ code: 'wrong-kind' }),
    );
    expect(() => sandbox.assertKind(dirStats, '.', 'file')).toThrow(
      expect.objectContaining({ code: 'wrong-kind' }),
    );
  });
});

describe('hard links', () => {
  it('sandbox:hard-link — policy deny refuses to open a file hard-linked to a file outside', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.link(path.join(outside, 'secret.txt'), path.join(root, 'innocent.txt'));
    const resolved = await sandbox.resolve('innocent.txt', 'read');
    expect(resolved.real).toBe(path.join(root, 'innocent.txt'));
    const error = await expectSandboxError(sandbox.open(resolved, 'file'), 'hard-link');
    expect(error.message).not.toContain(outside);
  });

  it('sandbox:hard-link — policy allow opens a hard-linked file', async () => {
    await fs.writeFile(path.join(outside, 'shared.txt'), 'shared');
    await fs.link(path.join(outside, 'shared.txt'), path.join(root, 'linked.txt'));
    const box = makeSandbox([root], { hardLinks: 'allow' });
    const verified = await box.open(await box.resolve('linked.txt', 'read'), 'file');
    try {
      expect(verified.stats.nlink).toBe(2);
      expect(await verified.handle.readFile('utf8')).toBe('shared');
    } finally {
      await verified.handle.close();
    }
  });

  it('sandbox:hard-link — under deny, a link count above 1 is refused even when both names are inside', async () => {
    await fs.writeFile(path.join(root, 'one.txt'), 'x');
    await fs.link(path.join(root, 'one.txt'), path.join(root, 'two.txt'));
    await expectSandboxError(sandbox.open(await sandbox.resolve('one.txt', 'read'), 'file'), 'hard-link');
    await fs.unlink(path.join(root, 'two.txt'));
    expect(await readThrough(sandbox, 'one.txt')).toBe('x');
  });

  it('sandbox:hard-link — directories (always multiply linked) still open under deny', async () => {
    await fs.mkdir(path.join(root, 'dir', 'child'), { recursive: true });
    const verified = await sandbox.open(await sandbox.resolve('dir', 'read'), 'directory');
    try {
      expect(verified.stats.nlink).toBeGreaterThan(1);
    } finally {
      await verified.handle.close();
    }
  });
});

describe('swapped between check and use', () => {
  it('sandbox:swapped — a file replaced by a symlink to an outside file after resolve is refused on open', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.writeFile(path.join(root, 'a.txt'), 'inside');
    const resolved = await sandbox.resolve('a.txt', 'read');
    await fs.unlink(path.join(root, 'a.txt'));
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'a.txt'));
    const error = await expectSandboxError(sandbox.open(resolved, 'file'), 'swapped');
    expect(error.message).not.toContain('secret');
  });

  it('sandbox:open-verify — a final symlink swapped in after resolve is refused (O_NOFOLLOW) even when it points inside', async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    await fs.writeFile(path.join(root, 'b.txt'), 'b');
    const resolved = await sandbox.resolve('a.txt', 'read');
    await fs.unlink(path.join(root, 'a.txt'));
    await fs.symlink('b.txt', path.join(root, 'a.txt'));
    await expectSandboxError(sandbox.open(resolved, 'file'), 'swapped');
  });

  it('sandbox:swapped — a parent directory replaced by a symlink to outside after resolve is refused on open', async () => {
    await fs.mkdir(path.join(outside, 'dir'));
    await fs.writeFile(path.join(outside, 'dir', 'file.txt'), 'secret');
    await fs.mkdir(path.join(root, 'dir'));
    await fs.writeFile(path.join(root, 'dir', 'file.txt'), 'inside');
    const resolved = await sandbox.resolve('dir/file.txt', 'read');
    await fs.rm(path.join(root, 'dir'), { recursive: true });
    await fs.symlink(path.join(outside, 'dir'), path.join(root, 'dir'));
    await expectSandboxError(sandbox.open(resolved, 'file'), 'swapped');
  });

  it('sandbox:swapped — a directory replaced by a symlink to an outside directory is refused on open', async () => {
    await fs.mkdir(path.join(root, 'dir'));
    const resolved = await sandbox.resolve('dir', 'read');
    await fs.rm(path.join(root, 'dir'), { recursive: true });
    await fs.symlink(outside, path.join(root, 'dir'));
    await expectSandboxError(sandbox.open(resolved, 'directory'), 'swapped');
  });

  it('sandbox:swapped — a parent swapped for a symlink into a denied directory inside the root is refused', async () => {
    await fs.mkdir(path.join(root, '.ssh'));
    await fs.writeFile(path.join(root, '.ssh', 'file.txt'), 'secret');
    await fs.mkdir(path.join(root, 'dir'));
    await fs.writeFile(path.join(root, 'dir', 'file.txt'), 'inside');
    const resolved = await sandbox.resolve('dir/file.txt', 'read');
    await fs.rm(path.join(root, 'dir'), { recursive: true });
    await fs.symlink(path.join(root, '.ssh'), path.join(root, 'dir'));
    await expectSandboxError(sandbox.open(resolved, 'file'), 'swapped');
  });

  it('sandbox:swapped — assertStillInside passes for an unchanged directory and refuses a swapped or removed one', async () => {
    await fs.mkdir(path.join(root, 'dir'));
    const dir = path.join(root, 'dir');
    await expect(sandbox.assertStillInside(dir)).resolves.toBeUndefined();
    await fs.rmdir(dir);
    await expectSandboxError(sandbox.assertStillInside(dir), 'swapped');
    await fs.symlink(outside, dir);
    await expectSandboxError(sandbox.assertStillInside(dir), 'swapped');
    await fs.unlink(dir);
    await fs.mkdir(path.join(root, 'elsewhere'));
    await fs.symlink(path.join(root, 'elsewhere'), dir);
    // Still inside, but no longer the same canonical directory.
    await expectSandboxError(sandbox.assertStillInside(dir), 'swapped');
    await expectSandboxError(sandbox.assertStillInside(outside), 'swapped');
  });
});

describe('special files', () => {
  let server: net.Server | undefined;

  afterEach(async () => {
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
  });

  it('sandbox:special-file — a FIFO is refused on open without hanging (O_NONBLOCK)', {
    timeout: 5_000,
  }, async () => {
    mkfifo(path.join(root, 'pipe'));
    const resolved = await sandbox.resolve('pipe', 'read');
    expect(resolved.exists).toBe(true);
    await expectSandboxError(sandbox.open(resolved, 'file'), 'special-file');
  });

  it('sandbox:special-file — a FIFO reached through an inside symlink is refused on open', {
    timeout: 5_000,
  }, async () => {
    mkfifo(path.join(root, 'pipe'));
    await fs.symlink('pipe', path.join(root, 'pipe-link'));
    await expectSandboxError(
      sandbox.open(await sandbox.resolve('pipe-link', 'read'), 'file'),
      'special-file',
    );
  });

  it('sandbox:special-file — a file swapped for a FIFO after resolve is refused on open', {
    timeout: 5_000,
  }, async () => {
    await fs.writeFile(path.join(root, 'a.txt'), 'a');
    const resolved = await sandbox.resolve('a.txt', 'read');
    await fs.unlink(path.join(root, 'a.txt'));
    mkfifo(path.join(root, 'a.txt'));
    await expectSandboxError(sandbox.open(resolved, 'file'), 'special-file');
  });

  it('sandbox:special-file — a Unix domain socket is refused on open', async () => {
    const socketPath = path.join(root, 'sock');
    const listening = net.createServer();
    server = listening;
    await new Promise<void>((resolve) => listening.listen(socketPath, () => resolve()));
    const resolved = await sandbox.resolve('sock', 'read');
    await expectSandboxError(sandbox.open(resolved, 'file'), 'special-file');
  });

  it('sandbox:special-file — /dev/null under a root at /dev is refused as a device', async () => {
    const box = makeSandbox(['/dev']);
    const resolved = await box.resolve('/dev/null', 'read');
    expect(resolved.real).toBe('/dev/null');
    await expectSandboxError(box.open(resolved, 'file'), 'special-file');
    await expectSandboxError(box.open(await box.resolve('null', 'read'), 'file'), 'special-file');
  });

  it('sandbox:special-file — assertKind refuses a character device and a FIFO Stats', async () => {
    mkfifo(path.join(root, 'pipe'));
    const device = await fs.stat('/dev/null');
    const fifo = await fs.lstat(path.join(root, 'pipe'));
    for (const stats of [device, fifo]) {
      for (const kind of ['file', 'directory'] as const) {
        expect(() => sandbox.assertKind(stats, 'x', kind)).toThrow(SandboxError);
        expect(() => sandbox.assertKind(stats, 'x', kind)).toThrow(
          expect.objectContaining({ code: 'special-file' }),
        );
      }
    }
  });
});

describe('rootOf and isVisible', () => {
  it('sandbox:prefix — rootOf finds the containing root and nothing for a prefix sibling', async () => {
    expect(sandbox.rootOf(path.join(root, 'a', 'b'))?.path).toBe(root);
    expect(sandbox.rootOf(root)?.path).toBe(root);
    expect(sandbox.rootOf(`${root}-evil`)).toBeUndefined();
    expect(sandbox.rootOf(outside)).toBeUndefined();
  });

  it('sandbox:deny-list — isVisible hides secrets and paths outside the roots', () => {
    expect(sandbox.isVisible(path.join(root, 'a.txt'), false)).toBe(true);
    expect(sandbox.isVisible(path.join(root, '.env'), false)).toBe(false);
    expect(sandbox.isVisible(path.join(root, '.ssh'), true)).toBe(false);
    expect(sandbox.isVisible(path.join(outside, 'a.txt'), false)).toBe(false);
  });
});

describe('resolveEntry: the entry itself, not its final link', () => {
  let tree: TempTree;
  let sandbox: Sandbox;

  beforeEach(async () => {
    tree = await makeTempTree();
    sandbox = makeSandbox([tree.root]);
  });

  afterEach(async () => {
    await removeTempTree(tree);
  });

  it('sandbox:entry-link — a symlink to a file outside is returned as the link, inside the root', async () => {
    await fs.writeFile(path.join(tree.outside, 'target.txt'), 'x');
    await fs.symlink(path.join(tree.outside, 'target.txt'), path.join(tree.root, 'link'));
    const entry = await sandbox.resolveEntry('link', 'read');
    expect(entry?.path).toBe(path.join(tree.root, 'link'));
    expect(entry?.stats.isSymbolicLink()).toBe(true);
  });

  it('sandbox:entry-link — a percent-encoded file: URI names the decoded entry', async () => {
    await fs.writeFile(path.join(tree.root, 'a b.txt'), 'x');
    const entry = await sandbox.resolveEntry(pathToFileURL(path.join(tree.root, 'a b.txt')).href, 'read');
    expect(entry?.path).toBe(path.join(tree.root, 'a b.txt'));
  });

  it('sandbox:entry-link — a root itself has no entry; a secret is denied; a parent outside is refused', async () => {
    expect(await sandbox.resolveEntry(tree.root, 'read')).toBeUndefined();
    await fs.writeFile(path.join(tree.root, '.env'), 'x');
    await expectSandboxError(sandbox.resolveEntry('.env', 'read'), 'denied');
    await expectSandboxError(sandbox.resolveEntry('a\0b', 'read'), 'invalid-path');
    await fs.symlink(tree.outside, path.join(tree.root, 'out'));
    await expectSandboxError(sandbox.resolveEntry('out/x', 'read'), 'outside-roots');
  });
});
