/**
 * Two configurations of the fetch server:
 *
 * - `fetch-default`: no operator exceptions. Loopback "traps" listen on 127.0.0.1 and ::1 and
 *   answer a canary body; every spelling of a forbidden address points at them, so an escape
 *   shows up as a request the trap received (and as the canary in the result).
 * - `fetch-loopback`: `--allow-host 127.0.0.1`, as an operator would open one internal host. The
 *   allowed site redirects to forbidden targets (a trap on ::1, metadata, private ranges, other
 *   schemes) and serves pages with hidden characters.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoopbackWeb, startLoopbackWeb, type WebHandler } from '@bulwark/testkit';
import { startServer } from '../lib/servers.js';
import { HIDDEN, plant, SMUGGLE_KINDS } from '../lib/smuggle.js';
import type { StartedTarget, Target } from '../lib/types.js';

/** Ports and markers the fetch cases compute their arguments from. */
export interface FetchFixture {
  /** Port of the trap on 127.0.0.1 (`fetch-default`) or of the allowed site (`fetch-loopback`). */
  port: number;
  /** Port of the trap on ::1. */
  port6: number;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The body every trap answers: must never appear in a result. */
  canary: string;
}

/** Trap routes: every path answers the canary. */
function trapRoutes(canary: string): Record<string, WebHandler> {
  const answer: WebHandler = (_request, response) =>
    response.writeHead(200, { 'content-type': 'text/plain' }).end(canary);
  return { 'GET /': answer, 'GET /trap': answer, 'GET /page': answer, 'GET /robots.txt': answer };
}

/** Records the requests traps have seen, and reports new ones. */
function watchTraps(traps: Record<string, LoopbackWeb>, allowed: (trap: string, path: string) => boolean) {
  return async () => {
    const seen = Object.fromEntries(
      Object.entries(traps).map(([name, trap]) => [name, trap.requests.length]),
    );
    return async () =>
      Object.entries(traps).flatMap(([name, trap]) =>
        trap.requests
          .slice(seen[name])
          .filter((request) => !allowed(name, request.path))
          .map((request) => `${name} received ${request.method} ${request.path}`),
      );
  };
}

/**
 * The fetch server with its default policy (see the module comment).
 *
 * @param extraArgs - flags added to the default ones; only for testing the judge with a
 *   deliberately opened policy (e.g. `--allow-host 127.0.0.1`), under which the corpus must
 *   report escapes
 * @returns the target
 */
export function createFetchDefaultTarget(extraArgs: readonly string[] = []): Target<FetchFixture> {
  return {
    name: extraArgs.length > 0 ? 'fetch-misconfigured' : 'fetch-default',
    server: 'fetch',
    description: `fetch --timeout 5 ${extraArgs.length > 0 ? extraArgs.join(' ') : '(default policy)'}, traps on 127.0.0.1 and ::1`,
    start: () => startFetchDefault(extraArgs),
  };
}

/** The fetch server with its default policy. */
export const fetchDefaultTarget: Target<FetchFixture> = createFetchDefaultTarget();

async function startFetchDefault(extraArgs: readonly string[]): Promise<StartedTarget<FetchFixture>> {
  const canary = `TRAP-CANARY-${randomBytes(4).toString('hex')}`;
  const trap = await startLoopbackWeb(trapRoutes(canary));
  const trap6 = await startLoopbackWeb(trapRoutes(canary), { host: '::1' });
  const session = await startServer('fetch', ['--timeout', '5', ...extraArgs]);
  return {
    session,
    fixture: { port: trap.port, port6: trap6.port, origin: trap.origin, canary },
    forbidden: [canary],
    watch: watchTraps({ 'trap 127.0.0.1': trap, 'trap ::1': trap6 }, () => false),
    async close() {
      await session.close();
      await trap.close();
      await trap6.close();
    },
  };
}

/** Pages with hidden characters, by path below `/smuggle/<kind>/`. */
function smugglePages(): Record<string, WebHandler> {
  const routes: Record<string, WebHandler> = {};
  const send =
    (type: string, body: string | Buffer) => (_request: IncomingMessage, response: ServerResponse) =>
      response.writeHead(200, { 'content-type': type }).end(body);
  for (const kind of SMUGGLE_KINDS) {
    const at = (name: string) => `GET /smuggle/${kind}/${name}`;
    const title = plant('title-', kind).raw;
    const heading = plant('heading-', kind).raw;
    const paragraph = plant('para-', kind).raw;
    const link = plant('link-', kind).raw;
    const alt = plant('alt-', kind).raw;
    const entities = [...HIDDEN[kind]]
      .map((char) => `&#x${(char.codePointAt(0) ?? 0).toString(16)};`)
      .join('');
    routes[at('plain')] = send('text/plain; charset=utf-8', `${plant('plain-', kind).raw}\nsecond line\n`);
    routes[at('html')] = send(
      'text/html; charset=utf-8',
      `<!doctype html><html><head><title>${title}</title></head><body><h1>${heading}</h1><p>${paragraph}</p><p><a href="/x">${link}</a> <img src="/i.png" alt="${alt}"></p></body></html>`,
    );
    routes[at('entities')] = send(
      'text/html; charset=utf-8',
      `<!doctype html><html><head><title>entity-${entities}${kind}</title></head><body><p>entity-${entities}${kind}</p></body></html>`,
    );
    routes[at('markdown')] = send(
      'text/markdown; charset=utf-8',
      `# ${plant('md-', kind).raw}\n\n- ${plant('item-', kind).raw}\n`,
    );
    routes[at('json')] = send('application/json', JSON.stringify({ value: plant('json-', kind).raw }));
    routes[at('utf16')] = send(
      'text/plain; charset=utf-16le',
      Buffer.from(`${plant('utf16-', kind).raw}\n`, 'utf16le'),
    );
    routes[at('redirect')] = (_request, response) =>
      response.writeHead(302, { location: `/smuggle/${kind}/plain?from=${plant('query-', kind).raw}` }).end();
  }
  return routes;
}

/** Redirects to the `to` query parameter with the given status. */
function redirectTo(status: number): WebHandler {
  return (request, response) => {
    const to = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('to') ?? '/';
    response.writeHead(status, { location: to }).end();
  };
}

/** The fetch server with one loopback host opened (see the module comment). */
export const fetchLoopbackTarget: Target<FetchFixture> = {
  name: 'fetch-loopback',
  server: 'fetch',
  description:
    'fetch --allow-host 127.0.0.1 --ignore-robots-txt --timeout 5, redirecting site on 127.0.0.1, trap on ::1',
  async start(): Promise<StartedTarget<FetchFixture>> {
    const canary = `TRAP-CANARY-${randomBytes(4).toString('hex')}`;
    const trap6 = await startLoopbackWeb(trapRoutes(canary), { host: '::1' });
    const site = await startLoopbackWeb({
      'GET /page': (_request, response) =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end('allowed page'),
      'GET /forbidden': (_request, response) =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end(canary),
      'GET /redirect': redirectTo(302),
      'GET /redirect-301': redirectTo(301),
      'GET /redirect-307': redirectTo(307),
      'GET /redirect-308': redirectTo(308),
      'GET /loop': (_request, response) => response.writeHead(302, { location: '/loop' }).end(),
      'GET /ping': (_request, response) => response.writeHead(302, { location: '/pong' }).end(),
      'GET /pong': (_request, response) => response.writeHead(302, { location: '/ping' }).end(),
      ...Object.fromEntries(
        Array.from({ length: 8 }, (_, hop) => [
          `GET /hop/${hop}`,
          (_request: IncomingMessage, response: ServerResponse) =>
            response.writeHead(302, { location: hop === 7 ? '/page' : `/hop/${hop + 1}` }).end(),
        ]),
      ),
      ...smugglePages(),
    });
    const session = await startServer('fetch', [
      '--allow-host',
      '127.0.0.1',
      '--ignore-robots-txt',
      '--timeout',
      '5',
    ]);
    return {
      session,
      fixture: { port: site.port, port6: trap6.port, origin: site.origin, canary },
      forbidden: [canary],
      // The site itself is allowed; only its /forbidden path (reached through another spelling
      // of the host) and the ::1 trap must stay untouched.
      watch: watchTraps(
        { 'site 127.0.0.1': site, 'trap ::1': trap6 },
        (trap, path) => trap === 'site 127.0.0.1' && !path.startsWith('/forbidden'),
      ),
      async close() {
        await session.close();
        await site.close();
        await trap6.close();
      },
    };
  },
};
