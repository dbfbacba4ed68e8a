/**
 * Through an operator's proxy the guard still checks what it can see: schemes, host lists,
 * literal addresses and the local DNS answer; refused requests never reach the proxy.
 */
import { connect, createServer, type Server } from 'node:net';
import { type LoopbackWeb, type StdioSession, startLoopbackWeb } from '@bulwark/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchError, fetchOk, startFetch } from './helpers.js';

/** A minimal HTTP CONNECT proxy on 127.0.0.1 that records each tunnel target and splices bytes. */
async function startConnectProxy(): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const server: Server = createServer((client) => {
    client.once('data', (head) => {
      const match = /^CONNECT ([^\s]+) HTTP\/1\.1\r\n/.exec(head.toString('latin1'));
      if (!match?.[1]) return void client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      targets.push(match[1]);
      const [host, port] = [
        match[1].slice(0, match[1].lastIndexOf(':')),
        match[1].slice(match[1].lastIndexOf(':') + 1),
      ];
      if (host !== '127.0.0.1') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    targets,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let site: LoopbackWeb;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
let opened: StdioSession;
let guarded: StdioSession;

beforeAll(async () => {
  site = await startLoopbackWeb({
    'GET /page': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('through the proxy'),
  });
  proxy = await startConnectProxy();
  opened = await startFetch(['--proxy', proxy.url, '--allow-host', '127.0.0.1', '--ignore-robots-txt']);
  guarded = await startFetch(['--proxy', proxy.url, '--ignore-robots-txt']);
});

afterAll(async () => {
  await opened?.close();
  await guarded?.close();
  await proxy?.close();
  await site?.close();
});

describe('fetch through a proxy', () => {
  it('tunnels an allowed request through the proxy', async () => {
    expect((await fetchOk(opened, { url: `${site.origin}/page` })).body).toBe('through the proxy');
    expect(proxy.targets).toContain(`127.0.0.1:${site.port}`);
  });

  it('refuses a literal internal address and a name that resolves to one before asking the proxy', async () => {
    const before = proxy.targets.length;
    expect(await fetchError(guarded, { url: `${site.origin}/page` })).toMatch(/^Refused 127\.0\.0\.1/);
    expect(await fetchError(guarded, { url: `http://localhost:${site.port}/page` })).toMatch(
      /^Refused localhost/,
    );
    expect(await fetchError(guarded, { url: 'http://169.254.169.254/' })).toMatch(/metadata/);
    expect(proxy.targets.length).toBe(before);
  });
});
