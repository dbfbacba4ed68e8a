import type { ResolvedPath, Sandbox } from '@bulwark/hardening';

/**
 * Resolves a path that must be an existing directory, verified by opening it (open-then-verify).
 *
 * @param sandbox - the connection's sandbox
 * @param input - the path as the client gave it
 * @returns the resolved directory
 * @throws SandboxError `not-found`, `wrong-kind` and the other resolution errors
 */
export async function resolveDirectory(sandbox: Sandbox, input: string): Promise<ResolvedPath> {
  const resolved = await sandbox.resolve(input, 'read');
  const { handle } = await sandbox.open(resolved, 'directory');
  await handle.close();
  return resolved;
}
