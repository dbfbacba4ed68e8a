import { AsyncLocalStorage } from 'node:async_hooks';

/** What the runtime knows about the caller of the request being served (HTTP only). */
export interface RequestScope {
  /**
   * Who is calling: the access token's `sub` claim, `static-token` for the static bearer token,
   * or `anonymous` when the deployment has no authentication.
   */
  subject: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` with `scope` as the current request scope; everything `fn` starts (awaits, timers,
 * callbacks) sees it through {@link currentRequestScope}. The HTTP transport wraps each request
 * in one, so an audit entry a tool records names the caller without the tool passing it along.
 *
 * @param scope - the caller
 * @param fn - the work
 * @returns what `fn` returns
 */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/**
 * The scope of the request being served, or `undefined` outside one (stdio, startup).
 *
 * @returns the current scope
 */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
