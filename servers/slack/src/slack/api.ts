import { createRequire } from 'node:module';
import { type Logger, ToolError } from '@bulwark/runtime';
import type { WebClient } from '@slack/web-api';
import { rateLimitError, SlackCallError, slackPlatformError } from './errors.js';

const require = createRequire(import.meta.url);

/**
 * @slack/web-api, loaded on the first call instead of at startup: ~30 ms of module loading that
 * `initialize` need not wait for. It is CommonJS, so a lazy `require` keeps this synchronous.
 */
let sdk: typeof import('@slack/web-api') | undefined;
function loadSdk(): typeof import('@slack/web-api') {
  sdk ??= require('@slack/web-api') as typeof import('@slack/web-api');
  return sdk;
}

/** How the server reaches Slack. */
export interface SlackApiOptions {
  botToken: string;
  userToken?: string;
  /** Base URL ending in `/`. */
  apiUrl: string;
  teamId?: string;
  /** Retries after HTTP 429. */
  maxRetries: number;
  /** Longest `Retry-After` (seconds) waited out; a longer one is reported at once. */
  maxRetryWaitSeconds: number;
  /** Milliseconds per HTTP request. */
  timeoutMs: number;
  logger: Logger;
}

/** Options of one call. */
export interface SlackCallOptions {
  /** Which token: the bot's (default) or the user's (`search.messages`). */
  token?: 'bot' | 'user';
  /**
   * A call that changes something. Writes are never retried after a transport failure (the first
   * attempt may have landed); every call is retried after HTTP 429, which Slack answers before
   * doing anything.
   */
  write?: boolean;
  /** Cancels the wait (the request itself may still complete at Slack). */
  signal?: AbortSignal;
}

/** The fields every Web API answer may carry (https://docs.slack.dev/apis/web-api/#responses). */
export interface SlackResponseBase {
  ok: boolean;
  response_metadata?: { next_cursor?: string; scopes?: string[]; warnings?: string[] };
}

/**
 * The Web API behind the tools: one `WebClient` per token and kind of call, created on first
 * use. Every failure becomes a {@link SlackCallError} (a `ToolError`), so a tool returns an
 * `isError` result naming Slack's error code and what it means; `ok: false` is never a success.
 *
 * Rate limits: calls are made with `rejectRateLimitedCalls`, and this class waits out each
 * `Retry-After` itself (up to `maxRetries` times, each wait at most `maxRetryWaitSeconds`,
 * cancellable), then reports when to try again. The SDK's own 429 handling pauses every queued
 * call for the whole wait and cannot be cancelled, which an interactive tool should not do.
 */
export class SlackApi {
  readonly #clients = new Map<string, WebClient>();

  /** @param options - tokens, URL, retry and timeout settings */
  constructor(private readonly options: SlackApiOptions) {}

  /** Whether a user token is configured. */
  get hasUserToken(): boolean {
    return this.options.userToken !== undefined;
  }

  /**
   * Calls one Web API method.
   *
   * @param method - e.g. `conversations.history`
   * @param args - the method's arguments (undefined values are left out)
   * @param options - token, write, signal
   * @returns Slack's answer (`ok: true`), with `response_metadata.scopes` from `x-oauth-scopes`
   * @throws SlackCallError for `ok: false`, an exhausted rate limit, an HTTP or network failure
   * @throws ToolError when the call was cancelled or the user token is needed but not configured
   */
  async call<T extends object = Record<string, unknown>>(
    method: string,
    args: Record<string, unknown> = {},
    options: SlackCallOptions = {},
  ): Promise<T & SlackResponseBase> {
    const client = this.#client(options.token ?? 'bot', options.write === true);
    const { ErrorCode } = loadSdk();
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw cancelled();
      try {
        return (await abortable(client.apiCall(method, args), options.signal)) as T & SlackResponseBase;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === ErrorCode.RateLimitedError) {
          const wait = (error as { retryAfter: number }).retryAfter;
          if (attempt >= this.options.maxRetries || wait > this.options.maxRetryWaitSeconds) {
            throw rateLimitError(method, wait);
          }
          this.options.logger.info(`Slack rate-limited ${method}; retrying in ${wait} s`);
          await sleep(wait * 1000, options.signal);
          continue;
        }
        throw this.#describe(method, error);
      }
    }
  }

  #client(token: 'bot' | 'user', write: boolean): WebClient {
    const key = `${token}:${write ? 'write' : 'read'}`;
    let client = this.#clients.get(key);
    if (client) return client;
    const value = token === 'user' ? this.options.userToken : this.options.botToken;
    if (!value) throw new ToolError('This needs a user token; set SLACK_USER_TOKEN (xoxp-...).');
    const { WebClient, LogLevel } = loadSdk();
    const log = this.options.logger;
    client = new WebClient(value, {
      slackApiUrl: this.options.apiUrl,
      ...(this.options.teamId ? { teamId: this.options.teamId } : {}),
      timeout: this.options.timeoutMs,
      rejectRateLimitedCalls: true,
      // Transport failures and 5xx: two quick retries for reads, none for writes.
      retryConfig: write ? { retries: 0 } : { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
      allowAbsoluteUrls: false,
      // The SDK's debug lines carry request bodies; only its warnings and errors are kept.
      logger: {
        debug: () => {},
        info: () => {},
        warn: (...messages: unknown[]) => log.warning(`slack: ${messages.map(String).join(' ')}`),
        error: (...messages: unknown[]) => log.error(`slack: ${messages.map(String).join(' ')}`),
        setLevel: () => {},
        getLevel: () => LogLevel.WARN,
        setName: () => {},
      },
    });
    this.#clients.set(key, client);
    return client;
  }

  #describe(method: string, error: unknown): Error {
    if (error instanceof ToolError) return error;
    const { ErrorCode } = loadSdk();
    const failure = error as {
      code?: string;
      data?: Record<string, unknown>;
      statusCode?: number;
      original?: Error;
      message?: string;
    };
    if (failure.code === ErrorCode.PlatformError && failure.data)
      return slackPlatformError(method, failure.data);
    if (failure.code === ErrorCode.HTTPError) {
      return new SlackCallError(
        `Slack answered ${method} with HTTP ${failure.statusCode}; try again shortly.`,
        'http_error',
        method,
      );
    }
    if (failure.code === ErrorCode.RequestError) {
      const original = failure.original;
      const timedOut = original?.name === 'TimeoutError' || /timeout/i.test(original?.message ?? '');
      return new SlackCallError(
        timedOut
          ? `Slack did not answer ${method} within ${this.options.timeoutMs / 1000} s; try again.`
          : `Could not reach Slack for ${method} (${oneLine(original?.message ?? 'network error')}); check the network or SLACK_API_URL.`,
        timedOut ? 'timeout' : 'request_error',
        method,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function oneLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function cancelled(): ToolError {
  return new ToolError('The request was cancelled.');
}

/** Resolves with the promise, or rejects with "cancelled" as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
