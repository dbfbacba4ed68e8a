/**
 * Binding a list of values to a statement's parameters by number: value `i` goes to parameter
 * `i + 1`, whatever the placeholder looks like (`?`, `?NNN`, `:name`, `@name`, `$name`).
 *
 * better-sqlite3 binds an argument list only to anonymous `?` parameters and wants an object,
 * keyed by name, for every named one, and SQLite counts `?NNN` as named. So the parameter numbers
 * are worked out here the way SQLite assigns them (https://sqlite.org/c3ref/bind_blob.html):
 * `?` takes one more than the largest number so far, `?NNN` takes NNN, and a name takes the next
 * number on first use and the same number again after. Placeholders inside strings, quoted
 * identifiers and comments are not placeholders.
 */

/** A bound value as better-sqlite3 takes it. */
export type BindValue = string | number | bigint | Buffer | null;

/**
 * The arguments for `statement.run/get/all/iterate(...)` that bind `values` by parameter number.
 * A count mismatch is left to better-sqlite3, which reports it ("Too few parameter values",
 * "Missing named parameter", "Too many parameter values").
 *
 * @param sql - the statement's text
 * @param values - one value per parameter number, in order
 * @returns positional values, followed by one object of named values when there are any
 * @example bindArguments('SELECT ?2, ?1', ['a', 'b']); // [{ '1': 'a', '2': 'b' }]
 */
export function bindArguments(sql: string, values: readonly BindValue[]): unknown[] {
  const names = parameterNames(sql);
  if (names.size === 0) return [...values];
  const anonymous: BindValue[] = [];
  // A null prototype: a parameter named :__proto__ stays a plain key. better-sqlite3 accepts
  // objects whose prototype is null as named-parameter objects.
  const named: Record<string, BindValue> = Object.create(null);
  values.forEach((value, index) => {
    const name = names.get(index + 1);
    if (name === undefined) anonymous.push(value);
    // better-sqlite3 keys a parameter by its name without the leading ?, :, @ or $.
    else named[name.slice(1)] = value;
  });
  return [...anonymous, named];
}

/**
 * The named parameters of a statement (`?NNN` counts as named, as SQLite reports it), by number.
 *
 * @param sql - the statement's text
 * @returns parameter number → name as written (`?2`, `:id`)
 */
export function parameterNames(sql: string): Map<number, string> {
  const names = new Map<number, string>();
  const numbers = new Map<string, number>();
  let largest = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = afterQuoted(sql, i + 1, c);
    } else if (c === '[') {
      const end = sql.indexOf(']', i + 1);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '?') {
      let end = i + 1;
      while (end < sql.length && isDigit(sql[end]!)) end++;
      if (end === i + 1) {
        largest++;
      } else {
        const number = Number(sql.slice(i + 1, end));
        // The first name given to a number is the one SQLite reports.
        if (!names.has(number)) names.set(number, sql.slice(i, end));
        largest = Math.max(largest, number);
      }
      i = end;
    } else if (c === ':' || c === '@' || c === '$') {
      const end = afterIdentifier(sql, i + 1);
      const name = sql.slice(i, end);
      if (end > i + 1 && !numbers.has(name)) {
        largest++;
        numbers.set(name, largest);
        names.set(largest, name);
      }
      i = Math.max(end, i + 1);
    } else if (isIdentifierStart(c) || isDigit(c)) {
      // Words and numbers whole, so the `$` inside an identifier such as a$b is not a parameter.
      i = afterIdentifier(sql, i + 1);
    } else {
      i++;
    }
  }
  return names;
}

/** Index after the quote that closes a quoted token begun before `from` (a doubled quote escapes). */
function afterQuoted(sql: string, from: number, quote: string): number {
  let i = from;
  for (;;) {
    const end = sql.indexOf(quote, i);
    if (end === -1) return sql.length;
    if (sql[end + 1] !== quote) return end + 1;
    i = end + 2;
  }
}

/** SQLite identifier characters: ASCII letters, `_`, and every non-ASCII character. */
function isIdentifierStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) >= 0x80;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** End of a run of identifier characters (letters, digits, `_`, `$`, non-ASCII) from `from`. */
function afterIdentifier(sql: string, from: number): number {
  let end = from;
  while (end < sql.length && (isIdentifierStart(sql[end]!) || isDigit(sql[end]!) || sql[end] === '$')) end++;
  return end;
}
