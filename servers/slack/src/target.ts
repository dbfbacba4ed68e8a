import { sanitizeName } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import type { SlackDeps } from './deps.js';
import {
  type ChannelRef,
  type ChannelScope,
  type Precheck,
  type Purpose,
  parseChannelRef,
  type ResolvedConversation,
} from './policy.js';

/** A conversation a tool may touch: its ID and a label for messages and envelopes. */
export interface Target extends ResolvedConversation {
  /** `#name`, `@user` or the ID, for text and envelopes. */
  label: string;
}

/** A refusal by an allowlist; write tools audit it as `denied`. */
export class PolicyDenied extends ToolError {}

/**
 * Resolves a conversation reference and checks it against the allowlists the purpose needs
 * (`--channels`, and `--allow-post` for writes), refusing before any request to Slack whenever
 * the reference alone decides it. Otherwise the reference is resolved (a `#name` through
 * `conversations.list`, an `@user` through the user lookups and `conversations.open`) and the
 * resolved conversation is checked; only read-only metadata methods are called before a refusal,
 * and a refused direct message is never opened.
 *
 * @param deps - directory and policy
 * @param raw - the reference the tool was given (`C0123ABCD`, `#name`, `@user`)
 * @param purpose - read, post or edit
 * @param signal - the call's signal
 * @returns the checked target
 * @throws PolicyDenied when an allowlist refuses it
 * @throws ToolError when the reference is malformed or names nothing
 * @throws SlackCallError when a lookup is refused by Slack
 */
export async function resolveTarget(
  deps: Pick<SlackDeps, 'directory' | 'policy'>,
  raw: string,
  purpose: Purpose,
  signal?: AbortSignal,
): Promise<Target> {
  let ref: ChannelRef;
  let scopes: ChannelScope[];
  try {
    ref = parseChannelRef(raw);
    scopes = deps.policy.scopesFor(purpose);
  } catch (error) {
    throw new ToolError((error as Error).message);
  }
  const verdicts: Precheck[] = scopes.map((scope) => scope.precheck(ref));
  scopes.forEach((scope, index) => {
    if (verdicts[index] === 'deny') throw refusal(scope, ref.raw);
  });
  const { directory } = deps;
  const lookup = directory.lookup(signal);
  let target: ResolvedConversation;
  if (ref.kind === 'id') {
    const name = directory.channelName(ref.id);
    target = { id: ref.id, ...(name ? { name } : {}) };
  } else if (ref.kind === 'name') {
    target = { id: await directory.channelIdByName(ref.name, signal), name: ref.name };
  } else {
    const userId = await directory.userId(ref.user, signal);
    if (!userId) throw new ToolError(`No user ${ref.raw} was found; give the user ID (U...) or email.`);
    let allowedByUser = true;
    for (const [index, scope] of scopes.entries()) {
      if (verdicts[index] !== 'unknown') continue;
      if (await scope.allowsUser(userId, lookup)) verdicts[index] = 'allow';
      else if (!scope.hasDmIds) throw refusal(scope, ref.raw);
      else allowedByUser = false;
    }
    // A DM is created only for a write that the allowlists already allow; otherwise only an
    // existing one is looked up.
    const id = await directory.openDm(userId, purpose !== 'read' && allowedByUser, signal);
    if (!id) throw new ToolError(`There is no direct message with ${ref.raw} yet.`);
    target = { id, user: userId };
  }
  for (const [index, scope] of scopes.entries()) {
    if (verdicts[index] === 'unknown' && !(await scope.allows(target, lookup).catch(() => false))) {
      throw refusal(scope, ref.raw);
    }
  }
  return { ...target, label: labelOf(deps, target) };
}

/**
 * A label for a conversation ID whose name may be cached: `#name`, `@user` or the ID.
 *
 * @param deps - the directory
 * @param target - the conversation
 */
export function labelOf(deps: Pick<SlackDeps, 'directory'>, target: ResolvedConversation): string {
  const entry = deps.directory.cachedConversation(target.id);
  const name = target.name ?? entry?.name;
  // Names come from the workspace: shown cleaned, like every other name a tool prints.
  if (name) return `#${sanitizeName(name).name}`;
  const user = target.user ?? entry?.user;
  if (user) return `@${sanitizeName(deps.directory.userName(user) ?? user).name}`;
  return target.id;
}

function refusal(scope: ChannelScope, raw: string): PolicyDenied {
  return scope.flag === '--channels'
    ? new PolicyDenied(`${raw} is outside this server's --channels allowlist (${scope.describe()}).`)
    : new PolicyDenied(`Writing to ${raw} is not allowed; --allow-post covers ${scope.describe()}.`);
}
