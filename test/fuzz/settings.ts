// Run settings of the fuzz suites, from the environment:
//
//   BULWARK_FUZZ_SEED=<integer>   replay with this seed (fast-check prints `seed` and `path` on a failure)
//   BULWARK_FUZZ_PATH=<path>      with the seed, replay exactly the failing run (the printed `path`)
//   BULWARK_FUZZ_SCALE=<number>   multiply every property's number of runs (default 1; e.g. 10 for a long soak)
//
// Without a seed every run draws a new one, so each CI run explores new inputs. Shrinking is off
// (`endOnFailure`): the properties talk to a live process, and after a crash every smaller input
// would fail too, which would make shrinking report a misleading "minimal" case.
import type fc from 'fast-check';

const seed = process.env.BULWARK_FUZZ_SEED;
const replayPath = process.env.BULWARK_FUZZ_PATH;
const scale = Number(process.env.BULWARK_FUZZ_SCALE ?? '1');

/**
 * fast-check parameters for one property: the number of runs (scaled by BULWARK_FUZZ_SCALE),
 * the seed and path to replay when set, no shrinking, and the whole counterexample in the report.
 *
 * @param numRuns - runs at scale 1
 * @returns parameters for `fc.assert`
 * @example
 * await fc.assert(fc.asyncProperty(frames, check), fuzzParameters(100));
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    endOnFailure: true,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(seed && replayPath ? { path: replayPath } : {}),
  };
}
