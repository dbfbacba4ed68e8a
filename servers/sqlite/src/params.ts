/**
 * Binding a list of values to a statement's parameters by number: value `i` goes to parameter
 * `i + 1`, whatever the placeholder looks like (`?`, `?NNN`, `:name`, `@name`, `$name`).
 *
 * better-sqlite3 binds an argument list only to anonymous `?` parameters and wants an object,
 * keyed by name, for every named one, and SQLite counts `?NNN` as named. So the parameter numbers
 * are worked out here the way SQLite assigns them (https://sqlite.org/c3ref/bind_blob.html):
 * `?` takes one more than the largest number so far, `?NNN` takes NNN, and a name takes the next
 * number on first use and the same number again after. The placeholders themselves come from
 * the guard's tokenizer (`sqliteParameters`), so strings, quoted identifiers and comments are
 * read the same way by both.
 */
import { sqliteParameters } from '@bulwark/hardening/sql';

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
  for (const placeholder of sqliteParameters(sql)) {
    if (placeholder === '?') {
      largest++;
    } else if (placeholder.startsWith('?')) {
      const number = Number(placeholder.slice(1));
      // The first name given to a number is the one SQLite reports.
      if (!names.has(number)) names.set(number, placeholder);
      largest = Math.max(largest, number);
    } else if (placeholder.length > 1 && !numbers.has(placeholder)) {
      largest++;
      numbers.set(placeholder, largest);
      names.set(largest, placeholder);
    }
  }
  return names;
}
