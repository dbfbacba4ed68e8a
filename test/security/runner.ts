/**
 * Runs every attack case against every server configuration, prints the table of cases tried,
 * held and escaped per class and server, then each escape and error by id, and sets the exit
 * code: 1 when any case escaped or could not be judged. Started through `run.mjs`.
 *
 * Arguments narrow the run: `--only <text>` keeps the cases whose id contains the text (repeat
 * for several), `--target <name>` keeps one server configuration (repeatable); `--verbose` lists
 * every case with an excerpt of the server's answer.
 */
import type { OpenSuite } from './lib/execute.js';
import { formatReport } from './lib/report.js';
import type { Outcome } from './lib/types.js';
import { SUITES } from './plan.js';

/**
 * Runs the corpora and reports.
 *
 * @param argv - command-line arguments after the script
 * @returns the exit code: 0 when every case held, 1 otherwise
 */
export async function main(argv: readonly string[]): Promise<number> {
  const only = argv.flatMap((arg, index) =>
    arg === '--only' && argv[index + 1] ? [argv[index + 1] as string] : [],
  );
  const targets = argv.flatMap((arg, index) =>
    arg === '--target' && argv[index + 1] ? [argv[index + 1] as string] : [],
  );
  const outcomes: Outcome[] = [];
  const started = Date.now();
  for (const suite of SUITES) {
    if (targets.length > 0 && !targets.includes(suite.target.name)) continue;
    const indexes = suite.cases.flatMap((attack, index) =>
      only.length === 0 || only.some((text) => attack.id.includes(text)) ? [index] : [],
    );
    if (indexes.length === 0) continue;
    const begun = Date.now();
    let open: OpenSuite;
    try {
      open = await suite.open();
    } catch (error) {
      // A configuration that cannot start judges none of its cases: each is an error.
      const reason = `${suite.target.name} did not start: ${error instanceof Error ? error.message : String(error)}`;
      for (const index of indexes) {
        const attack = suite.cases[index];
        if (!attack) continue;
        outcomes.push({
          ...attack,
          server: suite.target.server,
          target: suite.target.name,
          status: 'error',
          detail: reason,
        });
      }
      continue;
    }
    try {
      for (const index of indexes) outcomes.push(await open.run(index));
    } finally {
      await open.close();
    }
    process.stderr.write(
      `${suite.target.name}: ${indexes.length} cases in ${Date.now() - begun} ms (${suite.target.description})\n`,
    );
  }
  process.stdout.write(`${formatReport(outcomes, argv.includes('--verbose'))}\n`);
  process.stderr.write(`${outcomes.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return outcomes.every((outcome) => outcome.status === 'held') ? 0 : 1;
}
