/** Public API of `@bulwark/hardening/limits`: budgets, deadlines, truncation and cursors. */
export { type BoundedLineMatcher, createBoundedLineMatcher } from './bounded-regex.js';
export { BudgetExceededError, type Budgets, DEFAULT_BUDGETS } from './budgets.js';
export {
  cursorOffset,
  decodeCursor,
  decodePageCursor,
  encodeCursor,
  encodePageCursor,
  InvalidCursorError,
} from './cursor.js';
export { createDeadline, type Deadline } from './deadline.js';
export { type TruncatedText, truncateUtf8 } from './truncate.js';
