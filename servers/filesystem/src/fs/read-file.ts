import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import type { ResolvedPath, Sandbox } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';

/** A whole file read through the sandbox. */
export interface VerifiedFile {
  resolved: ResolvedPath;
  stats: Stats;
  bytes: Buffer;
  /** Hex SHA-256 of the bytes: what reads return and stale-edit checks compare. */
  sha256: string;
}

/**
 * Hex SHA-256 of file content.
 *
 * @param bytes - file content
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Resolves, opens (open-then-verify) and reads a whole regular file.
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @param maxBytes - largest file loaded whole
 * @param access - `write` when the caller will replace the file
 * @returns the content and its hash
 * @throws SandboxError from resolution and verification; ToolError when the file is over `maxBytes`
 */
export async function readVerifiedFile(
  sandbox: Sandbox,
  input: string,
  maxBytes: number,
  access: 'read' | 'write' = 'read',
): Promise<VerifiedFile> {
  const resolved = await sandbox.resolve(input, access);
  const { handle, stats } = await sandbox.open(resolved, 'file');
  try {
    if (stats.size > maxBytes) {
      throw new ToolError(
        `"${input}" is ${stats.size} bytes, over the ${maxBytes}-byte limit for whole-file operations; read it with head, tail or a line range.`,
      );
    }
    const bytes = await handle.readFile();
    return { resolved, stats, bytes, sha256: sha256Hex(bytes) };
  } finally {
    await handle.close();
  }
}

/**
 * Refuses a change when the file no longer has the content the client last read.
 *
 * @param expected - the `sha256` the client passed (undefined skips the check)
 * @param actual - the current hash
 * @param input - path for the message
 * @throws ToolError when they differ
 */
export function assertNotStale(expected: string | undefined, actual: string, input: string): void {
  if (expected !== undefined && expected.toLowerCase() !== actual) {
    throw new ToolError(
      `"${input}" changed since it was read (its sha256 is now ${actual.slice(0, 12)}...); read it again and redo the change.`,
    );
  }
}
