/**
 * The address policy and the URL checks: every class of non-global address is refused in every
 * spelling a URL or a DNS answer can carry it, and the operator's settings open exactly what they
 * name.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  createAddressPolicy,
  createNetPolicy,
  NetGuardError,
  parseIpLiteral,
} from '../src/net/index.js';

const classOf = (text: string) => {
  const parsed = parseIpLiteral(text);
  if (!parsed) throw new Error(`not an IP: ${text}`);
  return classifyAddress(parsed);
};

const refusedUrl = (url: string, options = {}) => {
  try {
    createNetPolicy(options).checkUrl(new URL(url));
  } catch (error) {
    expect(error).toBeInstanceOf(NetGuardError);
    return (error as NetGuardError).rule;
  }
  return undefined;
};

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.1', 'benchmarking'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['8.8.8.8', 'global'],
    ['93.184.216.34', 'global'],
    ['172.32.0.1', 'global'],
  ])('ssrf:ipv4-classes — %s is %s', (address, expected) => {
    expect(classOf(address)).toBe(expected);
  });

  it.each([
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['64:ff9b::7f00:1', 'nat64'],
    ['64:ff9b:1::a00:1', 'nat64'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['::ffff:0:7f00:1', 'ipv4-translated'],
    ['::7f00:1', 'ipv4-compatible'],
    ['::8.8.8.8', 'ipv4-compatible'],
    ['100::1', 'not-global'],
    ['4000::1', 'not-global'],
    ['2606:4700::1111', 'global'],
  ])('ssrf:ipv6-classes — %s is %s', (address, expected) => {
    expect(classOf(address)).toBe(expected);
  });

  it('ssrf:ipv4-mapped — ::ffff:a.b.c.d is unwrapped and classified as the IPv4 address', () => {
    expect(classOf('::ffff:127.0.0.1')).toBe('loopback');
    expect(classOf('::ffff:7f00:1')).toBe('loopback');
    expect(classOf('::ffff:10.0.0.1')).toBe('private');
    expect(classOf('::ffff:169.254.169.254')).toBe('metadata');
    expect(classOf('::ffff:8.8.8.8')).toBe('global');
  });

  it('ssrf:ipv4-forms — decimal, octal, hex and short IPv4 parse to the address they mean', () => {
    for (const form of [
      '2130706433',
      '0177.0.0.1',
      '0177.1',
      '0x7f.1',
      '0x7f000001',
      '127.1',
      '017700000001',
    ]) {
      expect(parseIpLiteral(form)?.toString()).toBe('127.0.0.1');
    }
    expect(parseIpLiteral('[::1]')?.toString()).toBe('::1');
    expect(parseIpLiteral('example.com')).toBeUndefined();
  });
});

describe('createAddressPolicy', () => {
  it('ssrf:default-global-only — only global unicast passes by default', () => {
    const policy = createAddressPolicy();
    expect(policy.check('8.8.8.8').allowed).toBe(true);
    expect(policy.check('2606:4700::1111').allowed).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(policy.check(address).allowed).toBe(false);
    }
    expect(policy.check('not-an-ip').allowed).toBe(false);
  });

  it('ssrf:allow-private — opens RFC 1918, CGNAT and unique-local, never loopback, link-local or metadata', () => {
    const policy = createAddressPolicy({ allowPrivate: true });
    for (const address of ['10.0.0.1', '192.168.0.10', '100.64.1.1', 'fd12::1', '::ffff:10.0.0.1']) {
      expect(policy.check(address).allowed).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '::1',
      '169.254.1.1',
      '169.254.169.254',
      '100.100.100.200',
      'fd00:ec2::254',
      '0.0.0.0',
    ]) {
      expect(policy.check(address).allowed).toBe(false);
    }
  });

  it('ssrf:allow-range — an operator range opens exactly that range; metadata stays shut', () => {
    const policy = createAddressPolicy({ allowRanges: ['127.0.0.1', '10.8.0.0/16', '169.254.0.0/16'] });
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('127.0.0.2').allowed).toBe(false);
    expect(policy.check('10.8.3.4').allowed).toBe(true);
    expect(policy.check('10.9.0.1').allowed).toBe(false);
    expect(policy.check('169.254.1.1').allowed).toBe(true);
    expect(policy.check('169.254.169.254')).toMatchObject({ allowed: false, class: 'metadata' });
  });

  it('ssrf:deny-range — a denied range wins over everything, in both spellings of a mapped address', () => {
    const policy = createAddressPolicy({ allowRanges: ['8.8.0.0/16'], denyRanges: ['8.8.8.0/24'] });
    expect(policy.check('8.8.4.4').allowed).toBe(true);
    expect(policy.check('8.8.8.8').allowed).toBe(false);
    expect(policy.check('::ffff:8.8.8.8').allowed).toBe(false);
  });

  it('rejects a malformed operator range', () => {
    expect(() => createAddressPolicy({ allowRanges: ['10.0.0.0/99'] })).toThrow(TypeError);
    expect(() => createAddressPolicy({ denyRanges: ['nope'] })).toThrow(TypeError);
  });
});

describe('createNetPolicy.checkUrl', () => {
  it('ssrf:scheme — only http and https', () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'gopher://example.com/',
      'data:text/plain,hi',
      'javascript:alert(1)',
      'ws://example.com/',
    ]) {
      expect(refusedUrl(url)).toBe('scheme');
    }
    expect(refusedUrl('https://example.com/')).toBeUndefined();
    expect(refusedUrl('http://example.com/')).toBeUndefined();
  });

  it('ssrf:credentials — a URL with user:password@ is refused', () => {
    expect(refusedUrl('http://user:pw@example.com/')).toBe('credentials');
    expect(refusedUrl('http://127.0.0.1@example.com/')).toBe('credentials');
  });

  it('ssrf:ipv4-forms — every spelling of loopback in a URL is refused without a lookup', () => {
    for (const host of [
      '127.0.0.1',
      '2130706433',
      '0177.0.0.1',
      '0x7f.0.0.1',
      '0x7f000001',
      '127.1',
      '0177.1',
      '127.000.000.001',
    ]) {
      expect(refusedUrl(`http://${host}/`), host).toBe('address');
    }
    expect(refusedUrl('http://0/')).toBe('address');
    expect(refusedUrl('http://169.254.169.254/latest/meta-data/')).toBe('address');
    expect(refusedUrl('http://0xa9fea9fe/')).toBe('address');
  });

  it('ssrf:ipv6-literal — bracketed, mapped, compatible and zoned IPv6 literals are refused', () => {
    for (const host of [
      '[::1]',
      '[0:0:0:0:0:0:0:1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::127.0.0.1]',
      '[fe80::1]',
      '[fd00:ec2::254]',
      '[64:ff9b::a9fe:a9fe]',
      '[2002:a9fe:a9fe::]',
      '[::]',
    ]) {
      expect(refusedUrl(`http://${host}:8080/`), host).toBe('address');
    }
  });

  it('ssrf:host-lists — denied names (exact and wildcard) are refused; allowed IPs pass', () => {
    const options = { denyHosts: ['evil.example', '*.internal.example'], allowHosts: ['127.0.0.1'] };
    expect(refusedUrl('http://evil.example/', options)).toBe('host-denied');
    expect(refusedUrl('http://EVIL.example./', options)).toBe('host-denied');
    expect(refusedUrl('http://a.b.internal.example/', options)).toBe('host-denied');
    expect(refusedUrl('http://internal.example/', options)).toBeUndefined();
    expect(refusedUrl('http://127.0.0.1:9/', options)).toBeUndefined();
    expect(refusedUrl('http://[::1]:9/', options)).toBe('address');
  });

  it('ssrf:localhost-names — localhost and every name under it are refused before a lookup (RFC 6761)', () => {
    for (const host of ['localhost', 'LocalHost', 'localhost.', 'evil.localhost', 'a.b.localhost.']) {
      expect(refusedUrl(`http://${host}:8080/`), host).toBe('address');
    }
    expect(() => createNetPolicy().checkUrl(new URL('http://evil.localhost/'))).toThrow(
      /^Refused evil\.localhost: localhost names are loopback/,
    );
    // Not a localhost name: only the label, not a suffix of it.
    expect(refusedUrl('http://notlocalhost/')).toBeUndefined();
    expect(refusedUrl('http://localhost.example/')).toBeUndefined();
    // Once the operator opens a loopback address or trusts the name, the lookup decides.
    expect(refusedUrl('http://evil.localhost/', { allowHosts: ['127.0.0.1'] })).toBeUndefined();
    expect(refusedUrl('http://dev.localhost/', { allowHosts: ['*.localhost'] })).toBeUndefined();
    expect(refusedUrl('http://other.localhost/', { allowHosts: ['dev.localhost'] })).toBe('address');
    expect(refusedUrl('http://localhost/', { allowPrivate: true })).toBe('address');
  });

  it('ssrf:resolved-all — one refused answer refuses the name; a trusted name may resolve anywhere but metadata', () => {
    const policy = createNetPolicy({ allowHosts: ['intranet.example'] });
    expect(() => policy.checkResolved('mixed.example', ['8.8.8.8', '10.0.0.1'])).toThrow(NetGuardError);
    expect(() => policy.checkResolved('public.example', ['8.8.8.8', '2606:4700::1111'])).not.toThrow();
    expect(() => policy.checkResolved('intranet.example', ['10.0.0.1', '127.0.0.1'])).not.toThrow();
    expect(() => policy.checkResolved('intranet.example', ['169.254.169.254'])).toThrow(/metadata/);
    expect(() => policy.checkResolved('gone.example', [])).toThrow(/resolve/);
  });

  it('rejects a malformed host entry', () => {
    expect(() => createNetPolicy({ allowHosts: ['http://x/'] })).toThrow(TypeError);
    expect(() => createNetPolicy({ denyHosts: ['a b'] })).toThrow(TypeError);
  });
});
