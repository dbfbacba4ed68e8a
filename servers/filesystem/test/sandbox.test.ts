import { mkdir, symlink } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createTempTree, structuredOf, type TempTree, textOf } from '@bulwark/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startFilesystem } from './helpers.js';

let base: TempTree;

beforeEach(async () => {
  base = await createTempTree({
    root: { 'inside.txt': 'inside\n', sub: { 'deep.txt': 'deep\n' }, other: { 'o.txt': 'other\n' } },
    'root-evil': { 'secret.txt': 'evil twin\n' },
    outside: { 'secret.txt': 'outside\n' },
  });
  await symlink(base.path('outside'), base.path('root/dir-link'));
  await symlink(base.path('outside/new.txt'), base.path('root/dangling'));
});

afterEach(async () => {
  await base.remove();
});

const refused = (result: { isError?: boolean; content?: unknown }, pattern: RegExp) => {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(pattern);
  expect(textOf(result)).not.toContain(base.path('outside'));
};

describe('escapes over stdio', () => {
  it('sandbox:prefix — refuses a sibling that shares the root as a string prefix', async () => {
    const session = await startFilesystem([base.path('root')]);
    try {
      refused(
        await call(session, 'read_text_file', { path: base.path('root-evil/secret.txt') }),
        /outside the allowed/,
      );
      refused(
        await call(session, 'read_text_file', { path: '../root-evil/secret.txt' }),
        /outside the allowed/,
      );
    } finally {
      await session.close();
    }
  });

  it('sandbox:symlink-parent — refuses reads and writes through a symlinked directory that leaves the root', async () => {
    const session = await startFilesystem([base.path('root')]);
    try {
      refused(await call(session, 'read_text_file', { path: 'dir-link/secret.txt' }), /outside the allowed/);
      refused(await call(session, 'list_directory', { path: 'dir-link' }), /outside the allowed/);
      refused(
        await call(session, 'write_file', { path: 'dir-link/planted.txt', content: 'x' }),
        /outside the allowed/,
      );
    } finally {
      await session.close();
    }
  });

  it('sandbox:symlink-dangling — refuses to create a file through a dangling link that points outside', async () => {
    const session = await startFilesystem([base.path('root')]);
    try {
      refused(
        await call(session, 'write_file', { path: 'dangling', content: 'planted' }),
        /outside the allowed/,
      );
      refused(await call(session, 'create_directory', { path: 'dir-link/made' }), /outside the allowed/);
    } finally {
      await session.close();
    }
  });

  it('sandbox:read-only — a :ro root refuses writes but allows reads', async () => {
    const session = await startFilesystem([`${base.path('root')}:ro`]);
    try {
      expect(
        structuredOf<{ content: string }>(await call(session, 'read_text_file', { path: 'inside.txt' }))
          .content,
      ).toBe('inside\n');
      refused(await call(session, 'write_file', { path: 'inside.txt', content: 'changed' }), /read-only/);
    } finally {
      await session.close();
    }
  });

  it('sandbox:read-only — a :ro root in BULWARK_FS_ROOTS stays read-only; the next root stays writable', async () => {
    const session = await startFilesystem([], {
      env: { BULWARK_FS_ROOTS: `${base.path('root/sub')}:ro:${base.path('root/other')}` },
    });
    try {
      const dirs = structuredOf<{ directories: { path: string; read_only: boolean }[] }>(
        await call(session, 'list_allowed_directories'),
      );
      expect(dirs.directories).toEqual([
        expect.objectContaining({ path: base.path('root/sub'), read_only: true }),
        expect.objectContaining({ path: base.path('root/other'), read_only: false }),
      ]);
      refused(
        await call(session, 'write_file', { path: base.path('root/sub/deep.txt'), content: 'changed' }),
        /read-only/,
      );
      expect(
        (await call(session, 'write_file', { path: base.path('root/other/new.txt'), content: 'new' }))
          .isError,
      ).toBeFalsy();
    } finally {
      await session.close();
    }
  });

  it('sandbox:read-only — --read-only registers no write tools', async () => {
    const session = await startFilesystem([base.path('root'), '--read-only']);
    try {
      const { tools } = await session.client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((tool) => tool.name)).not.toContain('write_file');
    } finally {
      await session.close();
    }
  });
});

describe('client roots (2025-11-25 roots/list)', () => {
  it('sandbox:client-roots — a client root inside the operator root narrows access', async () => {
    const session = await startFilesystem([base.path('root')], {
      roots: [pathToFileURL(base.path('root/sub')).href],
    });
    try {
      const dirs = structuredOf<{ directories: { path: string }[] }>(
        await call(session, 'list_allowed_directories'),
      );
      expect(dirs.directories.map((dir) => dir.path)).toEqual([base.path('root/sub')]);
      refused(
        await call(session, 'read_text_file', { path: base.path('root/inside.txt') }),
        /outside the allowed/,
      );
      expect(
        structuredOf<{ content: string }>(await call(session, 'read_text_file', { path: 'deep.txt' }))
          .content,
      ).toBe('deep\n');
    } finally {
      await session.close();
    }
  });

  it('sandbox:client-roots — a client root wider than the operator root does not widen access', async () => {
    const session = await startFilesystem([base.path('root')], { roots: [pathToFileURL(base.dir).href] });
    try {
      const dirs = structuredOf<{ directories: { path: string }[] }>(
        await call(session, 'list_allowed_directories'),
      );
      expect(dirs.directories.map((dir) => dir.path)).toEqual([base.path('root')]);
      refused(
        await call(session, 'read_text_file', { path: base.path('outside/secret.txt') }),
        /outside the allowed/,
      );
    } finally {
      await session.close();
    }
  });

  it('sandbox:client-roots — a disjoint client root leaves nothing accessible', async () => {
    const session = await startFilesystem([base.path('root')], {
      roots: [pathToFileURL(base.path('outside')).href],
    });
    try {
      refused(
        await call(session, 'read_text_file', { path: base.path('root/inside.txt') }),
        /No directory is accessible/,
      );
      refused(
        await call(session, 'read_text_file', { path: base.path('outside/secret.txt') }),
        /No directory is accessible/,
      );
    } finally {
      await session.close();
    }
  });

  it('sandbox:client-roots — roots/list_changed narrows again', async () => {
    const session = await startFilesystem([base.path('root')], {
      roots: [pathToFileURL(base.path('root')).href],
    });
    try {
      expect(
        structuredOf<{ content: string }>(
          await call(session, 'read_text_file', { path: base.path('root/other/o.txt') }),
        ).content,
      ).toBe('other\n');
      await session.setRoots([pathToFileURL(base.path('root/sub')).href]);
      // The server re-reads the roots on the notification; poll until the narrowing shows.
      let narrowed = false;
      for (let attempt = 0; attempt < 50 && !narrowed; attempt++) {
        const dirs = structuredOf<{ directories: { path: string }[] }>(
          await call(session, 'list_allowed_directories'),
        );
        narrowed = dirs.directories.length === 1 && dirs.directories[0]?.path === base.path('root/sub');
        if (!narrowed) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(narrowed).toBe(true);
      refused(
        await call(session, 'read_text_file', { path: base.path('root/other/o.txt') }),
        /outside the allowed/,
      );
    } finally {
      await session.close();
    }
  });
});

describe('client roots (2026-07-28 input requests)', () => {
  it('sandbox:client-roots — a modern client is asked for its roots and they narrow access', async () => {
    const session = await startFilesystem([base.path('root')], {
      era: 'modern',
      roots: [pathToFileURL(base.path('root/sub')).href],
    });
    try {
      expect(session.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const dirs = structuredOf<{ directories: { path: string }[] }>(
        await call(session, 'list_allowed_directories'),
      );
      expect(dirs.directories.map((dir) => dir.path)).toEqual([base.path('root/sub')]);
      refused(
        await call(session, 'read_text_file', { path: base.path('root/inside.txt') }),
        /outside the allowed/,
      );
    } finally {
      await session.close();
    }
  });
});

describe('hard links and special files over stdio', () => {
  it('sandbox:hard-link — refuses a multiply-linked file unless --allow-hardlinks', async () => {
    const { link } = await import('node:fs/promises');
    await link(base.path('outside/secret.txt'), base.path('root/hard.txt'));
    const strict = await startFilesystem([base.path('root')]);
    try {
      refused(await call(strict, 'read_text_file', { path: 'hard.txt' }), /hard links/);
    } finally {
      await strict.close();
    }
    const lenient = await startFilesystem([base.path('root'), '--allow-hardlinks']);
    try {
      expect(
        structuredOf<{ content: string }>(await call(lenient, 'read_text_file', { path: 'hard.txt' }))
          .content,
      ).toBe('outside\n');
    } finally {
      await lenient.close();
    }
  });

  it('sandbox:special-file — refuses a FIFO without hanging', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [base.path('root/pipe')]);
    await mkdir(base.path('root/empty'));
    const session = await startFilesystem([base.path('root')]);
    try {
      refused(await call(session, 'read_text_file', { path: 'pipe' }), /FIFO, socket or device/);
    } finally {
      await session.close();
    }
  });
});
