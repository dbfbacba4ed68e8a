/**
 * What the HTTP transport layers over a server's tools: per-token tool visibility, rate limits,
 * metrics and the per-call audit, as {@link ServerHooks}.
 */
import {
  type AuthInfo,
  type CallToolResult,
  isInputRequiredResult,
  type McpRequestContext,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit.js';
import { redactArguments } from '../redact.js';
import { runInRequestScope } from '../request-scope.js';
import type { ServerHooks, ToolInfo } from '../server.js';
import { ANONYMOUS_SUBJECT } from './auth.js';
import type { CallOutcome, HttpMetrics } from './metrics.js';
import type { RateLimits, RateLimitVerdict } from './rate-limit.js';

/** What {@link createHttpHooks} needs. */
export interface HttpPolicy {
  /** Whether the deployment authenticates callers (false: every tool for everyone). */
  authenticated: boolean;
  /** The scope a write tool needs. */
  writeScope: string;
  limits: RateLimits;
  metrics: HttpMetrics;
  /** Receives one entry per call. */
  audit: AuditLog;
}

/**
 * Whether a tool writes: its `readOnlyHint` is false (MCP 2025-11-25 server/tools annotations).
 *
 * @param tool - the tool
 * @returns true for a write tool
 */
export function isWriteTool(tool: ToolInfo): boolean {
  return tool.annotations.readOnlyHint === false;
}

/**
 * The caller's subject from verified token information: `extra.subject` (set by the
 * authenticator from `sub`), else the client id, else `anonymous`.
 *
 * @param authInfo - what the authenticator verified, if anything
 * @returns the subject
 */
export function subjectOf(authInfo: AuthInfo | undefined): string {
  if (!authInfo) return ANONYMOUS_SUBJECT;
  const subject = authInfo.extra?.subject;
  return typeof subject === 'string' && subject !== '' ? subject : authInfo.clientId;
}

/**
 * Builds the hooks:
 * - `exposeTool`: a write tool is registered only for a token with the write scope, so a reader's
 *   `tools/list` shows only what it may call (the HTTP front answers a reader's call to a write
 *   tool with `403 insufficient_scope` before it gets here).
 * - `aroundCall`: takes the call from the rate limits (a refused call returns an `isError`
 *   result that says when to retry, without running the tool), runs the tool in the caller's
 *   request scope (so audit entries written by the tool name the subject), then records the
 *   call's latency and outcome in the metrics and one audit line with redacted arguments.
 *
 * @param policy - scopes, limits, metrics and audit
 * @returns the hooks for `createServerFactory`
 */
export function createHttpHooks(policy: HttpPolicy): ServerHooks {
  return {
    exposeTool(tool, request) {
      if (!policy.authenticated || !isWriteTool(tool)) return true;
      return request?.authInfo?.scopes.includes(policy.writeScope) === true;
    },
    async aroundCall({ tool, args, request }, next) {
      const subject = subjectOf((request as McpRequestContext | undefined)?.authInfo);
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      const verdict = await policy.limits.consume(subject, tool.name);
      if (!verdict.allowed) {
        const result = rateLimitedResult(tool.name, verdict);
        policy.metrics.observeCall(tool.name, 'rate_limited', elapsed());
        policy.audit.record({
          tool: tool.name,
          target: '-',
          outcome: 'denied',
          detail: `rate limited (${verdict.scope} limit ${verdict.limit}/${verdict.windowSeconds}s)`,
          subject,
          arguments: redactArguments(args),
          durationMs: Math.round(elapsed() * 1000),
        });
        return result;
      }
      let outcome: CallOutcome = 'error';
      let detail: string | undefined;
      try {
        const result = await runInRequestScope({ subject }, next);
        if (isInputRequiredResult(result)) {
          outcome = 'input_required';
          detail = 'input required';
        } else if ((result as CallToolResult).isError) {
          detail = firstText(result as CallToolResult);
        } else {
          outcome = 'ok';
        }
        return result;
      } catch (error) {
        detail = 'internal error';
        throw error;
      } finally {
        const seconds = elapsed();
        policy.metrics.observeCall(tool.name, outcome, seconds);
        policy.audit.record({
          tool: tool.name,
          target: '-',
          outcome: outcome === 'error' ? 'error' : 'ok',
          ...(detail ? { detail } : {}),
          subject,
          arguments: redactArguments(args),
          durationMs: Math.round(seconds * 1000),
        });
      }
    },
  };
}

/**
 * The result of a call refused by a rate limit: `isError`, one line that names the limit and
 * says when to retry, and `_meta["bulwark/retryAfterSeconds"]` for clients that read it.
 *
 * @param tool - the tool called
 * @param verdict - the refusal
 * @returns the result
 */
export function rateLimitedResult(
  tool: string,
  verdict: Extract<RateLimitVerdict, { allowed: false }>,
): CallToolResult {
  const what = verdict.scope === 'tool' ? `${verdict.limit} calls of ${tool}` : `${verdict.limit} tool calls`;
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: `Rate limit reached: at most ${what} per ${verdict.windowSeconds} s for this caller; retry in ${verdict.retryAfterSeconds} s.`,
      },
    ],
    _meta: { 'bulwark/retryAfterSeconds': verdict.retryAfterSeconds },
  };
}

function firstText(result: CallToolResult): string | undefined {
  const first = result.content?.[0];
  if (first?.type !== 'text') return undefined;
  const line = first.text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
