/**
 * The SQLite server, read-only (its default), over the guard corpus's canary database (see
 * `test/corpus/sqlite-guard.ts`) plus tables whose rows, names and column names carry hidden
 * characters.
 */
import { existsSync } from 'node:fs';
import {
  createDatabase,
  createTempDir,
  readDatabase,
  schemaChecksum,
  sha256File,
} from '../../../servers/sqlite/test/helpers.js';
import { SQLITE_ATTACK_FILES } from '../../corpus/sqlite-guard.js';
import { startServer } from '../lib/servers.js';
import { type Planted, plant, SMUGGLE_KINDS, type SmuggleKind } from '../lib/smuggle.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** What the SQLite cases compute their arguments from. */
export interface SqliteFixture {
  /** The database file. */
  file: string;
  /**
   * Per payload kind: the row value in `notes` (id 1, 2, 3 in kind order), a table name, a column
   * name of `wide` and that column's default.
   */
  smuggle: Record<
    SmuggleKind,
    { id: number; row: Planted; table: Planted; column: Planted; defaultValue: Planted }
  >;
}

/** The canary rows the guard corpus's statements target; no case may change them. */
const CANARY_ROWS = [
  [1, 'alpha', 1.5, '{"color":"red"}'],
  [2, 'beta', 2.5, '{"color":"blue","size":3}'],
  [3, 'gamma', 0.5, null],
];

/** The planted values of every payload kind. */
function smuggleOf(): SqliteFixture['smuggle'] {
  const entries = SMUGGLE_KINDS.map((kind, index) => [
    kind,
    {
      id: index + 1,
      row: plant('row-', kind),
      table: plant('tbl-', kind, { short: true }),
      column: plant('col-', kind, { short: true }),
      defaultValue: plant('default-', kind),
    },
  ]);
  return Object.fromEntries(entries) as SqliteFixture['smuggle'];
}

/** Everything a statement could change: canary rows, schema and cookies, file bytes. */
function stateOf(file: string): string {
  const rows = readDatabase(file, (db) => db.prepare('SELECT * FROM canary ORDER BY id').raw(true).all());
  return JSON.stringify({ rows, schema: schemaChecksum(file), bytes: sha256File(file) });
}

/** The SQLite server in read-only mode (see the module comment). */
export const sqliteTarget: Target<SqliteFixture> = {
  name: 'sqlite',
  server: 'sqlite',
  description: 'sqlite --timeout 5 DB (read-only default; canary tables, hidden-character rows and names)',
  async start(): Promise<StartedTarget<SqliteFixture>> {
    const temp = createTempDir();
    const file = temp.path('canary.sqlite');
    const smuggle = smuggleOf();
    createDatabase(file, (db) => {
      db.exec(`
        CREATE TABLE canary (id INTEGER PRIMARY KEY, name TEXT, score REAL, meta TEXT);
        CREATE TABLE owner (id INTEGER PRIMARY KEY, canary_id INTEGER REFERENCES canary(id), label TEXT);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
      `);
      const insert = db.prepare('INSERT INTO canary VALUES (?, ?, ?, ?)');
      for (const row of CANARY_ROWS) insert.run(...row);
      db.exec(`INSERT INTO owner (canary_id, label) VALUES (1, 'first'), (2, 'second')`);
      const note = db.prepare('INSERT INTO notes VALUES (?, ?)');
      const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
      for (const kind of SMUGGLE_KINDS) {
        note.run(smuggle[kind].id, smuggle[kind].row.raw);
        db.exec(`CREATE TABLE ${quote(smuggle[kind].table.raw)} (x INTEGER)`);
      }
      db.exec(
        `CREATE TABLE wide (id INTEGER PRIMARY KEY, ${SMUGGLE_KINDS.map((kind) => `${quote(smuggle[kind].column.raw)} TEXT DEFAULT '${smuggle[kind].defaultValue.raw}'`).join(', ')})`,
      );
    });
    const session = await startServer('sqlite', ['--timeout', '5', file]);
    let last: string | undefined;
    return {
      session,
      fixture: { file, smuggle },
      forbidden: [],
      async watch() {
        // Nothing but the cases touches the file, so the state after one case is the state
        // before the next: one read per case instead of two.
        const before = last ?? stateOf(file);
        const existed = SQLITE_ATTACK_FILES.filter((target) => existsSync(target));
        return async () => {
          const changes: string[] = [];
          const after = stateOf(file);
          last = after;
          if (after !== before) changes.push(`database changed: ${before} -> ${after}`);
          for (const target of SQLITE_ATTACK_FILES) {
            if (existsSync(target) && !existed.includes(target)) changes.push(`${target} was created`);
          }
          return changes;
        };
      },
      async close() {
        await session.close();
        temp.remove();
      },
    };
  },
};
