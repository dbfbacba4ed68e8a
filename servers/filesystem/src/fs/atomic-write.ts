import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedPath, Sandbox } from '@bulwark/hardening';

/**
 * Writes a file atomically: a temp file beside the target (created exclusively, never through a
 * symlink), the bytes written and fsync'd, the mode set, then renamed over the target and the
 * directory fsync'd. Readers see the old content or the new, never a mix; a failure leaves the
 * target untouched and removes the temp file.
 *
 * Renaming replaces the directory entry, so a hard link to the old file keeps the old content:
 * writes never reach through a hard link to a file outside the roots.
 *
 * @param sandbox - re-checks the directory just before the rename
 * @param target - resolved with `write` access
 * @param data - the complete new content
 * @param mode - permission bits to keep (default: 0o666 less the umask)
 * @throws errno errors from the file system; SandboxError `swapped` if the directory moved
 */
export async function writeFileAtomic(
  sandbox: Sandbox,
  target: ResolvedPath,
  data: Uint8Array,
  mode?: number,
): Promise<void> {
  const directory = path.dirname(target.real);
  const temp = path.join(directory, `.${path.basename(target.real)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode ?? 0o666,
  );
  try {
    await handle.writeFile(data);
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await sandbox.assertStillInside(directory);
    await rename(temp, target.real);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** fsyncs a directory so a rename in it survives a crash; best effort (not every OS allows it). */
export async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  }
}
