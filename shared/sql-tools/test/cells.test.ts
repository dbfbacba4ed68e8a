import { describe, expect, it } from 'vitest';
import { toCell } from '../src/cells.js';

describe('toCell', () => {
  it('keeps strings, finite numbers, booleans and null', () => {
    expect(['a', 1, -2.5, true, false, null].map(toCell)).toEqual(['a', 1, -2.5, true, false, null]);
  });

  it('turns undefined into null', () => {
    expect(toCell(undefined)).toBeNull();
  });

  it('turns bigint into its exact decimal string', () => {
    expect(toCell(2n ** 64n)).toBe('18446744073709551616');
    expect(toCell(-5n)).toBe('-5');
  });

  it('turns non-finite numbers into strings (JSON has no NaN or Infinity)', () => {
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(toCell)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
  });

  it('turns dates into ISO 8601 UTC, and an invalid date into "Invalid Date"', () => {
    expect(toCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
    expect(toCell(new Date(Number.NaN))).toBe('Invalid Date');
  });

  it('turns bytes into {$base64}', () => {
    expect(toCell(Buffer.from('hi'))).toEqual({ $base64: 'aGk=' });
    expect(toCell(new Uint8Array([0, 255]))).toEqual({ $base64: 'AP8=' });
    expect(toCell(new Uint8Array([1, 2, 3, 4]).subarray(1, 3))).toEqual({ $base64: 'AgM=' });
    expect(toCell(new Uint8Array([7]).buffer)).toEqual({ $base64: 'Bw==' });
  });

  it('converts array elements and object values recursively', () => {
    expect(toCell([1n, new Date(0), null])).toEqual(['1', '1970-01-01T00:00:00.000Z', null]);
    expect(toCell({ a: { b: 3n }, c: [Buffer.from([1])] })).toEqual({
      a: { b: '3' },
      c: [{ $base64: 'AQ==' }],
    });
  });

  it('uses toJSON when an object has one', () => {
    expect(toCell({ toJSON: () => ({ hours: 1n }) })).toEqual({ hours: '1' });
  });

  it('keeps a __proto__ key of a JSON value as a plain key', () => {
    const cell = toCell(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.keys(cell)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(cell)).toBe(Object.prototype);
  });

  it('always yields something JSON.stringify keeps as is', () => {
    const values = [1n, Number.NaN, new Date(0), Buffer.from('x'), { a: [2n] }, undefined];
    for (const value of values) {
      const cell = toCell(value);
      expect(JSON.parse(JSON.stringify(cell))).toEqual(cell);
    }
  });
});
