import { InputNeeded, ToolError } from '@bulwark/runtime';
import type { GhContext } from '../deps.js';
import type { RepoRef } from './allowlist.js';

/**
 * Runs one write: the allowlist (before any request), the session guard, the user's confirmation
 * when `confirm` is given (elicitation; clients without it are not asked), then the request. Every
 * outcome is audited (tool, target, `ok`/`denied`/`error`, the HTTP status; never a body).
 *
 * @param ctx - the tool context
 * @param tool - tool name, for the audit log
 * @param repo - the `repo` argument (`owner/name`)
 * @param target - what the write acts on, from the repository ref (e.g. `octo/repo#12`)
 * @param run - the request
 * @param confirm - the question to ask first, for irreversible writes
 * @returns what `run` returned
 * @throws ToolError when the allowlist or the guard refuses, or the user declines
 */
export async function performWrite<T>(
  ctx: GhContext,
  tool: string,
  repo: string,
  target: (ref: RepoRef) => string,
  run: (ref: RepoRef) => Promise<T>,
  confirm?: (ref: RepoRef) => string,
): Promise<T> {
  const { audit, allowlist, session } = ctx.deps;
  let ref: RepoRef | undefined;
  try {
    ref = allowlist.check(repo);
    await session.checkWrite(ref.owner, ref.repo, ctx.signal);
    if (confirm && !(await ctx.confirm(confirm(ref)))) {
      throw new ToolError(`The user declined; ${target(ref)} was left unchanged.`);
    }
  } catch (error) {
    if (!(error instanceof InputNeeded)) {
      audit.record({
        tool,
        target: ref ? target(ref) : repo,
        outcome: 'denied',
        detail: error instanceof Error ? error.message.slice(0, 200) : 'refused',
      });
    }
    throw error;
  }
  try {
    const result = await run(ref);
    audit.record({ tool, target: target(ref), outcome: 'ok' });
    return result;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    audit.record({
      tool,
      target: target(ref),
      outcome: 'error',
      detail: typeof status === 'number' ? `HTTP ${status}` : (error as Error).name,
    });
    throw error;
  }
}
