// `pnpm conformance`: runs @modelcontextprotocol/conformance against the fixture server and every
// Bulwark server over Streamable HTTP on 127.0.0.1, prints a table of target x requirement set,
// and exits 1 on any unexpected failure or stale expected failure (2 on a harness error).
// Usage: node test/conformance/run.mjs [target ...]   (default: every target; see targets.mjs)
// Needs the built packages (`pnpm conformance` runs `turbo run build` first). PostgreSQL comes
// from TEST_DATABASE_URL when set, else an embedded PGlite.
import { formatTable, runConformance, SPEC_SETS, TOOL_VERSION } from './lib.mjs';

const write = (text) => process.stdout.write(text);

try {
  const targets = process.argv.slice(2);
  const sets = SPEC_SETS.map((set) => `${set.revision} (tool label ${set.toolLabel})`).join(', ');
  write(`@modelcontextprotocol/conformance ${TOOL_VERSION}, active suite; requirement sets: ${sets}\n\n`);
  const results = await runConformance({
    ...(targets.length > 0 ? { targets } : {}),
    onResult: (result) => write(`  ${result.target} done in ${(result.durationMs / 1000).toFixed(1)} s\n`),
  });
  write(`\n${formatTable(results)}\n`);
  let bad = 0;
  for (const result of results) {
    for (const set of result.sets) {
      const { verdict, run } = set;
      const label = `${result.target} @ ${set.revision}`;
      for (const name of verdict.unexpectedFailures) {
        bad += 1;
        const problems = run.scenarios.find((scenario) => scenario.name === name)?.problems ?? [];
        write(`UNEXPECTED FAILURE ${label}: ${name}\n${problems.map((p) => `    ${p}\n`).join('')}`);
      }
      for (const name of verdict.stale) {
        bad += 1;
        write(
          `STALE expected failure ${label}: ${name} passes now; remove it from expected-failures/${result.target}.yml\n`,
        );
      }
      if (verdict.incomplete) {
        bad += 1;
        write(
          `INCOMPLETE ${label}: ${run.announcedCount} scenarios announced, ${run.scenarios.length} reported\n`,
        );
      }
    }
  }
  write(bad === 0 ? 'All failures are expected ones.\n' : `${bad} problem(s).\n`);
  process.exitCode = bad === 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(`conformance run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
}
