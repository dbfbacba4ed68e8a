import { toCell } from './cells.js';
import type { CellValue, ColumnInfo, QueryPage } from './driver.js';

/** How {@link collectPage} cuts a result. */
export interface PageLimits {
  /** Rows to skip from the start of the result. */
  offset: number;
  /** Most rows in the page (at least 1). */
  maxRows: number;
  /** Most bytes of JSON-encoded rows in the page; the first row is kept whatever its size. */
  maxBytes: number;
  /** Called every 256 rows read (skipped ones too); throw from it to stop (time budget, cancel). */
  check?: () => void;
}

const CHECK_EVERY = 256;

/**
 * Reads one page out of a stream of raw result rows, the way every driver's `query` must cut
 * it: skips `offset` rows, converts each kept cell with {@link toCell}, and stops at `maxRows`
 * rows or before the row that would push the JSON-encoded rows past `maxBytes` (a page always
 * holds at least one row when the result has one). It reads at most one row past the page, to
 * tell whether more exist, then stops pulling from the iterator (which closes it).
 *
 * Bytes are counted as the UTF-8 length of `JSON.stringify(row)` plus one separator per row.
 * This variant never yields to the event loop, so a synchronous cursor (better-sqlite3's
 * `iterate()`) is never interleaved with other work on the same connection; use
 * {@link collectPageAsync} for asynchronous cursors.
 *
 * @param columns - the result's columns
 * @param rows - raw rows in column order (better-sqlite3 `.raw().iterate()`, an array)
 * @param limits - offset and caps
 * @returns the page; when truncated, `nextOffset` is `offset + rows.length`
 * @throws whatever `limits.check` or the iterator throws
 * @example
 * const page = collectPage(columns, statement.raw().iterate(...params), {
 *   offset, maxRows, maxBytes, check: () => deadline.check(),
 * });
 */
export function collectPage(
  columns: readonly ColumnInfo[],
  rows: Iterable<readonly unknown[]>,
  limits: PageLimits,
): QueryPage {
  const page = new PageCollector(columns, limits);
  for (const raw of rows) if (!page.add(raw)) break;
  return page.result();
}

/**
 * {@link collectPage} for an asynchronous cursor (a pg cursor read in batches, a stream).
 *
 * @param columns - the result's columns
 * @param rows - raw rows in column order
 * @param limits - offset and caps
 * @returns the page
 * @throws whatever `limits.check` or the iterator throws
 */
export async function collectPageAsync(
  columns: readonly ColumnInfo[],
  rows: AsyncIterable<readonly unknown[]>,
  limits: PageLimits,
): Promise<QueryPage> {
  const page = new PageCollector(columns, limits);
  for await (const raw of rows) if (!page.add(raw)) break;
  return page.result();
}

class PageCollector {
  private readonly kept: CellValue[][] = [];
  private bytes = 0;
  private seen = 0;
  private truncatedBy: QueryPage['truncatedBy'];

  constructor(
    private readonly columns: readonly ColumnInfo[],
    private readonly limits: PageLimits,
  ) {}

  /** Takes the next raw row; false when the page is full (stop reading). */
  add(raw: readonly unknown[]): boolean {
    if (++this.seen % CHECK_EVERY === 0) this.limits.check?.();
    if (this.seen <= this.limits.offset) return true;
    if (this.kept.length >= this.limits.maxRows) {
      this.truncatedBy = 'rows';
      return false;
    }
    const row = raw.map(toCell);
    const size = Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
    if (this.kept.length > 0 && this.bytes + size > this.limits.maxBytes) {
      this.truncatedBy = 'bytes';
      return false;
    }
    this.kept.push(row);
    this.bytes += size;
    return true;
  }

  result(): QueryPage {
    const page: QueryPage = { columns: [...this.columns], rows: this.kept, truncated: false };
    if (this.truncatedBy) {
      page.truncated = true;
      page.truncatedBy = this.truncatedBy;
      page.nextOffset = this.limits.offset + this.kept.length;
    }
    return page;
  }
}
