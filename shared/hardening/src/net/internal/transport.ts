/**
 * The undici half of the guarded client (../client.ts). It is the only module of the network
 * guard that imports undici, and the client loads it with `import()` on its first request, so a
 * server that has not fetched anything has not parsed undici (over half a megabyte of JavaScript,
 * most of a fetch server's start-up time). Internal: not exported from the package.
 */
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';

/** The dispatcher the client's requests go through, and undici's `request` to send them with. */
export interface Transport {
  /** The connection pool: direct (sockets resolve through the pinned lookup) or the proxy's. */
  dispatcher: Dispatcher;
  /** undici's `request`; the client passes {@link Transport.dispatcher} on every call. */
  request: typeof request;
}

/** What the dispatcher is built from; the client has already validated all of it. */
export interface TransportOptions {
  /** The pinned lookup every direct socket resolves names with. */
  lookup: LookupFunction;
  /** Connect timeout of a direct socket, in ms. */
  timeoutMs: number;
  /** An HTTP(S) proxy URL; when set, connections go through it and `lookup` is not used. */
  proxy: string | undefined;
}

/**
 * Builds the dispatcher: a `ProxyAgent` for a proxy, else an `Agent` of at most 16 connections
 * per origin whose sockets resolve names only through the pinned lookup.
 *
 * @param options - lookup, connect timeout, proxy
 * @returns the dispatcher and `request`
 * @throws TypeError for a proxy URL that does not parse (the client checks it first)
 * @example
 * const { dispatcher, request } = createTransport({ lookup, timeoutMs: 30_000, proxy: undefined });
 * const response = await request('https://example.com/', { dispatcher });
 */
export function createTransport(options: TransportOptions): Transport {
  const dispatcher: Dispatcher = options.proxy
    ? new ProxyAgent({ uri: options.proxy })
    : new Agent({ connect: { lookup: options.lookup, timeout: options.timeoutMs }, connections: 16 });
  return { dispatcher, request };
}
