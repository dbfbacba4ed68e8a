import { type Sandbox, SandboxError } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import { assertNotStale, readVerifiedFile, type VerifiedFile } from './read-file.js';

/**
 * Reads a file a writer is about to replace or extend, or gives undefined when it does not exist
 * yet. The file is resolved with `write` access and read through a verified handle.
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @param maxBytes - largest file loaded whole (`config.budgets.maxFileBytes`)
 * @returns the file, or undefined when nothing exists at the path
 * @throws SandboxError for every refusal other than `not-found` (a directory is `wrong-kind`);
 *   ToolError when the file is over `maxBytes`
 */
export async function readExistingFile(
  sandbox: Sandbox,
  input: string,
  maxBytes: number,
): Promise<VerifiedFile | undefined> {
  try {
    return await readVerifiedFile(sandbox, input, maxBytes, 'write');
  } catch (error) {
    if (error instanceof SandboxError && error.code === 'not-found') return undefined;
    throw error;
  }
}

/**
 * Refuses a write when the client's `expected_sha256` no longer describes the file: it differs,
 * or the file is gone.
 *
 * @param existing - from {@link readExistingFile}
 * @param expected - the client's `expected_sha256` (undefined skips the check)
 * @param input - the path as the client gave it
 * @throws ToolError when the file changed or no longer exists
 */
export function assertExpectedContent(
  existing: VerifiedFile | undefined,
  expected: string | undefined,
  input: string,
): void {
  if (existing) assertNotStale(expected, existing.sha256, input);
  else if (expected !== undefined) {
    throw new ToolError(`"${input}" no longer exists; omit expected_sha256 to create it.`);
  }
}
