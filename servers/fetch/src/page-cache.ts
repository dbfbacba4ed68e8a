import type { GuardedResponse } from '@bulwark/hardening/net';
import CachePolicy from 'http-cache-semantics';

/** Default total bytes of cached bodies (32 MiB). */
export const PAGE_CACHE_BYTES = 32 * 1024 * 1024;
/** Default most cached pages. */
export const PAGE_CACHE_ENTRIES = 128;

/** A stored response and the HTTP caching policy that governs its reuse. */
export interface CachedPage {
  response: GuardedResponse;
  policy: CachePolicy;
}

/** What the cache says about a URL before the network is asked. */
export type CacheLookup =
  | { kind: 'fresh'; page: CachedPage }
  | { kind: 'revalidate'; page: CachedPage; conditional: { url: string; headers: Record<string, string> } }
  | { kind: 'miss' };

/** A small in-memory HTTP cache; see {@link createPageCache}. */
export interface PageCache {
  /**
   * Looks a URL up.
   *
   * @param url - the URL asked for (the key; the stored response may come from a redirect target)
   * @param requestHeaders - the headers the new request will carry (for `Vary`)
   */
  lookup(url: string, requestHeaders: Record<string, string>): CacheLookup;
  /**
   * Takes a network response: stores it when its headers allow (RFC 9111 §3), or, for a 304
   * answering a revalidation, refreshes the stored entry and returns it.
   *
   * @returns the response to use (the stored one after a 304)
   */
  accept(
    url: string,
    requestHeaders: Record<string, string>,
    response: GuardedResponse,
    revalidated?: CachedPage,
  ): GuardedResponse;
}

/**
 * Creates a private (single-user) HTTP cache on http-cache-semantics, which implements RFC 9111:
 * a stored page is served without a request while it is fresh (`max-age`, `Expires`, heuristic
 * freshness from `Last-Modified`), and once stale it is revalidated with `If-None-Match` (ETag) and
 * `If-Modified-Since` (Last-Modified), a 304 reusing the stored body. `no-store` responses are
 * never kept. Entries are evicted least-recently-used by count and total body bytes.
 *
 * @param maxBytes - total body bytes kept
 * @param maxEntries - most entries kept
 * @returns the cache
 */
export function createPageCache(maxBytes = PAGE_CACHE_BYTES, maxEntries = PAGE_CACHE_ENTRIES): PageCache {
  const entries = new Map<string, CachedPage>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.response.body.length;
    entries.delete(key);
  };
  const store = (key: string, page: CachedPage) => {
    remove(key);
    if (page.response.body.length > maxBytes / 4) return; // one page may not evict the rest
    entries.set(key, page);
    bytes += page.response.body.length;
    while (entries.size > maxEntries || bytes > maxBytes) remove(entries.keys().next().value as string);
  };
  const policyRequest = (url: string, headers: Record<string, string>) => ({ url, method: 'GET', headers });
  const policyResponse = (response: GuardedResponse) => ({
    status: response.status,
    headers: response.headers as Record<string, string | string[]>,
  });

  return {
    lookup(url, requestHeaders) {
      const page = entries.get(url);
      if (!page) return { kind: 'miss' };
      entries.delete(url);
      entries.set(url, page); // most recently used last
      const request = policyRequest(page.response.finalUrl, requestHeaders);
      if (page.policy.satisfiesWithoutRevalidation(request)) return { kind: 'fresh', page };
      const revalidation = page.policy.revalidationHeaders(request) as Record<string, string>;
      const conditional: Record<string, string> = {};
      for (const name of ['if-none-match', 'if-modified-since']) {
        const value = revalidation[name];
        if (typeof value === 'string') conditional[name] = value;
      }
      if (Object.keys(conditional).length === 0) {
        remove(url);
        return { kind: 'miss' };
      }
      return { kind: 'revalidate', page, conditional: { url: page.response.finalUrl, headers: conditional } };
    },
    accept(url, requestHeaders, response, revalidated) {
      if (revalidated && response.status === 304) {
        const request = policyRequest(revalidated.response.finalUrl, requestHeaders);
        const { policy } = revalidated.policy.revalidatedPolicy(request, policyResponse(response));
        store(url, { response: revalidated.response, policy });
        return revalidated.response;
      }
      const policy = new CachePolicy(
        policyRequest(response.finalUrl, requestHeaders),
        policyResponse(response),
        {
          shared: false,
        },
      );
      if (policy.storable() && response.status === 200) store(url, { response, policy });
      else remove(url);
      return response;
    },
  };
}
