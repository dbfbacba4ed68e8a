/**
 * Default budgets. Every read, list, walk and search has one; a result cut by a budget says so
 * (`truncated: true`) and carries the cursor or index that continues it.
 */
export const DEFAULT_BUDGETS = {
  /** Bytes of file content returned by one text read (256 KiB). */
  readBytes: 256 * 1024,
  /** Largest file a whole-file read or edit loads into memory (32 MiB). */
  maxFileBytes: 32 * 1024 * 1024,
  /** Bytes of one media file returned as base64 (10 MiB). */
  mediaBytes: 10 * 1024 * 1024,
  /** Entries in one page of a listing or search. */
  pageEntries: 500,
  /** Entries in one directory tree. */
  treeEntries: 2_000,
  /** Depth of a directory tree. */
  treeDepth: 6,
  /** Matches returned by one content search. */
  searchMatches: 200,
  /** Files scanned by one content search before it stops. */
  searchFiles: 50_000,
  /** Wall-clock seconds for one walk or search. */
  walkSeconds: 30,
} as const;

/** The type of {@link DEFAULT_BUDGETS}. */
export type Budgets = { -readonly [K in keyof typeof DEFAULT_BUDGETS]: number };

/** A budget that ran out: which one, so a result can name it. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  /**
   * @param budget - which budget ran out (`time`, `entries`, `bytes`, ...)
   * @param message - one line of cause and remedy
   */
  constructor(
    readonly budget: string,
    message: string,
  ) {
    super(message);
  }
}
