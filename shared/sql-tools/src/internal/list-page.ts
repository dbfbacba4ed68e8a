import { decodePageCursor, encodePageCursor } from '@bulwark/hardening';

/** Entries in one page of `list_schemas` or `list_tables`. */
export const LIST_PAGE_SIZE = 500;

/** One page of a catalog listing. */
export interface ListPage<T> {
  items: T[];
  /** Entries before this page. */
  offset: number;
  total: number;
  truncated: boolean;
  nextCursor?: string;
}

/**
 * Cuts a full catalog listing into pages of {@link LIST_PAGE_SIZE}, continued by an opaque cursor
 * bound to the listing and its arguments.
 *
 * @param kind - the tool name (a cursor of another tool is refused)
 * @param query - the arguments that define the listing
 * @param cursor - from the previous page, if any
 * @param all - every entry, in a stable order
 * @throws InvalidCursorError when the cursor is malformed or of another listing
 */
export function pageList<T>(
  kind: string,
  query: unknown,
  cursor: string | undefined,
  all: readonly T[],
): ListPage<T> {
  const offset = decodePageCursor(kind, cursor, query);
  const items = all.slice(offset, offset + LIST_PAGE_SIZE);
  const next = offset + items.length;
  const truncated = next < all.length;
  return {
    items,
    offset,
    total: all.length,
    truncated,
    ...(truncated ? { nextCursor: encodePageCursor(kind, query, next) } : {}),
  };
}
