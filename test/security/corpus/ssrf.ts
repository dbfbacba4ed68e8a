/**
 * SSRF targets for the fetch server. With the default policy: every spelling of loopback
 * (decimal, octal, hex, short and padded IPv4, IPv6, IPv4-mapped, IPv4-compatible, NAT64, 6to4,
 * full-width and ideographic dots, percent-encoded), the unspecified address, cloud metadata
 * endpoints in several spellings and by name, private, link-local, CGNAT, multicast and
 * broadcast ranges, names resolving to loopback, non-http schemes and credentials in the URL.
 * With one loopback host allowed: redirects from that host to forbidden targets, by every
 * redirect status, relative and protocol-relative, chained, looping and over the hop limit.
 *
 * Loopback spellings point at the targets' traps, so besides the refusal text the post-check
 * proves no request arrived. `*.localhost` names are refused before any lookup (RFC 6761). Names
 * that the system resolver cannot resolve here (`metadata.google.internal`) are judged by
 * "nothing was fetched": refused, or reported unreachable.
 */
import type { AttackCase, Expectation } from '../lib/types.js';
import type { FetchFixture } from '../targets/fetch.js';

type Fx = FetchFixture;

const LOOPBACK = /^Refused .*loopback/;
const METADATA = /^Refused .*cloud metadata endpoint/;
const SCHEME = /^Refused [a-z]+: URL: only http and https/;
const CREDENTIALS = /^Refused a URL with credentials/;
/** A name this machine cannot resolve is refused or unreachable; either way nothing is fetched. */
const NOT_FETCHED = /^Refused |could not be read|Could not fetch|could not be resolved/;

function refused(message: RegExp): Expectation {
  return { kind: 'refused', message };
}

/** Default policy: [name, URL built from the trap ports, expected refusal]. */
const DEFAULT_TARGETS: readonly [string, (fx: Fx) => string, RegExp][] = [
  ['loopback-v4', (fx) => `http://127.0.0.1:${fx.port}/`, LOOPBACK],
  ['loopback-v4-other', (fx) => `http://127.9.8.7:${fx.port}/`, LOOPBACK],
  ['loopback-decimal', (fx) => `http://2130706433:${fx.port}/`, LOOPBACK],
  ['loopback-octal', (fx) => `http://0177.0.0.1:${fx.port}/`, LOOPBACK],
  ['loopback-octal-short', (fx) => `http://0177.1:${fx.port}/`, LOOPBACK],
  ['loopback-hex', (fx) => `http://0x7f.0x0.0x0.0x1:${fx.port}/`, LOOPBACK],
  ['loopback-hex-whole', (fx) => `http://0x7f000001:${fx.port}/`, LOOPBACK],
  ['loopback-hex-short', (fx) => `http://0x7f.1:${fx.port}/`, LOOPBACK],
  ['loopback-short', (fx) => `http://127.1:${fx.port}/`, LOOPBACK],
  ['loopback-short-two', (fx) => `http://127.0.1:${fx.port}/`, LOOPBACK],
  ['loopback-zero-padded', (fx) => `http://127.000.000.001:${fx.port}/`, LOOPBACK],
  ['loopback-trailing-dot', (fx) => `http://127.0.0.1.:${fx.port}/`, LOOPBACK],
  ['loopback-fullwidth', (fx) => `http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:${fx.port}/`, LOOPBACK],
  ['loopback-ideographic-dots', (fx) => `http://127\u30020\u30020\u30021:${fx.port}/`, LOOPBACK],
  ['loopback-percent-encoded', (fx) => `http://%31%32%37.0.0.1:${fx.port}/`, LOOPBACK],
  ['loopback-backslash-authority', (fx) => `http://127.0.0.1:${fx.port}\\@example.com/`, LOOPBACK],
  ['loopback-v6', (fx) => `http://[::1]:${fx.port6}/`, LOOPBACK],
  ['loopback-v6-long', (fx) => `http://[0:0:0:0:0:0:0:1]:${fx.port6}/`, LOOPBACK],
  [
    'loopback-v6-zero-padded',
    (fx) => `http://[0000:0000:0000:0000:0000:0000:0000:0001]:${fx.port6}/`,
    LOOPBACK,
  ],
  ['loopback-v4-mapped', (fx) => `http://[::ffff:127.0.0.1]:${fx.port}/`, LOOPBACK],
  ['loopback-v4-mapped-hex', (fx) => `http://[::ffff:7f00:1]:${fx.port}/`, LOOPBACK],
  ['loopback-v4-compatible', (fx) => `http://[::127.0.0.1]:${fx.port}/`, /^Refused .*ipv4-compatible/],
  ['loopback-nat64', (fx) => `http://[64:ff9b::7f00:1]:${fx.port}/`, /^Refused .*nat64/],
  ['loopback-6to4', (fx) => `http://[2002:7f00:1::]:${fx.port}/`, /^Refused .*6to4/],
  ['loopback-v6-zone', (fx) => `http://[::1%25lo]:${fx.port6}/`, /Not an absolute URL|^Refused /],
  ['unspecified-v4', (fx) => `http://0.0.0.0:${fx.port}/`, /^Refused .*unspecified/],
  ['unspecified-short', (fx) => `http://0:${fx.port}/`, /^Refused .*unspecified/],
  ['unspecified-v6', (fx) => `http://[::]:${fx.port6}/`, /^Refused .*unspecified/],
  ['localhost', (fx) => `http://localhost:${fx.port}/`, LOOPBACK],
  ['localhost-upper', (fx) => `http://LocalHost:${fx.port}/`, LOOPBACK],
  ['localhost-trailing-dot', (fx) => `http://localhost.:${fx.port}/`, LOOPBACK],
  ['localhost-subdomain', (fx) => `http://evil.localhost:${fx.port}/`, LOOPBACK],
  ['localhost-subdomain-upper', (fx) => `http://A.LOCALHOST.:${fx.port}/`, LOOPBACK],
  ['metadata-v4', () => 'http://169.254.169.254/latest/meta-data/', METADATA],
  ['metadata-decimal', () => 'http://2852039166/latest/meta-data/', METADATA],
  ['metadata-hex', () => 'http://0xa9fea9fe/latest/meta-data/', METADATA],
  ['metadata-octal', () => 'http://0251.0376.0251.0376/latest/meta-data/', METADATA],
  ['metadata-v4-mapped', () => 'http://[::ffff:169.254.169.254]/latest/meta-data/', METADATA],
  ['metadata-ecs', () => 'http://169.254.170.2/v2/credentials', METADATA],
  ['metadata-aws-v6', () => 'http://[fd00:ec2::254]/latest/meta-data/', METADATA],
  ['metadata-alibaba', () => 'http://100.100.100.200/latest/meta-data/', METADATA],
  ['metadata-google-name', () => 'http://metadata.google.internal/computeMetadata/v1/', NOT_FETCHED],
  ['private-10', () => 'http://10.0.0.1/', /^Refused .*private/],
  ['private-172', () => 'http://172.16.0.1/', /^Refused .*private/],
  ['private-192', () => 'http://192.168.0.1/', /^Refused .*private/],
  ['cgnat', () => 'http://100.64.0.1/', /^Refused .*carrier-grade-nat/],
  ['link-local-v4', () => 'http://169.254.1.1/', /^Refused .*link-local/],
  ['link-local-v6', () => 'http://[fe80::1]/', /^Refused .*link-local/],
  ['unique-local-v6', () => 'http://[fc00::1]/', /^Refused .*unique-local/],
  ['multicast', () => 'http://224.0.0.1/', /^Refused .*multicast/],
  ['broadcast', () => 'http://255.255.255.255/', /^Refused .*broadcast/],
  ['scheme-file', () => 'file:///etc/passwd', SCHEME],
  ['scheme-file-host', () => 'file://localhost/etc/passwd', SCHEME],
  ['scheme-gopher', (fx) => `gopher://127.0.0.1:${fx.port}/_GET%20/%20HTTP/1.0`, SCHEME],
  ['scheme-data', (fx) => `data:text/plain,${fx.canary}`, SCHEME],
  ['scheme-ftp', () => 'ftp://127.0.0.1/', SCHEME],
  ['scheme-ws', (fx) => `ws://127.0.0.1:${fx.port}/`, SCHEME],
  ['scheme-javascript', () => 'javascript:fetch("http://127.0.0.1/")', SCHEME],
  ['scheme-dict', (fx) => `dict://127.0.0.1:${fx.port}/info`, SCHEME],
  ['credentials', (fx) => `http://user:pass@127.0.0.1:${fx.port}/`, CREDENTIALS],
  ['credentials-user-only', () => 'http://user@example.com/', CREDENTIALS],
  ['credentials-https', () => 'https://user:pass@example.com/', CREDENTIALS],
  ['credentials-host-confusion', (fx) => `http://example.com@127.0.0.1:${fx.port}/`, CREDENTIALS],
  ['credentials-encoded-at', (fx) => `http://example.com%40@127.0.0.1:${fx.port}/`, CREDENTIALS],
];

/** The fetch server with its default policy. */
export const FETCH_DEFAULT_SSRF_CASES: readonly AttackCase<Fx>[] = DEFAULT_TARGETS.map(
  ([name, url, message]): AttackCase<Fx> => ({
    id: `ssrf:${name}`,
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({ url: url(fx) }),
    expect: refused(message),
  }),
);

/** Where the allowed site redirects to, with the refusal each hop must meet. */
const REDIRECT_TARGETS: readonly [string, (fx: Fx) => string, RegExp][] = [
  ['metadata', () => 'http://169.254.169.254/latest/meta-data/', METADATA],
  ['metadata-decimal', () => 'http://2852039166/latest/meta-data/', METADATA],
  ['metadata-v4-mapped', () => 'http://[::ffff:a9fe:a9fe]/latest/meta-data/', METADATA],
  ['metadata-protocol-relative', () => '//169.254.169.254/latest/meta-data/', METADATA],
  ['loopback-v6-trap', (fx) => `http://[::1]:${fx.port6}/trap`, LOOPBACK],
  ['loopback-other-address', (fx) => `http://127.0.0.2:${fx.port}/forbidden`, LOOPBACK],
  ['unspecified-same-port', (fx) => `http://0.0.0.0:${fx.port}/forbidden`, /^Refused .*unspecified/],
  ['private', () => 'http://10.0.0.1/', /^Refused .*private/],
  ['scheme-file', () => 'file:///etc/passwd', SCHEME],
  ['scheme-gopher', (fx) => `gopher://127.0.0.1:${fx.port}/_x`, SCHEME],
  ['scheme-data', (fx) => `data:text/plain,${fx.canary}`, SCHEME],
  ['credentials', (fx) => `http://user:pass@127.0.0.1:${fx.port}/forbidden`, CREDENTIALS],
];

/** The fetch server with 127.0.0.1 allowed: redirects from it. */
export const FETCH_REDIRECT_SSRF_CASES: readonly AttackCase<Fx>[] = [
  {
    id: 'ssrf:redirect-control-allowed-page',
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({ url: `${fx.origin}/redirect?to=${encodeURIComponent('/page')}` }),
    expect: { kind: 'allowed', contains: 'allowed page' },
  },
  ...REDIRECT_TARGETS.map(
    ([name, to, message]): AttackCase<Fx> => ({
      id: `ssrf:redirect-${name}`,
      class: 'ssrf',
      tool: 'fetch',
      arguments: (fx) => ({ url: `${fx.origin}/redirect?to=${encodeURIComponent(to(fx))}` }),
      expect: refused(message),
    }),
  ),
  ...(['301', '307', '308'] as const).map(
    (status): AttackCase<Fx> => ({
      id: `ssrf:redirect-status-${status}-loopback-v6`,
      class: 'ssrf',
      tool: 'fetch',
      arguments: (fx) => ({
        url: `${fx.origin}/redirect-${status}?to=${encodeURIComponent(`http://[::1]:${fx.port6}/trap`)}`,
      }),
      expect: refused(LOOPBACK),
    }),
  ),
  {
    id: 'ssrf:redirect-chain-to-metadata',
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({
      url: `${fx.origin}/redirect?to=${encodeURIComponent(`/redirect?to=${encodeURIComponent('http://169.254.169.254/')}`)}`,
    }),
    expect: refused(METADATA),
  },
  {
    id: 'ssrf:redirect-loop',
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({ url: `${fx.origin}/loop` }),
    expect: refused(/loop|redirect/i),
  },
  {
    id: 'ssrf:redirect-ping-pong',
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({ url: `${fx.origin}/ping` }),
    expect: refused(/loop|redirect/i),
  },
  {
    id: 'ssrf:redirect-hop-limit',
    class: 'ssrf',
    tool: 'fetch',
    arguments: (fx) => ({ url: `${fx.origin}/hop/0` }),
    expect: refused(/redirect/i),
  },
];
