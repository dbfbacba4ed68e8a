/**
 * The attack corpora under vitest: one test per case, named by its id, against the same suites
 * the runner (`pnpm attack`) uses, each server configuration started once. Then the judge itself
 * is tested: under deliberately wrong configurations the same cases must report escapes, so a
 * corpus that passes is one that could have failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripUnsafeText } from '../../shared/hardening/src/sanitize/unsafe-text.js';
import { FILESYSTEM_PATH_CASES } from './corpus/paths.js';
import { FETCH_DEFAULT_SSRF_CASES } from './corpus/ssrf.js';
import { defineSuite, type OpenSuite, type Suite } from './lib/execute.js';
import { findSmuggled, plant, SMUGGLE_KINDS } from './lib/smuggle.js';
import type { Outcome } from './lib/types.js';
import { SUITES } from './plan.js';
import { createFetchDefaultTarget } from './targets/fetch.js';
import { createFilesystemTarget } from './targets/filesystem.js';

for (const suite of SUITES) {
  describe(`${suite.target.name}: ${suite.target.description}`, () => {
    let open: OpenSuite | undefined;

    beforeAll(async () => {
      open = await suite.open();
    });

    afterAll(async () => {
      await open?.close();
    });

    suite.cases.forEach((attack, index) => {
      it(attack.id, async () => {
        if (!open) throw new Error(`${suite.target.name} did not start`);
        const outcome = await open.run(index);
        expect(outcome.status, `${outcome.id} [${outcome.tool}] ${outcome.detail}`).toBe('held');
      });
    });
  });
}

/** Runs the cases of a suite with the given ids and returns their outcomes. */
async function runOnly(suite: Suite, ids: readonly string[]): Promise<Outcome[]> {
  const open = await suite.open();
  try {
    const outcomes: Outcome[] = [];
    for (const id of ids) outcomes.push(await open.run(suite.cases.findIndex((attack) => attack.id === id)));
    return outcomes;
  } finally {
    await open.close();
  }
}

describe('the judge', () => {
  it('every payload is made only of characters the sanitizer removes, and the detector finds each of them', () => {
    for (const kind of SMUGGLE_KINDS) {
      const planted = plant('label-', kind);
      expect(stripUnsafeText(planted.raw).text).toBe(planted.visible);
      const found = findSmuggled({ nested: [planted.raw] }, 'result');
      expect(found.map((place) => place.path)).toEqual(['result.nested[0]']);
      expect(found[0]?.codePoints.length).toBeGreaterThan(1);
      expect(findSmuggled({ nested: [planted.visible] }, 'result')).toEqual([]);
    }
  });

  it('reports escapes when the filesystem root is the directory that holds the secrets', async () => {
    // Absolute paths: relative ones would now resolve against the wider root, somewhere else.
    const ids = [
      'path:absolute-outside/read_text_file',
      'path:prefix-sibling/read_text_file',
      'path:absolute-outside/write_file',
    ];
    const outcomes = await runOnly(
      defineSuite(createFilesystemTarget({ misconfigured: true }), FILESYSTEM_PATH_CASES),
      ids,
    );
    expect(outcomes.map((outcome) => [outcome.id, outcome.status])).toEqual(ids.map((id) => [id, 'escape']));
    expect(outcomes[0]?.detail).toMatch(/result contains OUTSIDE-SECRET-/);
    expect(outcomes[1]?.detail).toMatch(/result contains SIBLING-SECRET-/);
    expect(outcomes[2]?.detail).toMatch(/outside\/secret\.txt changed/);
  });

  it('reports escapes when the fetch server may reach loopback', async () => {
    const ids = ['ssrf:loopback-v4', 'ssrf:loopback-decimal', 'ssrf:metadata-v4'];
    const outcomes = await runOnly(
      defineSuite(
        createFetchDefaultTarget(['--allow-host', '127.0.0.0/8', '--ignore-robots-txt']),
        FETCH_DEFAULT_SSRF_CASES,
      ),
      ids,
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['escape', 'escape', 'held']);
    expect(outcomes[0]?.detail).toMatch(/trap 127\.0\.0\.1 received GET \//);
  });
});
