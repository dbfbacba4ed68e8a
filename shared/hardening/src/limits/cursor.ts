/**
 * Opaque continuation cursors (MCP's `cursor`/`nextCursor` idea, used for tool pagination too).
 *
 * A cursor is base64url JSON `{k, ...state}` where `k` names the listing it belongs to, so a cursor
 * from one tool or query is refused by another. Cursors are not secret and not trusted: every
 * field is validated when decoded, and the paths inside are re-checked by the sandbox.
 */

/** Thrown when a cursor is malformed or belongs to another listing. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * Encodes cursor state.
 *
 * @param kind - the listing the cursor continues (e.g. `search_files`)
 * @param state - JSON-serialisable state (offsets, the query it continues)
 * @returns an opaque base64url string
 */
export function encodeCursor(kind: string, state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ ...state, k: kind }), 'utf8').toString('base64url');
}

/**
 * Decodes and checks a cursor.
 *
 * @param kind - the listing the caller continues; a cursor of another kind is refused
 * @param cursor - the opaque string from a previous result
 * @returns the state object (without `k`)
 * @throws InvalidCursorError when the cursor is malformed or of another kind
 */
export function decodeCursor(kind: string, cursor: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is malformed; pass the next_cursor value exactly as returned.');
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { k?: unknown }).k !== kind) {
    throw new InvalidCursorError(`The cursor does not belong to ${kind}; start again without a cursor.`);
  }
  const { k: _kind, ...state } = parsed as Record<string, unknown>;
  return state;
}

/**
 * Reads a non-negative integer offset from decoded cursor state.
 *
 * @throws InvalidCursorError when the field is missing or not a non-negative safe integer
 */
export function cursorOffset(state: Record<string, unknown>, field = 'offset'): number {
  const value = state[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidCursorError('The cursor is malformed; pass the next_cursor value exactly as returned.');
  }
  return value;
}

/**
 * Encodes a page cursor bound to the query it continues: `offset` items were already returned.
 *
 * @param kind - the listing (tool) name
 * @param query - the arguments that define the listing (not the page size or the cursor)
 * @param offset - items already returned
 * @returns an opaque cursor
 */
export function encodePageCursor(kind: string, query: unknown, offset: number): string {
  return encodeCursor(kind, { q: query, offset });
}

/**
 * Decodes a page cursor and checks that it continues the same query.
 *
 * @param kind - the listing (tool) name
 * @param cursor - from the previous page, or undefined for the first page
 * @param query - the arguments of this call, compared with those the cursor was made for
 * @returns the offset to continue from (0 without a cursor)
 * @throws InvalidCursorError when the cursor is malformed, of another kind or of another query
 */
export function decodePageCursor(kind: string, cursor: string | undefined, query: unknown): number {
  if (cursor === undefined) return 0;
  const state = decodeCursor(kind, cursor);
  if (JSON.stringify(state.q) !== JSON.stringify(query)) {
    throw new InvalidCursorError(
      `The cursor belongs to another ${kind} call; repeat the same arguments or drop the cursor.`,
    );
  }
  return cursorOffset(state);
}
