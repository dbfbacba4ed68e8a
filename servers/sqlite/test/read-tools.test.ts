import { type StdioSession, structuredOf, textOf, unwrapUntrusted } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createDatabase, createTempDir, sha256File, startSqlite, type TempDir } from './helpers.js';

interface Page {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  row_count: number;
  offset: number;
  truncated: boolean;
  truncated_by?: 'rows' | 'bytes';
  next_cursor?: string;
}

let temp: TempDir;
let file: string;
let session: StdioSession;
let hashBefore: string;

beforeAll(async () => {
  temp = createTempDir();
  file = temp.path('library.sqlite');
  createDatabase(file, (db) => {
    db.exec(`
      CREATE TABLE authors (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT UNIQUE,
        born INTEGER DEFAULT 1900,
        country TEXT DEFAULT 'NZ'
      );
      CREATE TABLE books (
        id INTEGER PRIMARY KEY,
        author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        price REAL CHECK (price >= 0),
        cover BLOB
      );
      CREATE INDEX books_by_title ON books(title);
      CREATE VIEW cheap_books AS SELECT title, price FROM books WHERE price < 10;
      CREATE TABLE pairs (a TEXT, b TEXT, note, PRIMARY KEY (a, b)) WITHOUT ROWID;
      CREATE TABLE numbers (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, label TEXT);
      CREATE TABLE wide (id INTEGER PRIMARY KEY, payload TEXT);
      CREATE TABLE edge (big INTEGER, data BLOB, untyped);
      INSERT INTO authors (id, name, email, born) VALUES (1, 'Ada', 'ada@example.org', 1815), (2, 'Alan', NULL, 1912);
      INSERT INTO books (author_id, title, price, cover) VALUES
        (1, 'Notes', 9.5, x'00ff10'), (2, 'Computable Numbers', 12.25, NULL), (1, 'Letters, "with" quotes', 3, NULL);
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2500)
        INSERT INTO numbers (id, n, label) SELECT i, i * 2, 'row ' || i FROM c;
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200)
        INSERT INTO wide (id, payload) SELECT i, printf('%.4000c', 'x') FROM c;
      INSERT INTO edge VALUES
        (9223372036854775807, x'deadbeef', NULL),
        (-9223372036854775808, x'', 1.5),
        (9007199254740993, NULL, 'text');
    `);
  });
  hashBefore = sha256File(file);
  session = await startSqlite([file]);
});

afterAll(async () => {
  await session?.close();
  temp?.remove();
});

describe('list_tables and describe_table', () => {
  it('lists tables and views, without SQLite internals', async () => {
    const { tables } = structuredOf<{ tables: { name: string; type: string }[] }>(
      await call(session, 'list_tables'),
    );
    expect(tables).toEqual([
      { name: 'authors', type: 'table' },
      { name: 'books', type: 'table' },
      { name: 'cheap_books', type: 'view' },
      { name: 'edge', type: 'table' },
      { name: 'numbers', type: 'table' },
      { name: 'pairs', type: 'table' },
      { name: 'wide', type: 'table' },
    ]);
  });

  it('describes columns with nullability and defaults, the primary key, foreign keys and indexes', async () => {
    const books = structuredOf<Record<string, unknown>>(
      await call(session, 'describe_table', { table: 'books' }),
    );
    expect(books.name).toBe('books');
    expect(books.type).toBe('table');
    expect(books.columns).toEqual([
      { name: 'id', type: 'INTEGER', nullable: false },
      { name: 'author_id', type: 'INTEGER', nullable: false },
      { name: 'title', type: 'TEXT', nullable: false },
      { name: 'price', type: 'REAL', nullable: true },
      { name: 'cover', type: 'BLOB', nullable: true },
    ]);
    expect(books.primary_key).toEqual(['id']);
    expect(books.foreign_keys).toEqual([
      {
        columns: ['author_id'],
        referenced_table: 'authors',
        referenced_columns: ['id'],
        on_delete: 'CASCADE',
      },
    ]);
    expect(books.indexes).toEqual([
      {
        name: 'books_by_title',
        columns: ['title'],
        unique: false,
        definition: 'CREATE INDEX books_by_title ON books(title)',
      },
    ]);
    // SQLite keeps CHECK constraints only in the CREATE statement, which is returned whole.
    expect(books.constraints).toEqual([
      { name: 'books', type: 'definition', definition: expect.stringContaining('CHECK (price >= 0)') },
    ]);

    const authors = structuredOf<{ columns: unknown[]; indexes: unknown[] }>(
      await call(session, 'describe_table', { table: 'AUTHORS' }),
    );
    expect(authors.columns).toEqual([
      { name: 'id', type: 'INTEGER', nullable: false },
      { name: 'name', type: 'TEXT', nullable: false },
      { name: 'email', type: 'TEXT', nullable: true },
      { name: 'born', type: 'INTEGER', nullable: true, default: '1900' },
      { name: 'country', type: 'TEXT', nullable: true, default: "'NZ'" },
    ]);
    expect(authors.indexes).toEqual([
      { name: 'sqlite_autoindex_authors_1', columns: ['email'], unique: true },
    ]);
  });

  it('describes a WITHOUT ROWID table, an untyped column and a view', async () => {
    const pairs = structuredOf<{ columns: unknown[]; primary_key: string[] }>(
      await call(session, 'describe_table', { table: 'pairs' }),
    );
    expect(pairs.primary_key).toEqual(['a', 'b']);
    expect(pairs.columns).toEqual([
      { name: 'a', type: 'TEXT', nullable: false },
      { name: 'b', type: 'TEXT', nullable: false },
      { name: 'note', type: 'any', nullable: true },
    ]);
    const view = structuredOf<{ type: string; columns: { name: string }[]; indexes: unknown[] }>(
      await call(session, 'describe_table', { table: 'cheap_books' }),
    );
    expect(view.type).toBe('view');
    expect(view.columns.map((column) => column.name)).toEqual(['title', 'price']);
    expect(view.indexes).toEqual([]);
  });

  it('reports an unknown table, and a name that looks like SQL is only a name', async () => {
    const missing = await call(session, 'describe_table', { table: 'nope' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/No table or view named "nope"/);
    const injection = await call(session, 'describe_table', { table: "books') UNION SELECT 1 --" });
    expect(injection.isError).toBe(true);
    expect(textOf(injection)).toMatch(/No table or view named/);
  });
});

describe('query', () => {
  it('returns rows in json, csv and markdown renderings, with declared column types', async () => {
    const sql = 'SELECT id, title, price FROM books ORDER BY id';
    const json = await call(session, 'query', { sql });
    const page = structuredOf<Page>(json);
    expect(page.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'title', type: 'TEXT' },
      { name: 'price', type: 'REAL' },
    ]);
    expect(page.rows).toEqual([
      [1, 'Notes', 9.5],
      [2, 'Computable Numbers', 12.25],
      [3, 'Letters, "with" quotes', 3],
    ]);
    expect(page).toMatchObject({ row_count: 3, offset: 0, truncated: false });
    expect(JSON.parse(unwrapUntrusted(textOf(json)))).toEqual({ columns: page.columns, rows: page.rows });

    const csv = unwrapUntrusted(textOf(await call(session, 'query', { sql, format: 'csv' })));
    expect(csv).toBe(
      'id,title,price\n1,Notes,9.5\n2,Computable Numbers,12.25\n3,"Letters, ""with"" quotes",3',
    );

    const markdown = unwrapUntrusted(textOf(await call(session, 'query', { sql, format: 'markdown' })));
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '| id | title | price |',
      '| --- | --- | --- |',
      '| 1 | Notes | 9.5 |',
    ]);
  });

  it('binds parameters (booleans as 1 and 0) and names expression columns as type any', async () => {
    const page = structuredOf<Page>(
      await call(session, 'query', {
        sql: 'SELECT name, ? AS flag, born + 0 AS year FROM authors WHERE id = ?',
        params: [true, 2],
      }),
    );
    expect(page.columns).toEqual([
      { name: 'name', type: 'TEXT' },
      { name: 'flag', type: 'any' },
      { name: 'year', type: 'any' },
    ]);
    expect(page.rows).toEqual([['Alan', 1, 1912]]);
  });

  it('binds numbered and named placeholders by position, and never inside strings', async () => {
    const numbered = structuredOf<Page>(
      await call(session, 'query', {
        sql: "SELECT ?2 AS b, ?1 AS a, ?2 || '?1' AS c, :x AS x",
        params: ['one', 'two', 'three'],
      }),
    );
    expect(numbered.rows).toEqual([['two', 'one', 'two?1', 'three']]);
    const plan = await call(session, 'explain', { sql: 'SELECT * FROM books WHERE id = ?1', params: [1] });
    expect(plan.isError).toBeFalsy();
  });

  it('pages through 2,500 rows with max_rows 1000: three pages, no row lost or repeated', async () => {
    const sql = 'SELECT id, n FROM numbers ORDER BY id';
    const seen: number[] = [];
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const page = structuredOf<Page>(
        await call(session, 'query', { sql, max_rows: 1000, ...(cursor ? { cursor } : {}) }),
      );
      pages.push(page);
      for (const row of page.rows) seen.push(row[0] as number);
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages.map((page) => [page.offset, page.row_count, page.truncated, page.truncated_by])).toEqual([
      [0, 1000, true, 'rows'],
      [1000, 1000, true, 'rows'],
      [2000, 500, false, undefined],
    ]);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, index) => index + 1));
    expect(pages[2]?.rows.at(-1)).toEqual([2500, 5000]);
  });

  it('refuses a cursor with different sql', async () => {
    const first = structuredOf<Page>(
      await call(session, 'query', { sql: 'SELECT id FROM numbers ORDER BY id', max_rows: 10 }),
    );
    const reused = await call(session, 'query', {
      sql: 'SELECT id FROM numbers ORDER BY id DESC',
      cursor: first.next_cursor,
    });
    expect(reused.isError).toBe(true);
  });

  it('cuts a page at the byte cap (262,144 bytes by default) and continues it exactly', async () => {
    const sql = 'SELECT id, payload FROM wide ORDER BY id';
    const first = structuredOf<Page>(await call(session, 'query', { sql }));
    expect(first.truncated).toBe(true);
    expect(first.truncated_by).toBe('bytes');
    expect(Buffer.byteLength(JSON.stringify(first.rows))).toBeLessThanOrEqual(262_144);
    // A row is [id,"x...x"]: 4,005 bytes plus the id's digits, plus 1 separator. Rows 1-65 take
    // 9 × 4,007 + 56 × 4,008 = 260,511 bytes; row 66 would make 264,519.
    expect(first.row_count).toBe(65);
    const second = structuredOf<Page>(await call(session, 'query', { sql, cursor: first.next_cursor }));
    expect(second.offset).toBe(65);
    expect(second.rows[0]?.[0]).toBe(66);
  });

  it('returns 64-bit integers exactly (as strings beyond 2^53) and BLOBs as base64', async () => {
    const page = structuredOf<Page>(
      await call(session, 'query', { sql: 'SELECT big, data, untyped FROM edge' }),
    );
    expect(page.rows).toEqual([
      ['9223372036854775807', { $base64: '3q2+7w==' }, null],
      ['-9223372036854775808', { $base64: '' }, 1.5],
      ['9007199254740993', null, 'text'],
    ]);
    const small = structuredOf<Page>(
      await call(session, 'query', { sql: 'SELECT 9007199254740991 AS max_safe' }),
    );
    expect(small.rows).toEqual([[9007199254740991]]);
  });

  it("reports SQLite's own message for a syntax error or an unknown table", async () => {
    const syntax = await call(session, 'query', { sql: 'SELECT FROM books' });
    expect(syntax.isError).toBe(true);
    expect(textOf(syntax)).toBe('SQLite: near "FROM": syntax error');
    const table = await call(session, 'query', { sql: 'SELECT * FROM no_such_table' });
    expect(textOf(table)).toBe('SQLite: no such table: no_such_table');
    const params = await call(session, 'query', { sql: 'SELECT ?, ?', params: [1] });
    expect(textOf(params)).toMatch(/SQLite: Too few parameter values/);
  });
});

describe('explain', () => {
  it('returns the query plan as steps', async () => {
    const { plan } = structuredOf<{ plan: { id: number; parent: number; detail: string }[] }>(
      await call(session, 'explain', { sql: 'SELECT * FROM books WHERE title = ?', params: ['Notes'] }),
    );
    expect(plan.length).toBeGreaterThan(0);
    expect(plan[0]).toEqual({
      id: expect.any(Number),
      parent: 0,
      detail: expect.stringMatching(/books_by_title/),
    });
  });

  it('refuses analyze and guarded statements', async () => {
    const analyze = await call(session, 'explain', { sql: 'SELECT 1', analyze: true });
    expect(analyze.isError).toBe(true);
    const write = await call(session, 'explain', { sql: 'DELETE FROM books' });
    expect(write.isError).toBe(true);
    expect(textOf(write)).toMatch(/sql:statement-kind/);
  });
});

describe('read-only mode', () => {
  it('offers no execute tool', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['list_tables', 'describe_table', 'query', 'explain']);
  });

  // Runs last in this file: every read call above went to the same file.
  it('left the database file byte for byte unchanged after all the read calls', () => {
    expect(sha256File(file)).toBe(hashBefore);
  });
});
