/**
 * Budgets: UTF-8 truncation on character boundaries, opaque cursors, and deadlines tied to a
 * cancellation signal.
 */
import { describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  createBoundedLineMatcher,
  createDeadline,
  cursorOffset,
  DEFAULT_BUDGETS,
  decodeCursor,
  decodePageCursor,
  encodeCursor,
  encodePageCursor,
  InvalidCursorError,
  truncateUtf8,
} from '../src/index.js';

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Checks every invariant of a truncation at `max` bytes. */
function checkCut(text: string, max: number): void {
  const result = truncateUtf8(text, max);
  const total = byteLength(text);
  expect(result.text.includes('\ufffd'), `cut at ${max} produced U+FFFD`).toBe(false);
  expect(text.startsWith(result.text), `cut at ${max} is not a prefix`).toBe(true);
  expect(result.bytes).toBe(byteLength(result.text));
  expect(result.bytes).toBeLessThanOrEqual(Math.max(0, max));
  expect(result.truncated).toBe(total > max);
  if (result.truncated) {
    // The cut is as late as possible: the next whole code point would not have fitted.
    const next = String.fromCodePoint(text.slice(result.text.length).codePointAt(0) ?? 0);
    expect(result.bytes + byteLength(next)).toBeGreaterThan(max);
  } else {
    expect(result.text).toBe(text);
  }
}

describe('truncateUtf8', () => {
  it('limits:truncate — text within the budget is returned whole and not truncated', () => {
    expect(truncateUtf8('hello', 5)).toEqual({ text: 'hello', truncated: false, bytes: 5 });
    expect(truncateUtf8('hello', 100)).toEqual({ text: 'hello', truncated: false, bytes: 5 });
    expect(truncateUtf8('', 0)).toEqual({ text: '', truncated: false, bytes: 0 });
  });

  it('limits:truncate — ASCII is cut exactly at the budget', () => {
    expect(truncateUtf8('hello', 3)).toEqual({ text: 'hel', truncated: true, bytes: 3 });
    expect(truncateUtf8('hello', 0)).toEqual({ text: '', truncated: true, bytes: 0 });
  });

  it('limits:truncate — the documented example: a 2-byte character is not split', () => {
    expect(truncateUtf8('héllo', 2)).toEqual({ text: 'h', truncated: true, bytes: 1 });
    expect(truncateUtf8('héllo', 3)).toEqual({ text: 'hé', truncated: true, bytes: 3 });
  });

  it('limits:truncate — emoji (4 bytes) are never split, at every cut point', () => {
    const text = 'a😀b🎉🎉c👍';
    for (let max = 0; max <= byteLength(text) + 1; max++) checkCut(text, max);
  });

  it('limits:truncate — CJK (3 bytes) is never split, at every cut point', () => {
    const text = '漢字かなカナ한국어x中';
    for (let max = 0; max <= byteLength(text) + 1; max++) checkCut(text, max);
  });

  it('limits:truncate — mixed 1-, 2-, 3- and 4-byte text is never split, at every cut point', () => {
    const text = 'aé漢😀\u{10FFFF}ß€𝄞 👨‍👩‍👧 z';
    for (let max = 0; max <= byteLength(text) + 1; max++) checkCut(text, max);
  });

  it('limits:truncate — a negative budget keeps nothing', () => {
    expect(truncateUtf8('abc', -5)).toEqual({ text: '', truncated: true, bytes: 0 });
  });

  it('limits:truncate — a fractional budget is floored to whole bytes and never splits a character', () => {
    expect(truncateUtf8('aé', 2.5)).toEqual({ text: 'a', truncated: true, bytes: 1 });
    expect(truncateUtf8('abc', 1.9)).toEqual({ text: 'a', truncated: true, bytes: 1 });
  });
});

describe('cursors', () => {
  it('limits:cursor — encode then decode returns the same state without the kind', () => {
    const state = { offset: 500, query: 'TODO', nested: { path: 'a/b', list: [1, 2] }, unicode: '漢😀' };
    const cursor = encodeCursor('search_files', state);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('search_files', cursor)).toEqual(state);
    expect(decodeCursor('search_files', encodeCursor('search_files', {}))).toEqual({});
  });

  it('limits:cursor — a cursor of another kind is refused', () => {
    const cursor = encodeCursor('list_directory', { offset: 10 });
    expect(() => decodeCursor('search_files', cursor)).toThrow(InvalidCursorError);
    expect(() => decodeCursor('search_files', cursor)).toThrow(/does not belong to search_files/);
  });

  it('limits:cursor — garbage is refused with InvalidCursorError', () => {
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
    for (const garbage of [
      '',
      '!!!',
      'not a cursor',
      b64('not json'),
      b64('null'),
      b64('42'),
      b64('"search_files"'),
      b64('[1,2]'),
      b64('{"offset":1}'),
      b64('{"k":1}'),
      b64('{"k":null}'),
      b64('{"k":"search_files"'),
    ]) {
      expect(() => decodeCursor('search_files', garbage), garbage).toThrow(InvalidCursorError);
    }
  });

  it('limits:cursor — InvalidCursorError is an Error with its own name', () => {
    try {
      decodeCursor('k', '!!!');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('InvalidCursorError');
    }
  });

  it('limits:cursor — cursorOffset accepts non-negative safe integers', () => {
    expect(cursorOffset({ offset: 0 })).toBe(0);
    expect(cursorOffset({ offset: 1234 })).toBe(1234);
    expect(cursorOffset({ offset: Number.MAX_SAFE_INTEGER })).toBe(Number.MAX_SAFE_INTEGER);
    expect(cursorOffset({ page: 3 }, 'page')).toBe(3);
  });

  it('limits:cursor — cursorOffset refuses missing, negative, fractional, huge and non-number values', () => {
    for (const value of [
      undefined,
      null,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      '5',
      [5],
      {},
    ]) {
      expect(() => cursorOffset({ offset: value }), String(value)).toThrow(InvalidCursorError);
    }
    expect(() => cursorOffset({ offset: 5 }, 'page')).toThrow(InvalidCursorError);
  });

  it('limits:cursor — a decoded cursor is validated field by field', () => {
    const tampered = encodeCursor('search_files', { offset: -10 });
    expect(() => cursorOffset(decodeCursor('search_files', tampered))).toThrow(InvalidCursorError);
  });
});

describe('createDeadline', () => {
  it('limits:deadline — with a fake clock, time runs out exactly at the budget', () => {
    let now = 1_000_000;
    const deadline = createDeadline(60_000, undefined, () => now);
    expect(deadline.remainingMs()).toBe(60_000);
    expect(deadline.expired()).toBe(false);
    expect(() => deadline.check()).not.toThrow();
    now += 59_999;
    expect(deadline.remainingMs()).toBe(1);
    expect(deadline.expired()).toBe(false);
    expect(() => deadline.check()).not.toThrow();
    now += 1;
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.expired()).toBe(true);
    expect(() => deadline.check()).toThrow(BudgetExceededError);
    now += 10_000;
    expect(deadline.remainingMs()).toBe(0);
    try {
      deadline.check();
      expect.unreachable();
    } catch (error) {
      expect((error as BudgetExceededError).budget).toBe('time');
      expect((error as BudgetExceededError).message).toBe('Time budget of 60 s ran out.');
    }
  });

  it('limits:deadline — an already aborted parent signal cancels at once', () => {
    const controller = new AbortController();
    controller.abort();
    const deadline = createDeadline(60_000, controller.signal, () => 0);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(true);
    expect(deadline.remainingMs()).toBe(60_000);
    try {
      deadline.check();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BudgetExceededError);
      expect((error as BudgetExceededError).budget).toBe('cancelled');
    }
  });

  it('limits:deadline — a parent aborted later propagates to the signal and check()', () => {
    const controller = new AbortController();
    const deadline = createDeadline(60_000, controller.signal);
    expect(deadline.signal.aborted).toBe(false);
    expect(() => deadline.check()).not.toThrow();
    controller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(true);
    expect(() => deadline.check()).toThrow(expect.objectContaining({ budget: 'cancelled' }));
  });

  it('limits:deadline — the signal aborts on the real clock when time is up', async () => {
    const deadline = createDeadline(5);
    await new Promise<void>((resolve) =>
      deadline.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    expect(deadline.expired()).toBe(true);
    expect(() => deadline.check()).toThrow(expect.objectContaining({ budget: 'time' }));
  });

  it('limits:deadline — a zero or negative budget is expired at once', () => {
    const deadline = createDeadline(-100, undefined, () => 0);
    expect(deadline.expired()).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
    expect(() => deadline.check()).toThrow(expect.objectContaining({ budget: 'time' }));
  });

  it('limits:deadline — a fractional budget is accepted', () => {
    let now = 0;
    const deadline = createDeadline(1500.5, undefined, () => now);
    expect(deadline.remainingMs()).toBe(1500.5);
    now = 1500;
    expect(deadline.expired()).toBe(false);
    now = 1501;
    expect(deadline.expired()).toBe(true);
  });

  it('limits:deadline — a budget longer than a Node timer can hold does not fire early', async () => {
    const deadline = createDeadline(3_000_000_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired()).toBe(false);
    expect(() => deadline.check()).not.toThrow();
  });
});

describe('DEFAULT_BUDGETS and BudgetExceededError', () => {
  it('limits:budgets — every default budget is a positive integer', () => {
    for (const [name, value] of Object.entries(DEFAULT_BUDGETS)) {
      expect(Number.isSafeInteger(value) && value > 0, name).toBe(true);
    }
    expect(DEFAULT_BUDGETS.readBytes).toBe(256 * 1024);
  });

  it('limits:budgets — BudgetExceededError names the budget that ran out', () => {
    const error = new BudgetExceededError('entries', 'Too many entries.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BudgetExceededError');
    expect(error.budget).toBe('entries');
    expect(error.message).toBe('Too many entries.');
  });
});

describe('cursor kind cannot be overridden by state', () => {
  it('limits:cursor-kind — a state field named k does not change the cursor kind', () => {
    const cursor = encodeCursor('list_directory', { k: 'search_files', offset: 3 });
    expect(() => decodeCursor('search_files', cursor)).toThrow(InvalidCursorError);
    expect(decodeCursor('list_directory', cursor)).toEqual({ offset: 3 });
  });
});

describe('page cursors bound to their query', () => {
  it('limits:cursor-query — a page cursor continues only the query it was made for', () => {
    const query = { path: 'src', pattern: '*.ts' };
    const cursor = encodePageCursor('search_files', query, 500);
    expect(decodePageCursor('search_files', cursor, { ...query })).toBe(500);
    expect(decodePageCursor('search_files', undefined, query)).toBe(0);
    expect(() => decodePageCursor('search_files', cursor, { path: 'src', pattern: '*.md' })).toThrow(
      InvalidCursorError,
    );
    expect(() => decodePageCursor('list_directory', cursor, query)).toThrow(InvalidCursorError);
  });
});

describe('createBoundedLineMatcher', () => {
  it('limits:regex-time — returns the matching lines, ignoring CR before LF', () => {
    const matcher = createBoundedLineMatcher('^b', 'u');
    expect(matcher.matchLines('a\r\nb\r\nc\nbb', 1000)).toEqual([1, 3]);
  });

  it('limits:regex-time — a catastrophically backtracking pattern is stopped at its budget', () => {
    const matcher = createBoundedLineMatcher('^(a+)+$', 'u');
    // Unbounded, this input backtracks for many minutes, so the test would hit vitest's timeout.
    expect(() => matcher.matchLines(`${'a'.repeat(40)}!`, 100)).toThrow(BudgetExceededError);
    expect(matcher.matchLines('aaa', 1000)).toEqual([0]);
  });
});
