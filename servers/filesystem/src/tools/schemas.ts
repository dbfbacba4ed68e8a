import * as z from 'zod';

/**
 * A path argument: absolute, relative to the first allowed directory, `~/...` or a `file://` URI.
 * Bounded at 4096 characters (Linux PATH_MAX).
 *
 * @param description - what the path names, for the field's `.describe()`
 */
export function pathArg(description: string): z.ZodString {
  return z.string().min(1).max(4096).describe(description);
}
