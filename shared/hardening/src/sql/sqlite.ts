import { SqlGuardError } from './errors.js';

/** What kind of read statement passed {@link assertReadOnlySqlite}. */
export interface SqliteStatementInfo {
  /** `select` covers `SELECT`, `WITH ... SELECT` and `VALUES`; `explain` covers `EXPLAIN [QUERY PLAN]`. */
  kind: 'select' | 'explain' | 'pragma';
  /** For `kind: 'pragma'`: the pragma's name, in lower case, without its schema. */
  pragma?: string;
}

/**
 * Pragmas that only report: schema introspection, build facts and file statistics. Only their read
 * form runs (`PRAGMA name`, `PRAGMA schema.name`, and `PRAGMA name(arg)` for the introspection
 * pragmas whose argument is a table or index name or a row limit); the assignment forms
 * `PRAGMA name = value` and `PRAGMA name(value)` are always refused. The same names are the only
 * `pragma_<name>` table-valued functions allowed inside a SELECT.
 *
 * Left out on purpose:
 * - `journal_mode`: its read form shares the code that switches modes, and SQLite reports even
 *   `PRAGMA journal_mode` as not read-only (`sqlite3_stmt_readonly` is false), so it could never pass;
 * - `query_only`, `writable_schema`, `trusted_schema`, `cell_size_check`, `recursive_triggers`,
 *   `cache_size`, `temp_store_directory` and every other setting: their read form is harmless but the
 *   same name with an argument changes the connection (`query_only` would turn off the engine's own
 *   read-only mode), so a name is either fully allowed or not at all;
 * - `optimize`, `wal_checkpoint`, `incremental_vacuum`, `shrink_memory`: they act, whatever the form
 *   (`SELECT * FROM pragma_optimize` runs ANALYZE and creates `sqlite_stat1` although SQLite calls it
 *   read-only).
 *
 * `integrity_check` and `quick_check` are allowed: they only read, and their cost (one pass over the
 * file) is bounded by the database size, unlike a recursive CTE that any SELECT may contain; time is
 * bounded by the server's query budget, not by this guard.
 *
 * Sources: https://sqlite.org/pragma.html (pragma list and table-valued pragma functions).
 */
export const SQLITE_SAFE_PRAGMAS: ReadonlySet<string> = new Set([
  'application_id',
  'collation_list',
  'compile_options',
  'database_list',
  'encoding',
  'foreign_key_check',
  'foreign_key_list',
  'foreign_keys',
  'freelist_count',
  'function_list',
  'index_info',
  'index_list',
  'index_xinfo',
  'integrity_check',
  'page_count',
  'page_size',
  'quick_check',
  'schema_version',
  'table_info',
  'table_list',
  'table_xinfo',
  'user_version',
]);

/** Safe pragmas whose parenthesised argument names a table or index or limits rows: a read, not a set. */
const PRAGMAS_WITH_READ_ARGUMENT: ReadonlySet<string> = new Set([
  'foreign_key_check',
  'foreign_key_list',
  'index_info',
  'index_list',
  'index_xinfo',
  'integrity_check',
  'quick_check',
  'table_info',
  'table_list',
  'table_xinfo',
]);

/**
 * Functions refused wherever they are called: they load native code (`load_extension`), read or
 * write host files (`readfile`, `writefile`, `edit`, and the `fsdir` and `zipfile` table-valued
 * functions of the CLI's fileio and zipfile extensions), or leak and register C pointers
 * (`fts3_tokenizer`). Most builds (better-sqlite3's included) lack some of them; they are refused
 * anyway so that the answer does not depend on the build.
 */
const REFUSED_FUNCTIONS: ReadonlySet<string> = new Set([
  'edit',
  'fsdir',
  'fts3_tokenizer',
  'load_extension',
  'readfile',
  'writefile',
  'zipfile',
]);

/** Every keyword that can start an SQLite statement (https://sqlite.org/lang.html). */
const SQLITE_STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'ALTER',
  'ANALYZE',
  'ATTACH',
  'BEGIN',
  'COMMIT',
  'CREATE',
  'DELETE',
  'DETACH',
  'DROP',
  'END',
  'INSERT',
  'REINDEX',
  'RELEASE',
  'REPLACE',
  'ROLLBACK',
  'SAVEPOINT',
  'UPDATE',
  'VACUUM',
]);

/** The error better-sqlite3 throws (a RangeError) when `prepare` is given more than one statement. */
const MORE_THAN_ONE_STATEMENT = /more than one statement/i;

const ALLOWED_KINDS = 'only SELECT, WITH ... SELECT, VALUES, EXPLAIN and read-only PRAGMA statements run';

/**
 * Checks that one SQL string is a single read-only statement before a SQLite server runs it.
 *
 * Rules, by requirement id, in the order they apply:
 * 1. `sql:empty` nothing but whitespace, comments and semicolons;
 * 2. `sql:parse-error` a NUL character (SQLite stops reading at it, so the text after it would be
 *    checked here but never seen by the engine);
 * 3. `sql:statement-kind` the leading keyword is not SELECT, WITH (whose main statement must be
 *    SELECT or VALUES), VALUES, EXPLAIN or PRAGMA. `EXPLAIN [QUERY PLAN] X` is checked as X: EXPLAIN
 *    of a write, an ATTACH or a refused pragma is refused like the statement itself, although
 *    EXPLAIN would not run it, so that EXPLAIN never reports on something the guard refuses. Text
 *    that starts no SQLite statement at all (`SELEC 1`, `(SELECT 1)`) is compiled first, so that
 *    SQLite's syntax error is what the caller sees;
 * 4. `sql:pragma` a pragma outside {@link SQLITE_SAFE_PRAGMAS}, and every assignment form
 *    (`PRAGMA name = value`, and `PRAGMA name(value)` except for the introspection pragmas whose
 *    argument is a table or index name);
 * 5. `sql:multiple-statements` anything but comments and semicolons after the first `;`;
 * 6. `sql:function` a call of load_extension, readfile, writefile, edit, fsdir, zipfile or
 *    fts3_tokenizer, quoted or not, with comments before its `(`; and `sql:pragma` again for a
 *    `pragma_<name>` table-valued function (or a string used as a table name) outside the safe set;
 * 7. the engine: `prepare(sql)` compiles the statement without running it. A RangeError saying
 *    "more than one statement" (better-sqlite3's) is `sql:multiple-statements`; every other error
 *    (syntax error, no such table or column) is not a guard decision and propagates unchanged, so
 *    the server reports SQLite's own message;
 * 8. `sql:not-read-only` the prepared statement's `readonly` (sqlite3_stmt_readonly) is not true.
 *
 * Rules 1 to 6 read the text with a tokenizer that follows SQLite's own (tokenize.c): strings,
 * quoted identifiers (`"x"`, `[x]`, `` `x` ``), blobs, numbers, `--` and `/* *\/` comments, and
 * ASCII-only case folding; they come first so that the same text gets the same rule with every
 * SQLite version and binding (SQLite's own flag for VACUUM INTO or REINDEX varies). The engine flag
 * alone is not enough: SQLite reports ATTACH, DETACH, BEGIN, COMMIT, SAVEPOINT, `PRAGMA query_only
 * = 0` and `SELECT * FROM pragma_optimize` (which runs ANALYZE) as read-only. Servers should still
 * open the database read-only as well; this guard is the layer that explains refusals.
 *
 * @param sql - one statement as the client sent it; a trailing `;` and comments are fine
 * @param prepare - compiles without running, e.g. `(s) => db.prepare(s)` with better-sqlite3; only
 *   its `readonly` flag is read. Passed in so that this package has no native dependency.
 * @returns what kind of read statement it is (and the pragma name for a pragma)
 * @throws SqlGuardError `empty`, `parse-error`, `multiple-statements`, `statement-kind`, `pragma`,
 *   `function` or `not-read-only`; any error of `prepare` other than "more than one statement" is
 *   rethrown as it is
 * @example
 * const info = assertReadOnlySqlite('PRAGMA table_info(users)', (s) => db.prepare(s));
 * // { kind: 'pragma', pragma: 'table_info' }
 */
export function assertReadOnlySqlite(
  sql: string,
  prepare: (sql: string) => { readonly: boolean },
): SqliteStatementInfo {
  const { statement, semicolon } = soleStatement(sql, 'read-only', `send one statement; ${ALLOWED_KINDS}`);
  const compile = (): { readonly: boolean } => {
    try {
      return prepare(sql);
    } catch (error) {
      if (error instanceof RangeError && MORE_THAN_ONE_STATEMENT.test(error.message))
        throw multipleStatements('read-only');
      throw error;
    }
  };
  const info = classify(semicolon === -1 ? statement : statement.slice(0, semicolon), compile);
  assertNothingAfter(statement, semicolon, 'read-only');
  assertNoRefusedNames(statement);
  if (compile().readonly !== true) {
    throw new SqlGuardError(
      'not-read-only',
      'SQLite reports that this statement can change the database: only read-only statements run.',
    );
  }
  return info;
}

/** Leading keywords of the statements a write-mode `execute` may run. */
const WRITE_KINDS: ReadonlySet<string> = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'CREATE',
  'DROP',
  'ALTER',
  'ANALYZE',
  'REINDEX',
  'WITH',
]);

/**
 * The guard for a write-mode `execute` on SQLite: exactly one statement that changes the
 * database, run by the server inside its own transaction. Refused, each with `statement-kind`:
 * transaction control (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE: they would end or
 * escape the server's transaction), ATTACH and DETACH (ATTACH opens or creates any file),
 * VACUUM (VACUUM INTO writes a copy anywhere), PRAGMA (some change the connection without being
 * "writes"), and statements SQLite reports as read-only (those belong to `query`).
 *
 * @param sql - one statement as the client sent it
 * @param prepare - compiles without running, e.g. `(s) => db.prepare(s)`; only `readonly` is read
 * @throws SqlGuardError `empty`, `parse-error`, `multiple-statements`, `function` or `statement-kind`;
 *   other `prepare` errors (syntax, no such table) are rethrown as they are
 * @example assertWriteStatementSqlite('INSERT INTO t VALUES (1)', (s) => db.prepare(s));
 */
export function assertWriteStatementSqlite(
  sql: string,
  prepare: (sql: string) => { readonly: boolean },
): void {
  const { statement, semicolon } = soleStatement(sql, 'write', 'send one statement');
  assertNothingAfter(statement, semicolon, 'write');
  try {
    assertNoRefusedNames(statement);
  } catch (error) {
    if (error instanceof SqlGuardError) throw new SqlGuardError(error.rule, error.reason, 'write');
    throw error;
  }
  const keyword = keywordOf(statement[0]);
  const refusal = new SqlGuardError(
    'statement-kind',
    'execute runs one statement that changes the database (INSERT, UPDATE, DELETE, REPLACE, CREATE, ALTER, DROP); reads go through query, and transaction control, ATTACH, DETACH, VACUUM and PRAGMA are not run.',
    'write',
  );
  if (!keyword || !WRITE_KINDS.has(keyword)) throw refusal;
  let compiled: { readonly: boolean };
  try {
    compiled = prepare(sql);
  } catch (error) {
    if (error instanceof RangeError && MORE_THAN_ONE_STATEMENT.test(error.message))
      throw multipleStatements('write');
    throw error;
  }
  if (compiled.readonly) throw refusal;
}

/**
 * The opening checks both guards share: the SQL has a statement (not only whitespace, comments
 * and semicolons) and no NUL (after which SQLite ignores the rest of the text).
 *
 * @returns the tokens from the first statement on, and the index of its first semicolon (-1 if none)
 * @throws SqlGuardError `empty` or `parse-error`
 */
function soleStatement(
  sql: string,
  guard: SqlGuardError['guard'],
  remedy: string,
): { statement: Token[]; semicolon: number } {
  const tokens = tokenize(sql);
  let first = 0;
  while (tokens[first]?.type === 'semicolon') first++;
  if (first === tokens.length) {
    throw new SqlGuardError(
      'empty',
      `The SQL has no statement (only whitespace or comments): ${remedy}.`,
      guard,
    );
  }
  if (sql.includes('\0')) {
    throw new SqlGuardError(
      'parse-error',
      'The SQL contains a NUL character, after which SQLite ignores the rest of the text: remove it.',
      guard,
    );
  }
  const statement = tokens.slice(first);
  return { statement, semicolon: statement.findIndex((token) => token.type === 'semicolon') };
}

/** @throws SqlGuardError `multiple-statements` when anything but semicolons follows the first one */
function assertNothingAfter(
  statement: readonly Token[],
  semicolon: number,
  guard: SqlGuardError['guard'],
): void {
  if (semicolon !== -1 && statement.slice(semicolon).some((token) => token.type !== 'semicolon')) {
    throw multipleStatements(guard);
  }
}

/**
 * The parameter placeholders of a SQLite statement in order of appearance, as written (`?`, `?2`,
 * `:id`, `@id`, `$id`, `#id`), read with SQLite's own tokenizer rules: placeholders inside strings,
 * quoted identifiers, blobs and comments are not placeholders.
 *
 * @param sql - the statement's text
 * @returns the placeholders, duplicates included
 * @example sqliteParameters("SELECT ?2, ':x', :id -- ?9"); // ['?2', ':id']
 */
export function sqliteParameters(sql: string): string[] {
  return tokenize(sql)
    .filter((token) => token.type === 'variable')
    .map((token) => token.value);
}

/** Sorts of token; whitespace and comments are dropped. */
type TokenType =
  | 'word' // bare identifier or keyword
  | 'quoted' // "identifier", [identifier], `identifier`
  | 'string' // 'literal'
  | 'blob' // x'00'
  | 'number'
  | 'variable' // ?1, :name, @name, $name
  | 'semicolon'
  | 'punct'; // any other single character, including ones SQLite rejects

interface Token {
  type: TokenType;
  /** Identifiers and strings unquoted; other tokens as written. */
  value: string;
}

/**
 * Splits SQL into tokens the way SQLite's tokenizer does, for the parts that matter here. A
 * character SQLite would reject becomes a `punct` token, so the engine reports the syntax error.
 */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r') {
      i++;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      // SQLite accepts a block comment left open at the end of the text.
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i + 1, c);
      const value = sql.slice(i + 1, end).replaceAll(c + c, c);
      tokens.push({ type: c === "'" ? 'string' : 'quoted', value });
      i = end + 1;
    } else if (c === '[') {
      const end = sql.indexOf(']', i + 1);
      const stop = end === -1 ? sql.length : end;
      tokens.push({ type: 'quoted', value: sql.slice(i + 1, stop) });
      i = stop + 1;
    } else if ((c === 'x' || c === 'X') && next === "'") {
      // A blob ends at the first quote: x'' 'a' is a blob and a string, not x'\'a'.
      const end = sql.indexOf("'", i + 2);
      const stop = end === -1 ? sql.length : end;
      tokens.push({ type: 'blob', value: sql.slice(i, stop + 1) });
      i = stop + 1;
    } else if (isIdStart(c)) {
      const end = scanIdChars(sql, i + 1);
      tokens.push({ type: 'word', value: sql.slice(i, end) });
      i = end;
    } else if (isDigit(c) || (c === '.' && next !== undefined && isDigit(next))) {
      const end = scanNumber(sql, i);
      tokens.push({ type: 'number', value: sql.slice(i, end) });
      i = end;
    } else if (c === '?') {
      let end = i + 1;
      while (end < sql.length && isDigit(sql[end]!)) end++;
      tokens.push({ type: 'variable', value: sql.slice(i, end) });
      i = end;
    } else if (c === ':' || c === '@' || c === '$' || c === '#') {
      const end = scanIdChars(sql, i + 1);
      tokens.push({ type: 'variable', value: sql.slice(i, end) });
      i = end;
    } else {
      tokens.push({ type: c === ';' ? 'semicolon' : 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/** Index of the quote that closes a quoted token starting at `from` (doubled quotes escape), or the end. */
function closingQuote(sql: string, from: number, quote: string): number {
  let i = from;
  for (;;) {
    const end = sql.indexOf(quote, i);
    if (end === -1) return sql.length;
    if (sql[end + 1] !== quote) return end;
    i = end + 2;
  }
}

/** SQLite identifier characters: ASCII letters, `_`, and every non-ASCII character (any byte >= 0x80). */
function isIdStart(c: string): boolean {
  return /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdChar(c: string): boolean {
  return isIdStart(c) || isDigit(c) || c === '$';
}

/**
 * End of the number at `from`, as SQLite's tokenizer reads it: `0x` hex digits, or digits, an
 * optional fraction and an exponent whose sign is only taken before a digit (`0xE-abs(1)` is
 * 14 minus a call of abs), with `_` separators. Identifier characters glued to a number belong to
 * it (SQLite rejects the whole token).
 */
function scanNumber(sql: string, from: number): number {
  const digitsFrom = (start: number, hex: boolean): number => {
    let end = start;
    while (
      end < sql.length &&
      (isDigit(sql[end]!) || sql[end] === '_' || (hex && /[a-fA-F]/.test(sql[end]!)))
    ) {
      end++;
    }
    return end;
  };
  let end: number;
  if (sql[from] === '0' && /[xX]/.test(sql[from + 1] ?? '') && /[0-9a-fA-F]/.test(sql[from + 2] ?? '')) {
    end = digitsFrom(from + 2, true);
  } else {
    end = digitsFrom(from, false);
    if (sql[end] === '.') end = digitsFrom(end + 1, false);
    const sign = sql[end + 1] === '+' || sql[end + 1] === '-' ? 1 : 0;
    if ((sql[end] === 'e' || sql[end] === 'E') && isDigit(sql[end + 1 + sign] ?? '')) {
      end = digitsFrom(end + 1 + sign, false);
    }
  }
  while (end < sql.length && isIdChar(sql[end]!)) end++;
  return end;
}

/** End of a run of identifier characters (letters, digits, `_`, `$`, non-ASCII) from `from`. */
function scanIdChars(sql: string, from: number): number {
  let end = from;
  while (end < sql.length && isIdChar(sql[end]!)) end++;
  return end;
}

/** ASCII-only lower case, as SQLite compares names (`ſ` is not `s`, `K` (Kelvin) is not `k`). */
function foldCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The upper-cased keyword of a bare word token, else undefined. */
function keywordOf(token: Token | undefined): string | undefined {
  return token?.type === 'word' ? foldCase(token.value).toUpperCase() : undefined;
}

/** A name as SQLite reads it: a bare or quoted identifier, or a string literal where a name is expected. */
function nameOf(token: Token | undefined): string | undefined {
  return token && (token.type === 'word' || token.type === 'quoted' || token.type === 'string')
    ? foldCase(token.value)
    : undefined;
}

/**
 * Rules `statement-kind` and `pragma` for one statement (without its trailing semicolons).
 * `compile` surfaces SQLite's syntax error when the text is too malformed to classify.
 */
function classify(statement: readonly Token[], compile: () => unknown): SqliteStatementInfo {
  const keyword = keywordOf(statement[0]);
  switch (keyword) {
    case 'SELECT':
    case 'VALUES':
      return { kind: 'select' };
    case 'WITH':
      return classifyWith(statement, compile);
    case 'PRAGMA':
      return classifyPragma(statement);
    case 'EXPLAIN': {
      const plan = keywordOf(statement[1]) === 'QUERY' && keywordOf(statement[2]) === 'PLAN';
      const explained = statement.slice(plan ? 3 : 1);
      if (keywordOf(explained[0]) === 'EXPLAIN') compile();
      if (explained.length === 0) compile();
      classify(explained, compile);
      return { kind: 'explain' };
    }
    default:
      // Not the start of any SQLite statement: SQLite's syntax error says more than a refusal.
      if (keyword === undefined || !SQLITE_STATEMENT_KEYWORDS.has(keyword)) compile();
      throw new SqlGuardError(
        'statement-kind',
        `${keyword ? `${excerpt(keyword)} statements are` : 'This statement is'} not allowed: ${ALLOWED_KINDS}.`,
      );
  }
}

/**
 * `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (...), ... main`: the main statement
 * must be SELECT or VALUES (a CTE in front of INSERT, UPDATE, DELETE or REPLACE is a write).
 */
function classifyWith(statement: readonly Token[], compile: () => unknown): SqliteStatementInfo {
  let i = keywordOf(statement[1]) === 'RECURSIVE' ? 2 : 1;
  for (;;) {
    if (nameOf(statement[i]) === undefined) break;
    i++;
    if (statement[i]?.value === '(' && statement[i]?.type === 'punct') i = skipGroup(statement, i);
    if (keywordOf(statement[i]) !== 'AS') break;
    i++;
    if (keywordOf(statement[i]) === 'NOT') i++;
    if (keywordOf(statement[i]) === 'MATERIALIZED') i++;
    if (statement[i]?.value !== '(' || statement[i]?.type !== 'punct') break;
    i = skipGroup(statement, i);
    if (statement[i]?.value === ',' && statement[i]?.type === 'punct') {
      i++;
      continue;
    }
    const main = keywordOf(statement[i]);
    if (main === 'SELECT' || main === 'VALUES') return { kind: 'select' };
    if (main === undefined) break;
    throw new SqlGuardError('statement-kind', `WITH ... ${excerpt(main)} is not allowed: ${ALLOWED_KINDS}.`);
  }
  // Not a WITH clause this reader understands: let SQLite name the syntax error, else refuse.
  compile();
  throw new SqlGuardError('statement-kind', `This WITH statement could not be checked: ${ALLOWED_KINDS}.`);
}

/** Index just after the `)` that closes the `(` at `open` (or the end of the statement). */
function skipGroup(statement: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < statement.length; i++) {
    const token = statement[i]!;
    if (token.type !== 'punct') continue;
    if (token.value === '(') depth++;
    if (token.value === ')' && --depth === 0) return i + 1;
  }
  return statement.length;
}

/** `PRAGMA [schema.]name`, or `PRAGMA [schema.]name(arg)` for a pragma whose argument is a read. */
function classifyPragma(statement: readonly Token[]): SqliteStatementInfo {
  let i = 1;
  let name = nameOf(statement[i]);
  if (statement[i + 1]?.value === '.' && statement[i + 1]?.type === 'punct') {
    i += 2;
    name = nameOf(statement[i]);
  }
  if (name === undefined) {
    throw new SqlGuardError('pragma', `This PRAGMA has no name: use PRAGMA name, e.g. PRAGMA table_list.`);
  }
  const shown = `PRAGMA ${excerpt(name)}`;
  if (!SQLITE_SAFE_PRAGMAS.has(name)) {
    throw new SqlGuardError(
      'pragma',
      `${shown} is not allowed: only informational pragmas run (${safeList()}).`,
    );
  }
  const rest = statement.slice(i + 1);
  if (rest.length === 0) return { kind: 'pragma', pragma: name };
  if (rest[0]?.value === '=') {
    throw new SqlGuardError(
      'pragma',
      `${shown} = ... changes a setting: only the read form PRAGMA name runs.`,
    );
  }
  if (PRAGMAS_WITH_READ_ARGUMENT.has(name) && isPragmaArgument(rest)) return { kind: 'pragma', pragma: name };
  throw new SqlGuardError(
    'pragma',
    PRAGMAS_WITH_READ_ARGUMENT.has(name)
      ? `${shown} takes one table or index name: use ${shown}(name).`
      : `${shown}(...) changes a setting: only the read form ${shown} runs.`,
  );
}

/** `( value )` where value is one name, string or (signed) number. */
function isPragmaArgument(rest: readonly Token[]): boolean {
  const signed = rest[1]?.value === '-' || rest[1]?.value === '+' ? 1 : 0;
  const value = rest[1 + signed];
  const valueOk = signed
    ? value?.type === 'number'
    : value !== undefined && ['word', 'quoted', 'string', 'number'].includes(value.type);
  return (
    rest.length === 3 + signed &&
    rest[0]?.value === '(' &&
    rest[0]?.type === 'punct' &&
    valueOk &&
    rest[2 + signed]?.value === ')' &&
    rest[2 + signed]?.type === 'punct'
  );
}

/**
 * Rules `function` and `pragma` over every token of the statement: refused function calls, and
 * `pragma_<name>` table-valued functions (SQLite also takes `'pragma_x'` as a table name) outside
 * the safe set. A string literal that is exactly such a name is refused too: a false positive that
 * `'pragma_' || 'x'` avoids.
 */
function assertNoRefusedNames(statement: readonly Token[]): void {
  for (let i = 0; i < statement.length; i++) {
    const token = statement[i]!;
    const name = nameOf(token);
    if (name === undefined) continue;
    const next = statement[i + 1];
    const called = next?.type === 'punct' && next.value === '(';
    if (called && token.type !== 'string' && REFUSED_FUNCTIONS.has(name)) {
      throw new SqlGuardError(
        'function',
        `${excerpt(name)}() is not allowed: it loads native code or reads or writes host files.`,
      );
    }
    if (name.startsWith('pragma_') && !SQLITE_SAFE_PRAGMAS.has(name.slice('pragma_'.length))) {
      throw new SqlGuardError(
        'pragma',
        `${excerpt(name)} is not allowed: only the table-valued functions of informational pragmas run (${safeList()}).`,
      );
    }
  }
}

function multipleStatements(guard: SqlGuardError['guard']): SqlGuardError {
  return new SqlGuardError(
    'multiple-statements',
    'The SQL contains more than one statement: send one per call.',
    guard,
  );
}

/** At most 40 characters of a name for a message, without line breaks. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat;
}

function safeList(): string {
  return [...SQLITE_SAFE_PRAGMAS].join(', ');
}
