import { SqlGuardError } from './errors.js';
import { POSTGRES_SAFE_FUNCTIONS } from './postgres-functions.js';

/** What a statement that passed {@link assertReadOnlyPostgres} is. */
export interface PostgresStatementInfo {
  /** `select` covers SELECT, set operations (UNION/INTERSECT/EXCEPT), VALUES and TABLE. */
  kind: 'select' | 'explain' | 'show';
  /** Present for `explain`: true when the plan will be executed (`EXPLAIN ANALYZE`). */
  explainAnalyze?: boolean;
}

/** Options of {@link assertReadOnlyPostgres}. */
export interface PostgresGuardOptions {
  /**
   * Accept `EXPLAIN ANALYZE` (default false). `EXPLAIN ANALYZE` executes its statement, so the
   * statement inside it must still pass the whole read-only walk: with this option an
   * `EXPLAIN ANALYZE DELETE ...` is still refused (`sql:statement-kind`), because explaining a
   * write would perform it. Meant for servers whose operator enabled writes.
   */
  allowAnalyze?: boolean;
}

/**
 * Settings `SHOW` may read (`sql:show-setting`): versions, encodings, locale, formats, time zone,
 * timeouts and the read-only flags a client may want to confirm. `SHOW ALL` and everything else
 * are refused: some settings expose server paths (`data_directory`, `config_file`) or
 * operator-defined values (`app.secret`). This is a limit on the statement form only; the
 * database role's own privileges decide what `pg_settings` and `current_setting()` reveal.
 */
const SHOWABLE_SETTINGS: ReadonlySet<string> = new Set([
  'client_encoding',
  'datestyle',
  'default_transaction_read_only',
  'integer_datetimes',
  'intervalstyle',
  'lc_collate',
  'lc_ctype',
  'lock_timeout',
  'max_connections',
  'max_identifier_length',
  'search_path',
  'server_encoding',
  'server_version',
  'server_version_num',
  'standard_conforming_strings',
  'statement_timeout',
  'timezone',
  'transaction_isolation',
  'transaction_read_only',
  'work_mem',
]);

/** Built-in `TABLESAMPLE` methods; an extension's method is a function like any other. */
const TABLESAMPLE_METHODS: ReadonlySet<string> = new Set(['bernoulli', 'system']);

/** Statements that write even when nested inside a query (CTE, subquery). */
const WRITE_STATEMENTS: ReadonlySet<string> = new Set([
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
]);

/** A parse-tree node type that is a statement (`SelectStmt`, `DeleteStmt`, `CreateTableAsStmt`, ...). */
const STATEMENT_NODE = /^[A-Z][A-Za-z]*Stmt$/;

/** How much of the statement or of a name a refusal may echo. */
const ECHO_LIMIT = 60;

type LibPgQuery = typeof import('libpg-query');

let parserModule: Promise<LibPgQuery> | undefined;

/**
 * Loads libpg-query (the PostgreSQL parser compiled to WASM) on first use only, so that importing
 * `@bulwark/hardening` never loads WASM in servers that do not speak PostgreSQL.
 */
function loadParser(): Promise<LibPgQuery> {
  parserModule ??= import('libpg-query').catch((error: unknown) => {
    parserModule = undefined;
    throw error;
  });
  return parserModule;
}

/**
 * Refuses any PostgreSQL statement that could change data, schema, session or server state, and
 * returns what the statement is. The SQL is parsed by the real PostgreSQL parser (libpg-query, the
 * server's own grammar), so comments, dollar quotes, `E''` strings and Unicode-escaped identifiers
 * are seen exactly as the server sees them.
 *
 * Rules, by requirement id:
 * - `sql:parse-error` the parser rejects the text, or it contains a NUL byte (which the C parser
 *   would silently treat as the end of the statement);
 * - `sql:empty` nothing but whitespace and comments;
 * - `sql:multiple-statements` more than one statement (stops `COMMIT; DROP TABLE x`);
 * - `sql:statement-kind` the statement is not SELECT (including UNION/INTERSECT/EXCEPT, VALUES and
 *   TABLE), EXPLAIN of a SELECT, or SHOW; also any statement other than SELECT nested where a
 *   query is expected, and the statement inside EXPLAIN (so `EXPLAIN ANALYZE DELETE` is refused
 *   here, with or without `allowAnalyze`);
 * - `sql:select-into` SELECT ... INTO (creates a table), anywhere in the tree;
 * - `sql:writable-cte` INSERT, UPDATE, DELETE or MERGE anywhere inside the query (data-modifying
 *   CTEs, at any depth);
 * - `sql:locking-clause` FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE anywhere (takes row locks);
 * - `sql:explain-analyze` EXPLAIN ANALYZE (it executes the statement) unless `allowAnalyze`;
 *   `ANALYZE false`/`off`/`0` counts as no analyze, any other value as analyze;
 * - `sql:show-setting` SHOW of a setting that is not on the allowlist, and `SHOW ALL`;
 * - `sql:function` a function call anywhere in the tree (select list, WHERE, FROM and `ROWS FROM`,
 *   ORDER BY, windows, FILTER, CTEs, subqueries, LATERAL, VALUES, CASE, and the calls the parser
 *   makes from SQL syntax such as `EXTRACT` or `AT TIME ZONE`) whose name is not in
 *   {@link POSTGRES_SAFE_FUNCTIONS} or whose schema is not `pg_catalog`; likewise a `TABLESAMPLE`
 *   method other than `system` and `bernoulli`.
 *
 * The walk visits every object and array of the parse tree without naming child fields, so a node
 * type added by a future parser is still searched.
 *
 * Out of scope, and why that is acceptable: operators (`a + b`, `a @> b`), casts (`x::my_type`),
 * the attribute notation `t.f` for `f(t)`, a user-defined overload found through `search_path`,
 * and functions called by views or row-level-security policies all run code that is invisible in
 * the statement's text; only the catalog knows it. Built-in ones have no side effects, and a
 * user-defined one needs a role that could create it. The guard is the first layer: servers also
 * run every query in a `READ ONLY` transaction, which makes the engine refuse writes from any of
 * them. The parser assumes `standard_conforming_strings = on` (the default since PostgreSQL 9.1);
 * a server should confirm it, because with it off string literals end elsewhere.
 *
 * @param sql - exactly one statement, as it will be sent to the server
 * @param options - `allowAnalyze` to accept `EXPLAIN ANALYZE` (the inner statement is still checked)
 * @returns the statement's kind, and for EXPLAIN whether it analyzes
 * @throws SqlGuardError `parse-error`, `empty`, `multiple-statements`, `statement-kind`,
 *   `select-into`, `writable-cte`, `locking-clause`, `explain-analyze`, `show-setting`, `function`
 * @example
 * ```ts
 * await assertReadOnlyPostgres('SELECT count(*) FROM orders WHERE placed_at > now() - interval \'1 day\'');
 * // { kind: 'select' }
 * await assertReadOnlyPostgres('WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d');
 * // throws SqlGuardError (sql:writable-cte)
 * ```
 */
export async function assertReadOnlyPostgres(
  sql: string,
  options: PostgresGuardOptions = {},
): Promise<PostgresStatementInfo> {
  // The verdict is a pure function of the text and the options: repeated statements (an agent
  // paging through a result, a dashboard query) reuse it instead of parsing again.
  const key = `${options.allowAnalyze === true ? 'a' : 'r'}:${sql}`;
  const cached = verdicts.get(key);
  if (cached) {
    verdicts.delete(key);
    verdicts.set(key, cached);
    if (cached.error) throw new SqlGuardError(cached.error.rule, cached.error.reason, cached.error.guard);
    return { ...cached.info };
  }
  try {
    const info = await judgePostgres(sql, options);
    remember(key, { info });
    return { ...info };
  } catch (error) {
    if (error instanceof SqlGuardError) remember(key, { error });
    throw error;
  }
}

/** Verdicts of recent statements, most recently used last (a small LRU). */
const verdicts = new Map<
  string,
  { info: PostgresStatementInfo; error?: undefined } | { error: SqlGuardError; info?: undefined }
>();
/** Statements whose verdicts are kept; longer texts are judged afresh every time. */
const VERDICT_CACHE_SIZE = 512;
const VERDICT_CACHE_MAX_SQL = 16 * 1024;

function remember(key: string, verdict: { info: PostgresStatementInfo } | { error: SqlGuardError }): void {
  if (key.length > VERDICT_CACHE_MAX_SQL) return;
  verdicts.set(key, verdict);
  if (verdicts.size > VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
}

async function judgePostgres(sql: string, options: PostgresGuardOptions): Promise<PostgresStatementInfo> {
  if (sql.includes('\0')) {
    throw new SqlGuardError('parse-error', 'The SQL contains a NUL byte: remove it.');
  }
  if (sql.trim() === '') {
    throw new SqlGuardError('empty', 'The SQL is empty: pass one SELECT, EXPLAIN or SHOW statement.');
  }
  const { parse } = await loadParser();
  let tree: unknown;
  try {
    tree = await parse(sql);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SqlGuardError(
      'parse-error',
      `PostgreSQL cannot parse the SQL (${clipParserMessage(reason)}): fix the syntax and send one statement.`,
    );
  }
  const stmts = isRecord(tree) && Array.isArray(tree.stmts) ? tree.stmts : [];
  if (stmts.length === 0) {
    throw new SqlGuardError(
      'empty',
      'The SQL has no statement (only comments or whitespace): pass one SELECT, EXPLAIN or SHOW statement.',
    );
  }
  if (stmts.length > 1) {
    throw new SqlGuardError(
      'multiple-statements',
      `The SQL holds ${stmts.length} statements: send exactly one statement per call, without a second one after a semicolon.`,
    );
  }
  const raw: unknown = stmts[0];
  const node = isRecord(raw) ? raw.stmt : undefined;
  return checkTopLevel(node, sql, options);
}

/** Checks the one statement of the text; `sql` is used for message excerpts only. */
function checkTopLevel(node: unknown, sql: string, options: PostgresGuardOptions): PostgresStatementInfo {
  const [type, body] = singleEntry(node);
  switch (type) {
    case 'SelectStmt':
      walkTree(node);
      return { kind: 'select' };
    case 'ExplainStmt': {
      const explain = isRecord(body) ? body : {};
      // The statement inside EXPLAIN is checked like a top-level one, before the ANALYZE option,
      // so a write is refused as a write whatever `allowAnalyze` says.
      const [innerType] = singleEntry(explain.query);
      if (innerType !== 'SelectStmt') {
        throw new SqlGuardError(
          'statement-kind',
          `EXPLAIN of ${describeType(innerType)} is not allowed: EXPLAIN only a SELECT.`,
        );
      }
      walkTree(explain);
      const analyze = hasAnalyzeOption(explain.options);
      if (analyze && !options.allowAnalyze) {
        throw new SqlGuardError(
          'explain-analyze',
          'EXPLAIN ANALYZE executes the statement and is not enabled on this server: use EXPLAIN without ANALYZE.',
        );
      }
      return { kind: 'explain', explainAnalyze: analyze };
    }
    case 'VariableShowStmt': {
      const name = isRecord(body) && typeof body.name === 'string' ? body.name.toLowerCase() : '';
      if (!SHOWABLE_SETTINGS.has(name)) {
        throw new SqlGuardError(
          'show-setting',
          `SHOW ${clip(name || '?')} is not allowed: SHOW only an allowlisted setting (server_version, search_path, timezone, statement_timeout, ...).`,
        );
      }
      return { kind: 'show' };
    }
    default:
      throw new SqlGuardError(
        'statement-kind',
        `${describeType(type)} is not allowed (${clip(sql)}): only SELECT, EXPLAIN and SHOW are accepted.`,
      );
  }
}

/**
 * Visits every object and array below `root` (iteratively, so a deeply nested tree cannot exhaust
 * the stack) and throws on the first node that breaks a rule. Node types are object keys in
 * PascalCase (`{ "FuncCall": {...} }`); fields are camelCase or lower case.
 */
function walkTree(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push(value[i]);
      continue;
    }
    if (!isRecord(value)) continue;
    const entries = Object.entries(value);
    for (const [key, child] of entries) checkEntry(key, child);
    for (let i = entries.length - 1; i >= 0; i--) pending.push(entries[i]![1]);
  }
}

/** Applies the rules that a single key of a parse-tree object can break. */
function checkEntry(key: string, child: unknown): void {
  if (WRITE_STATEMENTS.has(key)) {
    throw new SqlGuardError(
      'writable-cte',
      `The query contains ${describeType(key)} (a data-modifying CTE or subquery): remove the write; only reads are allowed.`,
    );
  }
  if (STATEMENT_NODE.test(key) && key !== 'SelectStmt') {
    throw new SqlGuardError(
      'statement-kind',
      `The query contains ${describeType(key)} where a SELECT is expected: use a plain SELECT.`,
    );
  }
  if (key === 'intoClause' && child != null) {
    throw new SqlGuardError(
      'select-into',
      'SELECT ... INTO creates a table: remove the INTO clause and read the rows instead.',
    );
  }
  if ((key === 'lockingClause' && Array.isArray(child) && child.length > 0) || key === 'LockingClause') {
    throw new SqlGuardError(
      'locking-clause',
      'FOR UPDATE / FOR SHARE takes row locks: remove the locking clause.',
    );
  }
  if (key === 'FuncCall')
    checkFunctionName(isRecord(child) ? child.funcname : undefined, POSTGRES_SAFE_FUNCTIONS);
  if (key === 'RangeTableSample')
    checkFunctionName(isRecord(child) ? child.method : undefined, TABLESAMPLE_METHODS);
}

/**
 * Refuses a function (or TABLESAMPLE method) name unless it is bare or `pg_catalog`-qualified and
 * its bare name is on `allowed`. Names are compared exactly: the parser has already folded unquoted
 * identifiers to lower case, and a quoted `"LOWER"` is a different function from `lower`.
 */
function checkFunctionName(nameList: unknown, allowed: ReadonlySet<string>): void {
  const parts = Array.isArray(nameList) ? nameList.map(stringValue) : [];
  const name = parts.at(-1);
  const schema = parts.length === 2 ? parts[0] : undefined;
  const shown = clip(parts.map((part) => part ?? '?').join('.') || '?');
  if (name === undefined || parts.includes(undefined) || parts.length > 2) {
    throw new SqlGuardError(
      'function',
      `The function name ${shown} is not recognised: call a built-in function.`,
    );
  }
  if (schema !== undefined && schema !== 'pg_catalog') {
    throw new SqlGuardError(
      'function',
      `Function ${shown} is qualified by a schema other than pg_catalog: only built-in side-effect-free functions may be called.`,
    );
  }
  if (!allowed.has(name)) {
    throw new SqlGuardError(
      'function',
      `Function ${shown} is not on the read-only allowlist: use built-in side-effect-free functions only.`,
    );
  }
}

/**
 * True when the EXPLAIN options turn ANALYZE on. Mirrors PostgreSQL's `defGetBoolean`: no value,
 * `true`/`on`/`1` mean on; only `false`/`off`/`0` mean off; anything else counts as on (fail
 * closed). Any option that turns it on wins, whatever order the options come in.
 */
function hasAnalyzeOption(options: unknown): boolean {
  if (!Array.isArray(options)) return false;
  return options.some((option) => {
    const def = isRecord(option) && isRecord(option.DefElem) ? option.DefElem : undefined;
    if (!def || typeof def.defname !== 'string' || def.defname.toLowerCase() !== 'analyze') return false;
    return !isFalseArgument(def.arg);
  });
}

/** Whether a DefElem argument is one of the spellings `defGetBoolean` reads as false. */
function isFalseArgument(arg: unknown): boolean {
  if (!isRecord(arg)) return false;
  const [type, body] = singleEntry(arg);
  if (!isRecord(body)) return false;
  switch (type) {
    case 'String':
      return typeof body.sval === 'string' && ['false', 'off'].includes(body.sval.toLowerCase());
    case 'Integer':
      // The JSON form omits a zero value: `{ Integer: {} }` is 0.
      return (body.ival ?? 0) === 0;
    case 'Boolean':
      return body.boolval !== true;
    default:
      return false;
  }
}

/** The `sval` of a `{ String: { sval } }` node, else undefined. */
function stringValue(node: unknown): string | undefined {
  if (!isRecord(node) || !isRecord(node.String)) return undefined;
  const { sval } = node.String;
  return typeof sval === 'string' ? sval : undefined;
}

/** The only `[key, value]` of a node object (`{ SelectStmt: {...} }`), or `['', undefined]`. */
function singleEntry(node: unknown): [string, unknown] {
  if (!isRecord(node)) return ['', undefined];
  const entries = Object.entries(node);
  return entries.length === 1 ? entries[0]! : ['', undefined];
}

/** Statement node types whose SQL name differs from their spelled-out node name. */
const STATEMENT_NAMES: Readonly<Record<string, string>> = {
  CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: 'CREATE TABLE AS',
  DoStmt: 'DO',
  IndexStmt: 'CREATE INDEX',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  TransactionStmt: 'BEGIN/COMMIT/ROLLBACK/SAVEPOINT',
  VacuumStmt: 'VACUUM/ANALYZE',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
};

/** `DeleteStmt` → `DELETE`, `DeclareCursorStmt` → `DECLARE CURSOR`: the statement as SQL says it. */
function describeType(type: string): string {
  if (type === '') return 'this statement';
  const known = STATEMENT_NAMES[type];
  if (known) return known;
  return type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** Shortens a parser message so that the SQL it quotes (`at or near "..."`) stays short. */
function clipParserMessage(message: string): string {
  const near = /^(.*? at or near )"([\s\S]*)"$/.exec(message);
  if (near) return clip(`${near[1]}"${clip(near[2] ?? '', ECHO_LIMIT - 20)}"`, ECHO_LIMIT * 2);
  return clip(message, ECHO_LIMIT + 20);
}

/** One line of at most `limit` characters: control and format characters become spaces. */
function clip(text: string, limit = ECHO_LIMIT): string {
  const line = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
