import { stringify } from 'csv-stringify/sync';
import type { CellValue, ColumnInfo } from './driver.js';

/** The text renderings a query result can be asked for. */
export type RowFormat = 'json' | 'csv' | 'markdown';

/** What a rendering needs: the columns and the rows of one page. */
export interface RowSet {
  columns: readonly ColumnInfo[];
  rows: readonly (readonly CellValue[])[];
}

/**
 * Renders one page of rows as text.
 *
 * - `json`: compact `{"columns":[{"name","type"}...],"rows":[[...]...]}`, exact.
 * - `csv`: see {@link toCsv}; `null` and `''` both become an empty field.
 * - `markdown`: see {@link toMarkdownTable}; `null` and `''` both become an empty cell.
 *
 * @param page - columns and rows (cells already JSON-safe, see `toCell`)
 * @param format - which rendering
 * @returns the text
 * @example formatRows({ columns: [{ name: 'n', type: 'integer' }], rows: [[1]] }, 'csv'); // "n\n1"
 */
export function formatRows(page: RowSet, format: RowFormat): string {
  switch (format) {
    case 'csv':
      return toCsv(page);
    case 'markdown':
      return toMarkdownTable(page);
    default:
      return JSON.stringify({ columns: page.columns, rows: page.rows });
  }
}

/**
 * Renders a cell as plain text: `null` → empty, strings as they are, numbers and booleans with
 * `String()`, objects and arrays (JSON values, `{ "$base64": ... }`) as compact JSON.
 *
 * @param cell - a JSON-safe cell
 * @returns its text
 */
export function cellText(cell: CellValue): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/**
 * Renders rows as CSV with a header row of column names. Quoting follows RFC 4180 §2: a field
 * that contains a comma, a double quote, CR or LF is enclosed in double quotes, and a double
 * quote inside it is doubled. Records end with LF (not the RFC's CRLF) and the last one has no
 * line end. Cells are rendered with {@link cellText}.
 *
 * @param page - columns and rows
 * @returns the CSV text (an empty string when there are no columns)
 * @example toCsv({ columns: [{ name: 'a', type: 'text' }], rows: [['x,"y"']] }); // 'a\n"x,""y"""'
 */
export function toCsv(page: RowSet): string {
  if (page.columns.length === 0) return '';
  const records = [page.columns.map((column) => column.name), ...page.rows.map((row) => row.map(cellText))];
  return stringify(records, { record_delimiter: 'unix', eof: false, quoted_match: /\r/ });
}

/**
 * Renders rows as a GitHub Flavored Markdown table (GFM spec, "Tables (extension)"). In every
 * cell and header a `|` becomes `\|` and a line break (CRLF, CR or LF) becomes `<br>`, so no value
 * can end a cell or a row. Cells are rendered with {@link cellText}.
 *
 * @param page - columns and rows
 * @returns the table (`(no columns)` when the result has none)
 * @example toMarkdownTable({ columns: [{ name: 'a', type: 'text' }], rows: [['x|y']] }); // "| a |\n| --- |\n| x\\|y |"
 */
export function toMarkdownTable(page: RowSet): string {
  if (page.columns.length === 0) return '(no columns)';
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
  return [
    line(page.columns.map((column) => column.name)),
    `|${page.columns.map(() => ' --- ').join('|')}|`,
    ...page.rows.map((row) => line(row.map(cellText))),
  ].join('\n');
}

/**
 * Escapes text for one GFM table cell: `|` → `\|`, CRLF/CR/LF → `<br>`.
 *
 * @param text - the cell's text
 * @returns text that stays inside its cell
 */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, '<br>');
}
