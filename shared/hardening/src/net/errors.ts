/**
 * Why the network guard refused a request. Each rule has an id that tests and docs cite
 * (`ssrf:scheme`, `ssrf:address`, ...).
 */
export type NetGuardRule =
  | 'scheme'
  | 'credentials'
  | 'host-denied'
  | 'address'
  | 'dns'
  | 'redirect-limit'
  | 'redirect-loop'
  | 'timeout'
  | 'encoding'
  | 'connect';

/**
 * Thrown when the guard refuses a URL, an address, a redirect or a response (too slow, an
 * unsupported content coding). The message is one line of cause and remedy and names no
 * address the request did not already name.
 */
export class NetGuardError extends Error {
  override readonly name = 'NetGuardError';

  /**
   * @param rule - which check refused
   * @param message - one line of cause and remedy
   * @param url - the URL (hop) that was refused, when known
   */
  constructor(
    readonly rule: NetGuardRule,
    message: string,
    readonly url?: string,
  ) {
    super(message);
  }
}
