import { truncateUtf8 } from '@bulwark/hardening';
import { jsdiff } from '../lazy.js';

/** Largest diff returned in a result (64 KiB of UTF-8); a longer one is cut at a line boundary. */
export const MAX_DIFF_BYTES = 64 * 1024;

/**
 * Milliseconds the diff algorithm may run before giving up on a very different text. The diff
 * runs synchronously: jsdiff's callback mode yields to a timer after every edit step, which makes
 * a diff of a few thousand changed lines take seconds.
 */
const DIFF_TIMEOUT_MS = 1_000;

/** A unified diff, cut to the byte budget. */
export interface RenderedDiff {
  /** Unified diff (`---`/`+++` headers, 3 lines of context); empty when the texts are equal. */
  diff: string;
  /** True when the diff was cut at {@link MAX_DIFF_BYTES} or could not be computed in time. */
  truncated: boolean;
}

/**
 * Renders a unified diff between two texts, cut to {@link MAX_DIFF_BYTES} at a line boundary.
 * When the texts differ too much to diff within 1 s, the result is a one-line note with
 * `truncated: true`.
 *
 * @param displayPath - the path as the client gave it, used in both file headers
 * @param oldText - text before the change (`''` for a new file)
 * @param newText - text after the change
 * @returns the diff and whether it was cut
 * @example renderDiff('a.txt', 'x\n', 'y\n'); // { diff: '--- a.txt\n+++ a.txt\n@@ -1,1 +1,1 @@\n-x\n+y\n', truncated: false }
 */
export function renderDiff(displayPath: string, oldText: string, newText: string): RenderedDiff {
  if (oldText === newText) return { diff: '', truncated: false };
  const patch = jsdiff().createTwoFilesPatch(
    displayPath,
    displayPath,
    oldText,
    newText,
    undefined,
    undefined,
    {
      context: 3,
      headerOptions: jsdiff().FILE_HEADERS_ONLY,
      timeout: DIFF_TIMEOUT_MS,
    },
  );
  if (patch === undefined)
    return { diff: '[diff not shown: the change is too large to diff]\n', truncated: true };
  const cut = truncateUtf8(patch, MAX_DIFF_BYTES);
  if (!cut.truncated) return { diff: patch, truncated: false };
  const lastNewline = cut.text.lastIndexOf('\n');
  return {
    diff: `${cut.text.slice(0, lastNewline + 1)}[diff truncated at ${MAX_DIFF_BYTES} bytes]\n`,
    truncated: true,
  };
}

/**
 * The stand-in for a diff when the old content is binary (or in no decodable encoding).
 *
 * @param displayPath - the path as the client gave it
 * @param oldBytes - size of the old content
 * @param newBytes - size of the new content
 * @returns a diff-shaped note, never truncated
 */
export function describeBinaryChange(displayPath: string, oldBytes: number, newBytes: number): RenderedDiff {
  return {
    diff: `--- ${displayPath}\n+++ ${displayPath}\n[binary content replaced: ${oldBytes} bytes before, ${newBytes} after]\n`,
    truncated: false,
  };
}

/**
 * Wraps a diff in a Markdown ```` ```diff ```` fence, with a longer fence when the diff itself
 * contains a run of backticks (CommonMark: the closing fence must be at least as long).
 *
 * @param diff - unified diff text
 * @returns the fenced block
 */
export function fenceDiff(diff: string): string {
  const longestRun = Math.max(0, ...(diff.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}diff\n${diff}${diff.endsWith('\n') ? '' : '\n'}${fence}`;
}
