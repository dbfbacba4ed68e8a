import { existsSync, rmSync } from 'node:fs';
import { type StdioSession, textOf } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_ALLOWED, SQLITE_ATTACK_FILES, SQLITE_ATTACKS } from '../../../test/corpus/sqlite-guard.js';
import {
  call,
  createDatabase,
  createTempDir,
  readDatabase,
  schemaChecksum,
  sha256File,
  startSqlite,
  type TempDir,
} from './helpers.js';

// Every attack of the shared corpus goes through the real server to the real engine, in read-only
// mode and in write mode (where `query` must stay read-only all the same), and the test proves
// that nothing changed: the canary rows, the schema (every sqlite_schema row and the schema and
// user version cookies), and no file an attack names came to exist.
let temp: TempDir;
let file: string;

const CANARY_ROWS = [
  [1, 'alpha', 1.5, '{"color":"red"}'],
  [2, 'beta', 2.5, '{"color":"blue","size":3}'],
  [3, 'gamma', 0.5, null],
];

function canary(): unknown[][] {
  return readDatabase(
    file,
    (db) => db.prepare('SELECT * FROM canary ORDER BY id').raw(true).all() as unknown[][],
  );
}

beforeAll(() => {
  temp = createTempDir();
  file = temp.path('canary.sqlite');
  for (const target of SQLITE_ATTACK_FILES) rmSync(target, { force: true });
  createDatabase(file, (db) => {
    db.exec(`
      CREATE TABLE canary (id INTEGER PRIMARY KEY, name TEXT, score REAL, meta TEXT);
      CREATE TABLE owner (id INTEGER PRIMARY KEY, canary_id INTEGER REFERENCES canary(id), label TEXT);
    `);
    const insert = db.prepare('INSERT INTO canary VALUES (?, ?, ?, ?)');
    for (const row of CANARY_ROWS) insert.run(...row);
    db.exec(`INSERT INTO owner (canary_id, label) VALUES (1, 'first'), (2, 'second')`);
  });
});

afterAll(() => {
  temp?.remove();
});

describe.each([
  { mode: 'read-only', args: [] as string[] },
  { mode: 'write', args: ['--allow-write'] },
])('SQLite guard corpus through the query tool ($mode mode)', ({ args }) => {
  let session: StdioSession;

  beforeAll(async () => {
    session = await startSqlite([...args, '--timeout', '5', file]);
  });

  afterAll(async () => {
    await session?.close();
  });

  it(`refuses all ${SQLITE_ATTACKS.length} attacks, each by its rule, and the database is unchanged`, async () => {
    const schemaBefore = schemaChecksum(file);
    const bytesBefore = sha256File(file);
    const escapes: string[] = [];
    for (const attack of SQLITE_ATTACKS) {
      const result = await call(session, 'query', { sql: attack.sql });
      const text = textOf(result);
      // The tool's schema takes one character at least, so the empty string is refused by input
      // validation before the guard sees it; every other attack must be refused by its rule.
      const refused =
        result.isError === true &&
        (attack.sql === '' ? /sql/i.test(text) : text.includes(`sql:${attack.rule}`));
      if (!refused) escapes.push(`${attack.id}: ${result.isError ? text : 'ran'}`);
    }
    expect(escapes).toEqual([]);
    expect(canary()).toEqual(CANARY_ROWS);
    expect(schemaChecksum(file)).toBe(schemaBefore);
    expect(sha256File(file)).toBe(bytesBefore);
    for (const target of SQLITE_ATTACK_FILES) expect(existsSync(target), target).toBe(false);
  });

  it(`runs all ${SQLITE_ALLOWED.length} legitimate read-only queries`, async () => {
    const failures: string[] = [];
    for (const sql of SQLITE_ALLOWED) {
      const result = await call(session, 'query', { sql });
      if (result.isError) failures.push(`${sql.slice(0, 60)} -> ${textOf(result)}`);
    }
    expect(failures).toEqual([]);
    expect(canary()).toEqual(CANARY_ROWS);
  });
});
