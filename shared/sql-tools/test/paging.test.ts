import { describe, expect, it } from 'vitest';
import { collectPage, collectPageAsync } from '../src/paging.js';

const columns = [{ name: 'n', type: 'integer' }];
const rows = (count: number) => Array.from({ length: count }, (_, index) => [index + 1]);

describe('collectPage', () => {
  it('returns every row, untruncated, when the result fits', () => {
    const page = collectPage(columns, rows(3), { offset: 0, maxRows: 3, maxBytes: 1000 });
    expect(page).toEqual({ columns, rows: [[1], [2], [3]], truncated: false });
  });

  it('stops at maxRows and says where the next page begins', () => {
    const page = collectPage(columns, rows(5), { offset: 1, maxRows: 2, maxBytes: 1000 });
    expect(page.rows).toEqual([[2], [3]]);
    expect(page).toMatchObject({ truncated: true, truncatedBy: 'rows', nextOffset: 3 });
  });

  it('stops before the row that would pass maxBytes', () => {
    // Each row [n] is 3 bytes of JSON plus one separator.
    const page = collectPage(columns, rows(9), { offset: 0, maxRows: 100, maxBytes: 10 });
    expect(page.rows).toEqual([[1], [2]]);
    expect(page).toMatchObject({ truncated: true, truncatedBy: 'bytes', nextOffset: 2 });
  });

  it('always keeps one row, however large', () => {
    const page = collectPage(columns, [['x'.repeat(1000)], ['y']], { offset: 0, maxRows: 10, maxBytes: 10 });
    expect(page.rows).toHaveLength(1);
    expect(page).toMatchObject({ truncated: true, truncatedBy: 'bytes', nextOffset: 1 });
  });

  it('converts cells with toCell', () => {
    const page = collectPage(columns, [[10n, Buffer.from('a')]], { offset: 0, maxRows: 1, maxBytes: 100 });
    expect(page.rows).toEqual([['10', { $base64: 'YQ==' }]]);
  });

  it('reads at most one row past the page', () => {
    let pulled = 0;
    function* source() {
      for (let n = 1; n <= 1000; n++) {
        pulled++;
        yield [n];
      }
    }
    collectPage(columns, source(), { offset: 10, maxRows: 5, maxBytes: 1000 });
    expect(pulled).toBe(16);
  });

  it('calls check while reading, and its error stops the page', () => {
    let checks = 0;
    const check = () => {
      checks++;
      if (checks === 2) throw new Error('time is up');
    };
    expect(() =>
      collectPage(columns, rows(2000), { offset: 0, maxRows: 2000, maxBytes: 1e9, check }),
    ).toThrow('time is up');
    expect(checks).toBe(2);
  });

  it('has an asynchronous twin that cuts the same way', async () => {
    async function* source() {
      yield* rows(5);
    }
    const page = await collectPageAsync(columns, source(), { offset: 3, maxRows: 1, maxBytes: 1000 });
    expect(page).toEqual({ columns, rows: [[4]], truncated: true, truncatedBy: 'rows', nextOffset: 4 });
  });
});
