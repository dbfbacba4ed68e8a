import { describe, expect, it } from 'vitest';
import { cellText, formatRows, toCsv, toMarkdownTable } from '../src/format.js';

const columns = [
  { name: 'id', type: 'integer' },
  { name: 'note', type: 'text' },
];

describe('formatRows json', () => {
  it('is compact JSON of columns and rows, exact for every cell kind', () => {
    const rows = [
      [1, null],
      [2, { $base64: 'aGk=' }],
      [3, [1, 'a']],
      [true, 'x'],
    ];
    const text = formatRows({ columns, rows }, 'json');
    expect(text).not.toMatch(/\n/);
    expect(JSON.parse(text)).toEqual({ columns, rows });
  });
});

describe('toCsv', () => {
  it('writes a header row, then one record per row', () => {
    expect(
      toCsv({
        columns,
        rows: [
          [1, 'a'],
          [2, 'b'],
        ],
      }),
    ).toBe('id,note\n1,a\n2,b');
  });

  it('quotes fields with commas, quotes, LF and CR, doubling quotes (RFC 4180 §2)', () => {
    const csv = toCsv({
      columns,
      rows: [
        [1, 'a,b'],
        [2, 'say "hi"'],
        [3, 'two\nlines'],
        [4, 'cr\ronly'],
      ],
    });
    expect(csv).toBe('id,note\n1,"a,b"\n2,"say ""hi"""\n3,"two\nlines"\n4,"cr\ronly"');
  });

  it('quotes column names that need it', () => {
    expect(toCsv({ columns: [{ name: 'a,b', type: '' }], rows: [] })).toBe('"a,b"');
  });

  it('writes null as an empty field, booleans as words, objects as JSON', () => {
    const csv = toCsv({
      columns: [
        { name: 'n', type: '' },
        { name: 'b', type: '' },
        { name: 'f', type: '' },
        { name: 'j', type: '' },
      ],
      rows: [[null, true, false, { a: 1 }]],
    });
    expect(csv).toBe('n,b,f,j\n,true,false,"{""a"":1}"');
  });

  it('is empty without columns', () => {
    expect(toCsv({ columns: [], rows: [] })).toBe('');
  });
});

describe('toMarkdownTable', () => {
  it('renders a GFM table', () => {
    expect(toMarkdownTable({ columns, rows: [[1, 'a']] })).toBe('| id | note |\n| --- | --- |\n| 1 | a |');
  });

  it('escapes | and turns line breaks into <br> in cells and headers', () => {
    const table = toMarkdownTable({
      columns: [{ name: 'a|b', type: '' }],
      rows: [['x|y'], ['one\ntwo\r\nthree\rfour']],
    });
    const lines = table.split('\n');
    expect(lines).toEqual(['| a\\|b |', '| --- |', '| x\\|y |', '| one<br>two<br>three<br>four |']);
  });

  it('keeps an empty result to its header', () => {
    expect(formatRows({ columns, rows: [] }, 'markdown')).toBe('| id | note |\n| --- | --- |');
  });

  it('says so when there are no columns', () => {
    expect(toMarkdownTable({ columns: [], rows: [] })).toBe('(no columns)');
  });
});

describe('cellText', () => {
  it('renders each cell kind', () => {
    expect([null, 'a', 1.5, false, { $base64: 'AA==' }, [1]].map((cell) => cellText(cell))).toEqual([
      '',
      'a',
      '1.5',
      'false',
      '{"$base64":"AA=="}',
      '[1]',
    ]);
  });
});
