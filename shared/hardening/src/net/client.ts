import type { IncomingHttpHeaders } from 'node:http';
import { parseIpLiteral } from './address-policy.js';
import { ACCEPT_ENCODING, parseContentEncoding, readBoundedBody } from './body.js';
import { NetGuardError } from './errors.js';
import type { Transport } from './internal/transport.js';
import { createPinnedLookup, type Resolver, systemResolver } from './lookup.js';
import { createNetPolicy, type NetPolicy, type NetPolicyOptions } from './policy.js';

/** Most redirects one request follows (each hop is checked like the first). */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Default overall deadline of one request, redirects included, in milliseconds. */
export const DEFAULT_NET_TIMEOUT_MS = 30_000;
/** Default cap on a decoded response body, in bytes (10 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// The proxy schemes undici's ProxyAgent connects through.
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks5:']);

/** How a guarded client is built; all of it is operator configuration. */
export interface GuardedClientOptions extends NetPolicyOptions {
  /** Sent on every request (RFC 9110 §10.1.5). */
  userAgent: string;
  /** Most redirects followed (default {@link DEFAULT_MAX_REDIRECTS}). */
  maxRedirects?: number;
  /** Overall deadline per request in ms: connect, headers, body and every hop (default 30 s). */
  timeoutMs?: number;
  /** Cap on decoded body bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /**
   * An HTTP(S) proxy URL. The proxy resolves names itself, so the guard checks the scheme, the
   * host lists and literal addresses, and resolves each name locally to refuse non-public
   * answers, but it cannot see which address the proxy finally connects to: the proxy must
   * enforce its own egress policy.
   */
  proxy?: string;
  /** The resolver (default: the system's); tests pass one that plays a rebinding name. */
  resolve?: Resolver;
}

/** One request's options. */
export interface GuardedRequest {
  /** Extra request headers (never credentials; they would follow redirects). */
  headers?: Record<string, string>;
  /** Cancels the request (e.g. the MCP request's signal). */
  signal?: AbortSignal;
  /**
   * Conditional headers (`If-None-Match`, `If-Modified-Since`) to send only on the hop whose URL
   * is `url`: the validators belong to that resource, not to the redirects before it.
   */
  conditional?: { url: string; headers: Record<string, string> };
  /** Override of the client's body cap for this request, in bytes. */
  maxBodyBytes?: number;
}

/** A response that passed the guard. */
export interface GuardedResponse {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  /** Every URL visited, the first included. */
  hops: string[];
  status: number;
  headers: IncomingHttpHeaders;
  /** Decoded body bytes, at most the cap. */
  body: Buffer;
  /** True when the body was cut at the cap. */
  truncated: boolean;
}

/** A client whose every connection goes through the network guard; see {@link createGuardedClient}. */
export interface GuardedClient {
  /**
   * GETs a URL, following redirects by hand.
   *
   * @param url - absolute http(s) URL
   * @param options - headers, cancellation, conditional validators
   * @returns the final response (a 3xx without `Location` is returned as is)
   * @throws NetGuardError when the guard refuses a URL, address or redirect, when the deadline
   *   passes (`timeout`), or when the connection fails (`connect`); the caller's own abort
   *   rethrows its reason
   */
  get(url: string, options?: GuardedRequest): Promise<GuardedResponse>;
  /**
   * Checks a URL as far as it can be checked without DNS: parses it and applies the scheme,
   * credential, host-list and literal-address rules.
   *
   * @param url - absolute URL text
   * @returns the parsed URL
   * @throws NetGuardError as {@link NetPolicy.checkUrl}, or `scheme` for a URL that does not parse
   */
  checkUrl(url: string): URL;
  /**
   * Closes pooled connections, once (calling it again waits for the same close). On a client
   * that never sent a request there are none, and undici is not loaded. A request after
   * `close()` fails with `connect`.
   */
  close(): Promise<void>;
}

/**
 * Creates an HTTP client on undici whose sockets resolve names through the pinned lookup
 * ({@link createPinnedLookup}) and whose redirects are followed by hand, each hop re-checked for
 * scheme and address. One deadline covers connect, headers and body across all hops; the body is
 * capped after decompression.
 *
 * Making a client is cheap: undici is loaded, and its connection pool made, on the first
 * {@link GuardedClient.get} (a dynamic `import()`), so a server starts without it. `checkUrl`
 * never needs it. Options are validated here all the same, proxy URL included.
 *
 * @param options - policy, user agent, budgets, proxy
 * @returns the client
 * @throws TypeError for a malformed host entry, or a proxy URL that does not parse or whose
 *   scheme is not http, https, socks or socks5
 * @example
 * const client = createGuardedClient({ userAgent: 'Bulwark-Fetch/1.0' });
 * const page = await client.get('https://example.com/');
 */
export function createGuardedClient(options: GuardedClientOptions): GuardedClient {
  const policy = createNetPolicy(options);
  const resolve = options.resolve ?? systemResolver;
  const lookup = createPinnedLookup(policy, resolve);
  const timeoutMs = options.timeoutMs ?? DEFAULT_NET_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  if (options.proxy) checkProxyUrl(options.proxy);

  // undici and its pool, made on the first request (see above). A failed load is not kept, so
  // the next request tries again. The pool is closed once, by whichever comes last of close()
  // and the load; a request on a closed pool fails (undici's ClientClosedError, mapped to
  // `connect`), whether the pool was made before close() or after.
  let transport: Promise<Transport> | undefined;
  let closeRequested = false;
  let poolClosed: Promise<void> | undefined;
  const closePool = (loaded: Transport): Promise<void> => {
    poolClosed ??= loaded.dispatcher.close();
    return poolClosed;
  };
  const loadTransport = (): Promise<Transport> => {
    transport ??= import('./internal/transport.js')
      .then(({ createTransport }) => {
        const loaded = createTransport({ lookup, timeoutMs, proxy: options.proxy });
        if (closeRequested) closePool(loaded).catch(() => {}); // close() awaits it
        return loaded;
      })
      .catch((error: unknown) => {
        transport = undefined;
        throw error;
      });
    return transport;
  };

  const checkHop = async (url: URL) => {
    policy.checkUrl(url);
    // Through a proxy the socket never resolves the target; resolve it here so that at least
    // the answer this machine sees is checked (the proxy may still see another one).
    if (options.proxy) await checkByLookup(policy, resolve, url);
  };

  return {
    async get(input, requestOptions = {}) {
      let current = parseUrl(input);
      // Before the deadline starts: loading code is not part of the request's time budget.
      const { dispatcher, request } = await loadTransport();
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = requestOptions.signal ? AbortSignal.any([requestOptions.signal, deadline]) : deadline;
      const hops: string[] = [];
      try {
        for (;;) {
          await checkHop(current);
          hops.push(current.href);
          const headers: Record<string, string> = {
            'user-agent': options.userAgent,
            'accept-encoding': ACCEPT_ENCODING,
            ...requestOptions.headers,
            ...(requestOptions.conditional?.url === current.href ? requestOptions.conditional.headers : {}),
          };
          const response = await request(current, {
            method: 'GET',
            headers,
            dispatcher,
            signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          });
          const location = response.headers.location;
          if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
            discard(response.body);
            const next = nextHop(current, location);
            if (hops.includes(next.href)) {
              throw new NetGuardError('redirect-loop', `Stopped a redirect loop at ${next.href}.`);
            }
            if (hops.length > maxRedirects) {
              throw new NetGuardError(
                'redirect-limit',
                `Stopped after ${maxRedirects} redirects; fetch the last URL (${next.href}) directly if it is the one you want.`,
              );
            }
            current = next;
            continue;
          }
          const codings =
            response.statusCode === 304 ? [] : parseContentEncoding(response.headers['content-encoding']);
          const body = await readBoundedBody(
            response.body,
            codings,
            requestOptions.maxBodyBytes ?? options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
          );
          return {
            url: input,
            finalUrl: current.href,
            hops,
            status: response.statusCode,
            headers: response.headers,
            body: body.bytes,
            truncated: body.truncated,
          };
        }
      } catch (error) {
        throw translateError(error, { deadline, timeoutMs, caller: requestOptions.signal, url: current });
      }
    },
    checkUrl(input) {
      const url = parseUrl(input);
      try {
        policy.checkUrl(url);
      } catch (error) {
        throw withUrl(error, url);
      }
      return url;
    },
    async close() {
      closeRequested = true;
      const loaded = await transport?.catch(() => undefined);
      if (loaded) await closePool(loaded);
    },
  };
}

function checkProxyUrl(proxy: string): void {
  const { protocol } = new URL(proxy); // TypeError when it does not parse, as undici's own
  if (!PROXY_SCHEMES.has(protocol)) {
    throw new TypeError(`Unsupported proxy scheme ${protocol} (use http, https, socks or socks5).`);
  }
}

// Closes a body we will not read; undici reports the destroy as an error event, which is expected.
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    throw new NetGuardError('scheme', 'Not an absolute URL; give one such as https://example.com/page.');
  }
}

// Location is resolved against the current URL (RFC 9110 §10.2.2) and its scheme re-checked by
// the next checkHop; a fragment-only or relative Location stays on the same origin.
function nextHop(current: URL, location: string): URL {
  try {
    return new URL(location, current);
  } catch {
    throw new NetGuardError('scheme', `Refused a redirect to an unparseable Location from ${current.href}.`);
  }
}

async function checkByLookup(policy: NetPolicy, resolve: Resolver, url: URL): Promise<void> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (parseIpLiteral(hostname)) return; // literals: checkUrl judged them
  const answers = await resolve(hostname).catch(() => []);
  policy.checkResolved(
    hostname,
    answers.map((answer) => answer.address),
  );
}

// Names the refused hop on a guard error that does not name one yet (a refusal from the socket's
// lookup knows only the host), so callers can tell the first URL's refusal from a redirect's.
function withUrl(error: unknown, url: URL): unknown {
  if (!(error instanceof NetGuardError) || error.url !== undefined) return error;
  return new NetGuardError(error.rule, error.message, url.href);
}

function translateError(
  error: unknown,
  context: { deadline: AbortSignal; timeoutMs: number; caller: AbortSignal | undefined; url: URL },
): unknown {
  if (error instanceof NetGuardError) return withUrl(error, context.url);
  const guard = findCause(error, (cause) => cause instanceof NetGuardError);
  if (guard) return withUrl(guard, context.url);
  if (context.caller?.aborted) return context.caller.reason ?? error;
  if (context.deadline.aborted) {
    return new NetGuardError(
      'timeout',
      `${context.url.host} did not answer within ${context.timeoutMs / 1000} s; try again later or ask the operator for a longer --timeout.`,
    );
  }
  const code = (
    findCause(error, (cause) => typeof (cause as NodeJS.ErrnoException)?.code === 'string') as
      | NodeJS.ErrnoException
      | undefined
  )?.code;
  return new NetGuardError(
    'connect',
    `Could not fetch from ${context.url.host}${code ? ` (${code})` : ''}; check the URL or try again later.`,
  );
}

function findCause(error: unknown, test: (cause: unknown) => boolean): unknown {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
