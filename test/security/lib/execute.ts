/**
 * Runs attack cases against started targets and judges each result. The runner (`run.mjs`) and
 * the vitest file (`attacks.test.ts`) both go through {@link defineSuite} and {@link OpenSuite},
 * so a case means the same thing in both.
 */
import { findSmuggled, revealSmuggled, SMUGGLED } from './smuggle.js';
import type {
  AttackCase,
  AttackClass,
  Expectation,
  Outcome,
  ServerName,
  StartedTarget,
  Target,
} from './types.js';

/** Longest a single tool call may take before the case is judged an error. */
const CALL_TIMEOUT_MS = 20_000;

/** What a list of cases says about itself before anything runs. */
export interface CaseInfo {
  id: string;
  class: AttackClass;
  tool: string;
}

/** A target with its cases, ready to open. */
export interface Suite {
  target: { name: string; server: ServerName; description: string };
  cases: readonly CaseInfo[];
  /** Starts the target's server and fixtures. */
  open(): Promise<OpenSuite>;
}

/** A started suite: run its cases by index, then close it. */
export interface OpenSuite {
  /**
   * Runs one case and judges it. Never throws for a server's behaviour: a thrown client error is
   * an `error` outcome.
   *
   * @param index - position in `Suite.cases`
   */
  run(index: number): Promise<Outcome>;
  close(): Promise<void>;
}

/** The shape of a tool result as the client returns it. */
interface ResultLike {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/**
 * Binds cases to the target they run against.
 *
 * @param target - the server configuration
 * @param cases - its cases; ids must be unique
 * @returns the suite
 * @throws Error when two cases share an id
 */
export function defineSuite<F>(target: Target<F>, cases: readonly AttackCase<F>[]): Suite {
  const seen = new Set<string>();
  for (const attack of cases) {
    if (seen.has(attack.id)) throw new Error(`duplicate case id ${attack.id} in ${target.name}`);
    seen.add(attack.id);
  }
  return {
    target: { name: target.name, server: target.server, description: target.description },
    cases: cases.map(({ id, class: kind, tool }) => ({ id, class: kind, tool })),
    async open() {
      const started = await target.start();
      return {
        run: (index) => {
          const attack = cases[index];
          if (!attack) throw new Error(`no case ${index} in ${target.name}`);
          return runCase(target, started, attack);
        },
        close: () => started.close(),
      };
    },
  };
}

async function runCase<F>(
  target: Target<F>,
  started: StartedTarget<F>,
  attack: AttackCase<F>,
): Promise<Outcome> {
  const outcome = (status: Outcome['status'], detail = ''): Outcome => ({
    id: attack.id,
    class: attack.class,
    server: target.server,
    target: target.name,
    tool: attack.tool,
    status,
    detail,
  });
  const args = typeof attack.arguments === 'function' ? attack.arguments(started.fixture) : attack.arguments;
  const sent = JSON.stringify(args);
  if (attack.class === 'unicode' && SMUGGLED.test(sent)) {
    return outcome('error', 'the case itself sends smuggled code points; a result could only echo them');
  }
  const compare = await started.watch();
  let result: ResultLike | undefined;
  let thrown: string | undefined;
  try {
    result = (await started.session.client.callTool(
      { name: attack.tool, arguments: args },
      { timeout: CALL_TIMEOUT_MS },
    )) as ResultLike;
  } catch (error) {
    thrown = error instanceof Error ? error.message : String(error);
  }
  const changed = [...(await compare()), ...((await attack.verify?.(started.fixture)) ?? [])];
  await started.reset?.();
  if (changed.length > 0) return outcome('escape', `changed: ${changed.join('; ')}`);
  if (!result) return outcome('error', `the call threw instead of returning a result: ${thrown ?? ''}`);
  const whole = JSON.stringify({ content: result.content, structuredContent: result.structuredContent });
  const leaked = [...started.forbidden, ...(attack.forbidden?.(started.fixture) ?? [])].filter(
    (secret) => secret !== '' && !sent.includes(jsonInner(secret)) && whole.includes(jsonInner(secret)),
  );
  if (leaked.length > 0) return outcome('escape', `result contains ${leaked.join(', ')}: ${excerpt(result)}`);
  const expectation = typeof attack.expect === 'function' ? attack.expect(started.fixture) : attack.expect;
  // A case that held keeps an excerpt of what the server answered, for `run.mjs --verbose`.
  return judge(expectation, result, (status, detail) =>
    outcome(status, detail ?? (status === 'held' ? excerpt(result) : '')),
  );
}

function judge(
  expectation: Expectation,
  result: ResultLike,
  outcome: (status: Outcome['status'], detail?: string) => Outcome,
): Outcome {
  const text = textOf(result);
  switch (expectation.kind) {
    case 'refused':
    case 'rule': {
      if (!result.isError) return outcome('escape', `not refused: ${excerpt(result)}`);
      const ok =
        expectation.kind === 'refused' ? expectation.message.test(text) : text.includes(expectation.rule);
      return ok ? outcome('held') : outcome('escape', `refused for another reason: ${oneLine(text)}`);
    }
    case 'contained':
      if (expectation.message && !expectation.message.test(text)) {
        return outcome('error', `expected ${expectation.message} in: ${oneLine(text)}`);
      }
      return outcome('held');
    case 'clean': {
      if (Boolean(result.isError) !== Boolean(expectation.error)) {
        return outcome('error', `expected ${expectation.error ? 'an error' : 'success'}: ${oneLine(text)}`);
      }
      const found = [
        ...findSmuggled(result.content, 'content'),
        ...findSmuggled(result.structuredContent, 'structuredContent'),
      ];
      if (found.length > 0) return outcome('escape', smuggledDetail(found, result));
      return missing(expectation.visible, JSON.stringify(result), outcome);
    }
    case 'clean-text': {
      if (result.isError) return outcome('error', `expected success: ${oneLine(text)}`);
      const found = findSmuggled(result.content, 'content');
      if (found.length > 0) return outcome('escape', smuggledDetail(found, result));
      const absent = expectation.exact.filter((value) => !containsExactly(result.structuredContent, value));
      if (absent.length > 0) {
        return outcome(
          'error',
          `structuredContent lost the exact value of ${absent.map(revealSmuggled).join(', ')}`,
        );
      }
      return missing(expectation.visible, JSON.stringify(result.content), outcome);
    }
    case 'verbatim': {
      if (result.isError) return outcome('error', `expected success: ${oneLine(text)}`);
      const absent = expectation.exact.filter(
        (value) => !text.includes(value) || !containsExactly(result.structuredContent, value),
      );
      if (absent.length > 0) {
        return outcome('error', `not returned verbatim: ${absent.map(revealSmuggled).join(', ')}`);
      }
      return outcome('held');
    }
    case 'allowed':
      if (result.isError) return outcome('error', `control refused: ${oneLine(text)}`);
      if (!JSON.stringify(result).includes(jsonInner(expectation.contains))) {
        return outcome('error', `control result lacks ${expectation.contains}: ${excerpt(result)}`);
      }
      return outcome('held');
  }
}

function missing(
  visible: readonly string[],
  haystack: string,
  outcome: (status: Outcome['status'], detail?: string) => Outcome,
): Outcome {
  const absent = visible.filter((value) => !haystack.includes(jsonInner(value)));
  if (absent.length > 0) {
    return outcome(
      'error',
      `the planted item did not come back (no ${absent.join(', ')}); nothing was tested`,
    );
  }
  return outcome('held');
}

/** A string as it appears inside JSON text (escaped, without the quotes). */
function jsonInner(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** True when some string inside `value` contains `exact` unchanged. */
function containsExactly(value: unknown, exact: string): boolean {
  if (typeof value === 'string') return value.includes(exact);
  if (Array.isArray(value)) return value.some((item) => containsExactly(item, exact));
  if (value !== null && typeof value === 'object') {
    return Object.values(value).some((item) => containsExactly(item, exact));
  }
  return false;
}

function smuggledDetail(found: ReturnType<typeof findSmuggled>, result: ResultLike): string {
  const places = found
    .slice(0, 6)
    .map(
      (place) =>
        `${place.path} (${place.codePoints.slice(0, 4).join(' ')}${place.codePoints.length > 4 ? ' ...' : ''})`,
    )
    .join(', ');
  return `smuggled code points in ${places}${found.length > 6 ? ` and ${found.length - 6} more` : ''}: ${excerpt(result)}`;
}

function textOf(result: ResultLike): string {
  const blocks = Array.isArray(result.content) ? (result.content as { type?: string; text?: string }[]) : [];
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('\n');
}

function oneLine(text: string): string {
  const line = revealSmuggled(text).replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

function excerpt(result: ResultLike): string {
  return oneLine(
    result.isError ? textOf(result) : JSON.stringify(result.structuredContent ?? textOf(result)),
  );
}
