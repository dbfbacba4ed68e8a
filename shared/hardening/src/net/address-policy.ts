import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The class of an IP address as the guard sees it: `global` is public unicast, every other value
 * names why the address is not reachable by default.
 */
export type AddressClass =
  | 'global'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade-nat'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'unique-local'
  | 'site-local'
  | 'ipv4-compatible'
  | 'ipv4-translated'
  | 'nat64'
  | '6to4'
  | 'teredo'
  | 'not-global';

/** What the operator may open beyond global unicast; the model can change none of it. */
export interface AddressPolicyOptions {
  /**
   * Allow private-use ranges for an intranet deployment: RFC 1918, RFC 6598 shared (CGNAT),
   * RFC 4193 unique-local and deprecated site-local. Never loopback, link-local, metadata or
   * the other special ranges.
   */
  allowPrivate?: boolean;
  /** Addresses or CIDR ranges allowed whatever their class (except cloud metadata endpoints). */
  allowRanges?: readonly string[];
  /** Addresses or CIDR ranges refused whatever else allows them. */
  denyRanges?: readonly string[];
}

/** The guard's verdict on one address. */
export type AddressVerdict =
  | { allowed: true; address: string; class: AddressClass }
  | { allowed: false; address: string; class: AddressClass; reason: string };

// Cloud instance-metadata endpoints (AWS/GCP/Azure/OpenStack 169.254.169.254, AWS ECS task
// metadata 169.254.170.2, AWS IMDS over IPv6 fd00:ec2::254, Alibaba 100.100.100.200, Oracle
// 192.0.0.192). Refused even when the operator opens their surrounding range, because a fetch
// server that reaches one hands out the machine's cloud credentials.
const METADATA_ADDRESSES = [
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2::254',
].map((text) => ipaddr.parse(text).toNormalizedString());

const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set([
  'private',
  'carrier-grade-nat',
  'unique-local',
  'site-local',
]);

// IPv4 documentation ranges (RFC 5737) and benchmarking (RFC 2544) sit inside ipaddr.js's
// "reserved"; they get their own names so refusals say what they are.
const IPV4_NAMED: readonly [string, AddressClass][] = [
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['198.18.0.0/15', 'benchmarking'],
];
const IPV6_NAMED: readonly [string, AddressClass][] = [
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
];

const IPV4_RANGE_CLASS: Record<string, AddressClass> = {
  unicast: 'global',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade-nat',
  private: 'private',
  reserved: 'reserved',
};

const IPV6_RANGE_CLASS: Record<string, AddressClass> = {
  unicast: 'global',
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  rfc6145: 'ipv4-translated',
  rfc6052: 'nat64',
  '6to4': '6to4',
  teredo: 'teredo',
  benchmarking: 'benchmarking',
  reserved: 'reserved',
};

/**
 * Parses an IP literal in any form Node or a URL could carry: dotted, decimal, octal, hex or
 * short IPv4 (`2130706433`, `0177.1`, `0x7f.1`, `127.1`), IPv6 with or without brackets and
 * with a zone index (`[fe80::1%eth0]`).
 *
 * @param text - the literal
 * @returns the parsed address, or `undefined` when `text` is not an IP literal
 */
export function parseIpLiteral(text: string): Address | undefined {
  let literal = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = literal.indexOf('%');
  if (zone !== -1 && literal.includes(':')) literal = literal.slice(0, zone);
  if (ipaddr.IPv6.isValid(literal)) {
    // ipaddr.js reads any dotted tail as IPv4-mapped (`::8.8.8.8` becomes `::ffff:808:808`),
    // which is not the address a socket would use; the WHATWG URL parser's canonical hex form is.
    return ipaddr.IPv6.parse(
      literal.includes('.') ? new URL(`http://[${literal}]/`).hostname.slice(1, -1) : literal,
    );
  }
  // isValid accepts the classful forms (decimal, octal, hex, short) as inet_aton does.
  if (ipaddr.IPv4.isValid(literal)) return ipaddr.IPv4.parse(literal);
  return undefined;
}

/**
 * Classifies an address. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) is unwrapped and
 * classified as the IPv4 address it carries, since a socket to it reaches that IPv4 host.
 * IPv4-compatible (`::a.b.c.d`, deprecated by RFC 4291 §2.5.5.1), IPv4-translated (RFC 6145),
 * NAT64 (RFC 6052), 6to4 (RFC 3056) and Teredo (RFC 4380) addresses are classes of their own:
 * they tunnel to an IPv4 host the guard cannot vouch for. IPv6 outside 2000::/3 is not global
 * (RFC 4291 §2.4). Sources: IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890).
 *
 * @param address - a parsed address
 * @returns its class
 */
export function classifyAddress(address: Address): AddressClass {
  if (address.kind() === 'ipv4') return classifyIpv4(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return classifyIpv4(v6.toIPv4Address());
  if (isMetadata(v6)) return 'metadata';
  for (const [cidr, name] of IPV6_NAMED) if (v6.match(ipaddr.parseCIDR(cidr))) return name;
  const range = v6.range();
  if (range === 'unicast' && isIpv4Compatible(v6)) return 'ipv4-compatible';
  const named = IPV6_RANGE_CLASS[range] ?? 'not-global';
  if (named === 'global' && !v6.match(ipaddr.parseCIDR('2000::/3'))) return 'not-global';
  return named;
}

function classifyIpv4(address: ipaddr.IPv4): AddressClass {
  if (isMetadata(address)) return 'metadata';
  for (const [cidr, name] of IPV4_NAMED) if (address.match(ipaddr.parseCIDR(cidr))) return name;
  return IPV4_RANGE_CLASS[address.range()] ?? 'not-global';
}

function isMetadata(address: Address): boolean {
  return METADATA_ADDRESSES.includes(address.toNormalizedString());
}

// ::a.b.c.d: the first 96 bits zero (:: and ::1 are classified before this is asked).
function isIpv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((part) => part === 0);
}

/** A compiled address policy; see {@link createAddressPolicy}. */
export interface AddressPolicy {
  /**
   * Judges one address.
   *
   * @param address - an IP literal in any form {@link parseIpLiteral} accepts
   * @returns the verdict; a text that is not an IP literal is refused
   */
  check(address: string): AddressVerdict;
}

/**
 * Compiles the operator's address policy. Order of precedence: a deny range refuses; a cloud
 * metadata endpoint is refused; an allow range allows; `allowPrivate` allows the private-use
 * classes; otherwise only `global` is allowed.
 *
 * @param options - the operator's settings
 * @returns the policy
 * @throws TypeError when a range is not an IP address or CIDR
 * @example
 * createAddressPolicy({ allowRanges: ['127.0.0.1/32'] }).check('127.0.0.1').allowed // true
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allow = (options.allowRanges ?? []).map(parseRange);
  const deny = (options.denyRanges ?? []).map(parseRange);
  return {
    check(text) {
      const parsed = parseIpLiteral(text);
      if (!parsed) return { allowed: false, address: text, class: 'not-global', reason: 'not an IP address' };
      const address = parsed.toString();
      const cls = classifyAddress(parsed);
      const candidates = candidatesOf(parsed);
      if (deny.some((range) => candidates.some((candidate) => matches(candidate, range)))) {
        return { allowed: false, address, class: cls, reason: 'in a range the operator denied' };
      }
      if (cls === 'metadata') {
        return { allowed: false, address, class: cls, reason: 'a cloud metadata endpoint' };
      }
      if (allow.some((range) => candidates.some((candidate) => matches(candidate, range)))) {
        return { allowed: true, address, class: cls };
      }
      if (cls === 'global' || (options.allowPrivate && PRIVATE_CLASSES.has(cls))) {
        return { allowed: true, address, class: cls };
      }
      return { allowed: false, address, class: cls, reason: `a ${cls} address` };
    },
  };
}

function parseRange(text: string): [Address, number] {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const address = parseIpLiteral(text);
    if (address) return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    // fall through to the error below
  }
  throw new TypeError(`not an IP address or CIDR range: ${text}`);
}

// An IPv4-mapped IPv6 address is matched against ranges in both of its spellings, so a deny
// range written as IPv4 also catches ::ffff:a.b.c.d.
function candidatesOf(address: Address): Address[] {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return [address, (address as ipaddr.IPv6).toIPv4Address()];
  }
  return [address];
}

function matches(address: Address, [base, bits]: [Address, number]): boolean {
  return address.kind() === base.kind() && address.match(base, bits);
}

/**
 * Whether a text is a valid IP address or CIDR range, for validating operator settings.
 *
 * @param text - the setting
 * @returns true when {@link createAddressPolicy} accepts it as a range
 */
export function isAddressOrRange(text: string): boolean {
  try {
    parseRange(text);
    return true;
  } catch {
    return false;
  }
}
