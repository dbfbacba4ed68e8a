import { createAddressPolicy, isAddressOrRange, parseIpLiteral } from './address-policy.js';
import { NetGuardError } from './errors.js';

/**
 * The operator's network policy. Host entries are host names (`intranet.example`), wildcard
 * suffixes (`*.corp.example`, which match subdomains but not the apex), IP addresses or CIDR
 * ranges. None of it can be changed through tool arguments.
 */
export interface NetPolicyOptions {
  /** Schemes allowed (default `['http:', 'https:']`; nothing else can be added). */
  schemes?: readonly ('http:' | 'https:')[];
  /** Allow RFC 1918, CGNAT, unique-local and site-local addresses (an intranet deployment). */
  allowPrivate?: boolean;
  /**
   * Hosts and ranges exempt from the address policy. A named host may resolve to any address
   * except a cloud metadata endpoint or a denied range; an address or range is allowed whatever
   * its class (except metadata endpoints).
   */
  allowHosts?: readonly string[];
  /** Hosts and ranges always refused. */
  denyHosts?: readonly string[];
}

/** A compiled network policy; see {@link createNetPolicy}. */
export interface NetPolicy {
  /**
   * Checks what can be checked before any connection: scheme, credentials in the URL, denied
   * host names, the address when the host is an IP literal (no lookup is made for one), and
   * `localhost` names (RFC 6761 §6.3: always loopback) when loopback is not allowed.
   *
   * @param url - a WHATWG-parsed URL (its `hostname` is already canonical: IPv4 in dotted form,
   *   IPv6 bracketed, names lower-cased and punycoded)
   * @throws NetGuardError (`scheme`, `credentials`, `host-denied`, `address`)
   */
  checkUrl(url: URL): void;
  /**
   * Checks every address a name resolved to; one refused address refuses the name, so a DNS
   * answer that mixes public and private addresses cannot win by ordering.
   *
   * @param hostname - the name as the URL carried it
   * @param addresses - IP literals from the lookup
   * @throws NetGuardError (`address`, `dns` when there is no address)
   */
  checkResolved(hostname: string, addresses: readonly string[]): void;
}

interface HostPattern {
  exact?: string;
  suffix?: string;
}

/**
 * Compiles the operator's policy.
 *
 * @param options - the operator's settings
 * @returns the policy
 * @throws TypeError for an entry that is neither a host name, a wildcard name, an IP address nor
 *   a CIDR range
 * @example
 * const policy = createNetPolicy({ allowHosts: ['127.0.0.1'] });
 * policy.checkUrl(new URL('http://127.0.0.1:8080/')); // passes
 * policy.checkUrl(new URL('http://[::1]/'));          // throws NetGuardError('address')
 */
export function createNetPolicy(options: NetPolicyOptions = {}): NetPolicy {
  const schemes = new Set<string>(options.schemes ?? ['http:', 'https:']);
  const allowNames = (options.allowHosts ?? []).filter((entry) => !isAddressOrRange(entry)).map(parsePattern);
  const denyNames = (options.denyHosts ?? []).filter((entry) => !isAddressOrRange(entry)).map(parsePattern);
  const addressPolicy = createAddressPolicy({
    allowPrivate: options.allowPrivate ?? false,
    allowRanges: (options.allowHosts ?? []).filter(isAddressOrRange),
    denyRanges: (options.denyHosts ?? []).filter(isAddressOrRange),
  });
  // A trusted name skips the class check but never the deny ranges or the metadata endpoints.
  const trustedPolicy = createAddressPolicy({
    allowRanges: ['0.0.0.0/0', '::/0'],
    denyRanges: (options.denyHosts ?? []).filter(isAddressOrRange),
  });

  // RFC 6761 §6.3: `localhost` and every name under it are loopback. When the policy refuses both
  // loopback addresses, such a name is refused before any lookup, whatever a resolver would say.
  const loopbackRefused = !addressPolicy.check('127.0.0.1').allowed && !addressPolicy.check('::1').allowed;
  const isTrustedName = (hostname: string) => allowNames.some((pattern) => matchesPattern(hostname, pattern));

  const checkAddress = (hostname: string, address: string, trusted: boolean) => {
    const verdict = (trusted ? trustedPolicy : addressPolicy).check(address);
    if (verdict.allowed) return;
    const literal = parseIpLiteral(hostname) !== undefined;
    throw new NetGuardError(
      'address',
      literal
        ? `Refused ${hostname}: ${verdict.reason}; only public addresses are reachable unless the operator allows more (--allow-host, --allow-private).`
        : `Refused ${hostname}: it resolves to ${verdict.reason}; only public addresses are reachable unless the operator allows more (--allow-host, --allow-private).`,
    );
  };

  return {
    checkUrl(url) {
      if (!schemes.has(url.protocol)) {
        throw new NetGuardError(
          'scheme',
          `Refused ${url.protocol} URL: only ${[...schemes].map((s) => s.slice(0, -1)).join(' and ')} are fetched.`,
        );
      }
      if (url.username !== '' || url.password !== '') {
        throw new NetGuardError(
          'credentials',
          'Refused a URL with credentials in it; remove the user:password@ part.',
        );
      }
      const hostname = bareHost(url.hostname);
      if (denyNames.some((pattern) => matchesPattern(hostname, pattern))) {
        throw new NetGuardError('host-denied', `Refused ${hostname}: the operator denied this host.`);
      }
      if (parseIpLiteral(hostname)) checkAddress(hostname, hostname, false);
      else if (loopbackRefused && isLocalhostName(hostname) && !isTrustedName(hostname)) {
        throw new NetGuardError(
          'address',
          `Refused ${hostname}: localhost names are loopback (RFC 6761); only public addresses are reachable unless the operator allows more (--allow-host, --allow-private).`,
        );
      }
    },
    checkResolved(hostname, addresses) {
      const bare = bareHost(hostname);
      if (addresses.length === 0) {
        throw new NetGuardError('dns', `Could not resolve ${bare}; check the host name.`);
      }
      const trusted = isTrustedName(bare);
      for (const address of addresses) checkAddress(bare, address, trusted);
    },
  };
}

// WHATWG hostnames keep IPv6 brackets and a trailing root dot; neither is part of the name.
function bareHost(hostname: string): string {
  const unbracketed = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return unbracketed.replace(/\.+$/, '').toLowerCase();
}

// `localhost` itself or a name under it (RFC 6761 §6.3); `hostname` is already bare.
function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function parsePattern(entry: string): HostPattern {
  const wildcard = entry.startsWith('*.');
  const name = wildcard ? entry.slice(2) : entry;
  let canonical: string;
  try {
    canonical = bareHost(new URL(`http://${name}/`).hostname);
  } catch {
    throw new TypeError(`not a host name, wildcard, IP address or CIDR range: ${entry}`);
  }
  if (canonical === '' || name.includes('/') || name.includes('@') || name.includes(':')) {
    throw new TypeError(`not a host name, wildcard, IP address or CIDR range: ${entry}`);
  }
  return wildcard ? { suffix: `.${canonical}` } : { exact: canonical };
}

function matchesPattern(hostname: string, pattern: HostPattern): boolean {
  if (pattern.exact !== undefined) return hostname === pattern.exact;
  return pattern.suffix !== undefined && hostname.endsWith(pattern.suffix);
}
