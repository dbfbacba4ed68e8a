/** The runner's report: a table of class × server, then every escape and error by case id. */
import type { AttackClass, Outcome, ServerName } from './types.js';

/** One row of the summary table. */
export interface SummaryRow {
  class: AttackClass;
  server: ServerName;
  tried: number;
  held: number;
  escapes: number;
  errors: number;
}

const CLASS_ORDER: readonly AttackClass[] = ['path', 'sql', 'ssrf', 'unicode'];
const SERVER_ORDER: readonly ServerName[] = ['filesystem', 'sqlite', 'postgres', 'fetch', 'github', 'slack'];

/**
 * Counts outcomes per class and server, in a fixed order (classes, then servers).
 *
 * @param outcomes - every case's outcome
 * @returns one row per class and server that ran at least one case
 */
export function summarize(outcomes: readonly Outcome[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const kind of CLASS_ORDER) {
    for (const server of SERVER_ORDER) {
      const mine = outcomes.filter((outcome) => outcome.class === kind && outcome.server === server);
      if (mine.length === 0) continue;
      rows.push({
        class: kind,
        server,
        tried: mine.length,
        held: mine.filter((outcome) => outcome.status === 'held').length,
        escapes: mine.filter((outcome) => outcome.status === 'escape').length,
        errors: mine.filter((outcome) => outcome.status === 'error').length,
      });
    }
  }
  return rows;
}

/**
 * Renders the report: the summary table with a total line, then one line per escape and per
 * error (`ESCAPE <id> [<target>, <tool>] <detail>`), or per case when `verbose`.
 *
 * @param outcomes - every case's outcome
 * @param verbose - also list the cases that held, with an excerpt of each answer
 * @returns the report text (no trailing newline)
 */
export function formatReport(outcomes: readonly Outcome[], verbose = false): string {
  const rows = summarize(outcomes);
  const total: SummaryRow = { class: 'path', server: 'filesystem', tried: 0, held: 0, escapes: 0, errors: 0 };
  for (const row of rows) {
    total.tried += row.tried;
    total.held += row.held;
    total.escapes += row.escapes;
    total.errors += row.errors;
  }
  const header = ['class', 'server', 'tried', 'held as expected', 'escapes', 'errors'];
  const body = rows.map((row) => [
    row.class,
    row.server,
    String(row.tried),
    String(row.held),
    String(row.escapes),
    String(row.errors),
  ]);
  const footer = [
    'total',
    '',
    String(total.tried),
    String(total.held),
    String(total.escapes),
    String(total.errors),
  ];
  const table = [header, ...body, footer];
  const widths = header.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const lines = [render(header), rule, ...body.map(render), rule, render(footer)];
  const problems = verbose ? outcomes : outcomes.filter((outcome) => outcome.status !== 'held');
  if (problems.length > 0) lines.push('');
  for (const problem of problems) {
    lines.push(
      `${problem.status.toUpperCase()} ${problem.id} [${problem.target}, ${problem.tool}] ${problem.detail}`,
    );
  }
  return lines.join('\n');
}
