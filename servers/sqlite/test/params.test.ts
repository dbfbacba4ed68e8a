import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bindArguments, parameterNames } from '../src/params.js';

describe('parameter numbering', () => {
  it('numbers placeholders the way SQLite does', () => {
    expect(parameterNames('SELECT ?, ?')).toEqual(new Map());
    expect(parameterNames('SELECT ?2, ?1, ?')).toEqual(
      new Map([
        [2, '?2'],
        [1, '?1'],
      ]),
    );
    expect(parameterNames('SELECT :a, ?, :a, @b, $c')).toEqual(
      new Map([
        [1, ':a'],
        [3, '@b'],
        [4, '$c'],
      ]),
    );
    expect(parameterNames(`SELECT ':a', "?1", [@b], \`$c\` -- ?9\n /* :z */, a$b, x'3f'`)).toEqual(new Map());
  });

  it('binds value i to parameter i + 1 through better-sqlite3, whatever the placeholders', () => {
    const db = new Database(':memory:');
    const run = (sql: string, values: (string | number | null)[]) =>
      db
        .prepare(sql)
        .raw(true)
        .get(...bindArguments(sql, values));
    try {
      expect(run('SELECT ?, ?', [1, 2])).toEqual([1, 2]);
      expect(run('SELECT ?2, ?1', ['a', 'b'])).toEqual(['b', 'a']);
      expect(run('SELECT ?, ?1', ['a'])).toEqual(['a', 'a']);
      expect(run('SELECT :x, ?, :x, @__proto__', ['x', 'anon', 'p'])).toEqual(['x', 'anon', 'x', 'p']);
      expect(() => run('SELECT ?2', ['a'])).toThrow(/parameter/i);
      expect(() => run('SELECT ?', ['a', 'b'])).toThrow(/Too many parameter values/);
    } finally {
      db.close();
    }
  });
});
