/**
 * Shared helpers for the hardening tests: a real temporary tree (no fs mocks) and an assertion that
 * a promise is refused by the sandbox with one exact code.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import {
  createDenyList,
  type DenyList,
  type HardLinkPolicy,
  type Root,
  Sandbox,
  SandboxError,
  type SandboxErrorCode,
} from '../src/index.js';

/** A fresh temporary tree: `base/root` is the operator root, `base/outside` lies beside it. */
export interface TempTree {
  /** Canonical temporary directory that holds everything. */
  base: string;
  /** Canonical operator root. */
  root: string;
  /** Canonical directory outside the root. */
  outside: string;
}

/**
 * Creates a canonical temporary tree under `os.tmpdir()`.
 *
 * @returns the tree; remove it with {@link removeTempTree}
 */
export async function makeTempTree(): Promise<TempTree> {
  const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-hardening-')));
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  await fs.mkdir(root);
  await fs.mkdir(outside);
  return { base, root, outside };
}

/** Removes a tree made by {@link makeTempTree}. */
export async function removeTempTree(tree: TempTree | undefined): Promise<void> {
  if (tree) await fs.rm(tree.base, { recursive: true, force: true });
}

/** Creates a real FIFO with mkfifo(1). */
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/**
 * Builds a sandbox over the given roots.
 *
 * @param roots - canonical roots (strings are read-write roots)
 * @param options - policy overrides
 */
export function makeSandbox(
  roots: readonly (string | Root)[],
  options: { hardLinks?: HardLinkPolicy; readOnly?: boolean; denyList?: DenyList } = {},
): Sandbox {
  return new Sandbox({
    roots: roots.map((root) => (typeof root === 'string' ? { path: root, readOnly: false } : root)),
    denyList: options.denyList ?? createDenyList(),
    hardLinks: options.hardLinks ?? 'deny',
    readOnly: options.readOnly ?? false,
  });
}

/**
 * Asserts that `promise` rejects with a SandboxError of exactly `code`. When it resolves instead
 * and the value holds a file handle, the handle is closed before the test fails, so a wrongly
 * returned handle is reported rather than leaked.
 *
 * @returns the error, for further checks on its message
 */
export async function expectSandboxError(
  promise: Promise<unknown>,
  code: SandboxErrorCode,
): Promise<SandboxError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe(code);
    return error as SandboxError;
  }
  const handle = (value as { handle?: { close?: () => Promise<void> } } | undefined)?.handle;
  await handle?.close?.();
  throw new Error(`expected SandboxError "${code}", but the call succeeded`);
}
