import { ToolError } from '@bulwark/runtime';

/** One exact-text replacement. */
export interface TextEdit {
  /** Text to find; non-empty. */
  old_text: string;
  /** Replacement text. */
  new_text: string;
  /** Replace every occurrence instead of requiring exactly one. */
  replace_all: boolean;
}

/**
 * Applies exact-text edits in order, each to the result of the one before, all or nothing. Each
 * `old_text` must occur exactly once (non-overlapping count), or at least once with `replace_all`.
 * Replacement is literal: `$` patterns in `new_text` have no special meaning.
 *
 * @param text - the file's text, with `\n` line breaks
 * @param edits - the edits; `old_text` must already use `\n` line breaks
 * @param displayPath - the path as the client gave it, for messages
 * @returns the new text and the number of replacements made by each edit
 * @throws ToolError naming the 1-based edit whose `old_text` is missing or not unique
 * @example applyEdits('a b a', [{ old_text: 'b', new_text: 'c', replace_all: false }], 'f'); // { text: 'a c a', replacements: [1] }
 */
export function applyEdits(
  text: string,
  edits: readonly TextEdit[],
  displayPath: string,
): { text: string; replacements: number[] } {
  const replacements: number[] = [];
  let current = text;
  edits.forEach((edit, index) => {
    const number = index + 1;
    const parts = current.split(edit.old_text);
    const count = parts.length - 1;
    if (count === 0) {
      const earlier = number > 2 ? `edits 1-${number - 1} were` : 'edit 1 was';
      const after = number === 1 ? '' : ` after ${earlier} applied`;
      throw new ToolError(
        `old_text of edit ${number} was not found in "${displayPath}"${after}; read the file again and copy the text exactly.`,
      );
    }
    if (count > 1 && !edit.replace_all) {
      throw new ToolError(
        `old_text of edit ${number} occurs ${count} times; make it unique with more context or set replace_all.`,
      );
    }
    current = parts.join(edit.new_text);
    replacements.push(count);
  });
  return { text: current, replacements };
}
