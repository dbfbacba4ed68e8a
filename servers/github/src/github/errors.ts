import { stripUnsafeText } from '@bulwark/hardening';
import { ToolError } from '@bulwark/runtime';
import { SERVER_ERROR_RETRIES } from './client.js';

/** The parts of an Octokit `RequestError` (name `HttpError`) that the mapping reads. */
interface HttpErrorLike {
  name: string;
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'HttpError' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * Turns a failed GitHub request into a one-line {@link ToolError} that says what happened and what
 * to do: 404 (not found or not visible to the token), 401, 403 and 429 rate limits (primary: when
 * the limit resets, from `x-ratelimit-reset`; secondary: when to retry, from `retry-after`), other
 * 403s (with the scopes GitHub says the endpoint accepts), 409, 422 (GitHub's validation errors),
 * 5xx after the retries, network failures and timeouts. GitHub's own message is kept, cleaned of
 * hidden characters and cut to 200 characters. Anything else is returned unchanged.
 *
 * @param error - what a request threw
 * @param what - the object of the call for messages, e.g. `octo/repo#12`
 * @param now - clock, for tests
 * @returns a ToolError, or `error` itself when it is not a request failure
 */
export function toGitHubError(error: unknown, what: string, now: () => number = Date.now): unknown {
  if (isAbort(error)) {
    return new ToolError(`GitHub did not answer in time for ${what}; try again.`);
  }
  if (!isHttpError(error)) return error;
  const headers = error.response?.headers ?? {};
  const header = (name: string) => (headers[name] === undefined ? undefined : String(headers[name]));
  const detail = upstreamMessage(error);
  const status = error.status;
  if (status === 500 && !error.response) {
    return new ToolError(
      `Could not reach the GitHub API (${clip(error.message, 120)}) after ${SERVER_ERROR_RETRIES} retries; check the network or GITHUB_API_URL.`,
    );
  }
  if ((status === 403 || status === 429) && header('x-ratelimit-remaining') === '0') {
    const reset = Number(header('x-ratelimit-reset'));
    return new ToolError(
      `GitHub's API rate limit for this token is used up; ${Number.isFinite(reset) && reset > 0 ? `it resets at ${new Date(reset * 1000).toISOString()} (in ${inWords(reset * 1000 - now())}); try again then` : 'try again in an hour'}.`,
    );
  }
  if (status === 429 || (status === 403 && /secondary rate|abuse/i.test(error.message))) {
    const after = Number(header('retry-after'));
    return new ToolError(
      `GitHub's secondary rate limit stopped ${what}; try again ${Number.isFinite(after) && after > 0 ? `in ${inWords(after * 1000)} (after ${new Date(now() + after * 1000).toISOString()})` : 'in a minute'}.`,
    );
  }
  switch (status) {
    case 401:
      return new ToolError('GitHub refused the token (401); check GITHUB_PERSONAL_ACCESS_TOKEN.');
    case 403: {
      const accepted = header('x-accepted-oauth-scopes');
      return new ToolError(
        `GitHub refused ${what} (403: ${detail})${accepted ? `; the endpoint accepts the token scopes ${accepted}` : '; the token may lack a permission'}.`,
      );
    }
    case 404:
      return new ToolError(
        `${what} was not found (404); check the name, number or path. Private repositories the token cannot see also answer 404.`,
      );
    case 409:
      return new ToolError(
        `GitHub reported a conflict for ${what} (409: ${detail}); reload it and try again.`,
      );
    case 422:
      return new ToolError(`GitHub rejected the input for ${what} (422: ${detail}); correct the arguments.`);
  }
  if (status >= 500) {
    return new ToolError(
      `GitHub answered ${status} for ${what} after ${SERVER_ERROR_RETRIES} retries; try again in a minute.`,
    );
  }
  return new ToolError(`GitHub answered ${status} for ${what} (${detail}).`);
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** GitHub's `message` with its validation `errors` (field and code), cleaned and cut. */
function upstreamMessage(error: HttpErrorLike): string {
  const data = error.response?.data as
    | { message?: unknown; errors?: { field?: unknown; code?: unknown; message?: unknown }[] }
    | undefined;
  let text = typeof data?.message === 'string' ? data.message : error.message.split(' - ')[0] || 'no message';
  if (Array.isArray(data?.errors) && data.errors.length > 0) {
    const parts = data.errors.map((entry) =>
      typeof entry === 'string'
        ? entry
        : [entry.field, entry.code, entry.message].filter((part) => typeof part === 'string').join(' '),
    );
    text += `: ${parts.join('; ')}`;
  }
  return clip(text, 200);
}

function clip(text: string, max: number): string {
  const clean = stripUnsafeText(text).text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
