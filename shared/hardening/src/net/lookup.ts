import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { parseIpLiteral } from './address-policy.js';
import type { NetPolicy } from './policy.js';

/**
 * Resolves a host name to every address it has. The default is the system resolver
 * (`getaddrinfo`, so `/etc/hosts` applies); tests pass their own to play a rebinding name.
 *
 * @param hostname - a name (never an IP literal)
 * @returns the addresses, in the resolver's order
 */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

/**
 * The system resolver: `dns.lookup(hostname, { all: true, order: 'verbatim' })`. node:dns is
 * reached through `process.getBuiltinModule` on the first lookup, not imported, so that making a
 * guarded client at start-up does not load it.
 */
export const systemResolver: Resolver = (hostname) =>
  process.getBuiltinModule('node:dns/promises').lookup(hostname, { all: true, order: 'verbatim' });

/**
 * Builds the `lookup` function a socket uses to turn a host name into an address. It resolves
 * once, checks every answer against the policy, and hands the socket exactly the checked
 * addresses, so there is no second lookup that a rebinding name could answer differently
 * (the check and the connect use the same answer). An IP literal is checked and returned as is.
 *
 * @param policy - the network policy
 * @param resolve - the resolver (default: the system's)
 * @returns a `net.LookupFunction` for `net.connect`/`tls.connect` (and undici's `connect` option)
 */
export function createPinnedLookup(policy: NetPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const answer = async (): Promise<LookupAddress[]> => {
      const literal = parseIpLiteral(hostname);
      const found = literal
        ? [{ address: literal.toString(), family: literal.kind() === 'ipv4' ? 4 : 6 }]
        : [...(await resolve(hostname))];
      policy.checkResolved(
        hostname,
        found.map((entry) => entry.address),
      );
      const family = options.family === 4 || options.family === 6 ? options.family : undefined;
      const usable = family ? found.filter((entry) => entry.family === family) : found;
      if (usable.length === 0) {
        throw Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' });
      }
      return usable;
    };
    answer().then(
      (addresses) => {
        if (options.all) done(null, addresses);
        else done(null, addresses[0]?.address ?? '', addresses[0]?.family);
      },
      (error: NodeJS.ErrnoException) => done(error, options.all ? [] : '', 0),
    );
  };
}
