import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a route handler sees it. */
export interface GitHubApiRequest {
  method: string;
  /** Path below the base path, decoded per segment (`/repos/octo/hello/contents/src/a b.ts`). */
  path: string;
  /** Values of the route's `:name` segments, and `*` for the rest of a wildcard route. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text when it is not JSON); undefined without a body. */
  body: unknown;
  /** The server's base URL (what `GITHUB_API_URL` is set to), for `Link` and `Location` headers. */
  baseUrl: string;
}

/** What a route answers. Objects and arrays are sent as JSON; strings and Buffers as they are. */
export interface GitHubApiReply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A route: a function of the request, or a fixed reply. */
export type GitHubApiHandler =
  | ((request: GitHubApiRequest) => GitHubApiReply | Promise<GitHubApiReply>)
  | GitHubApiReply;

/**
 * Routes keyed by `"METHOD /path"`, as GitHub's REST reference names endpoints. A segment `:name`
 * matches one path segment; a final `*` matches the rest (possibly empty). When several routes
 * match, the one with the most literal segments wins.
 */
export type GitHubApiRoutes = Record<string, GitHubApiHandler>;

/** One request the loopback API received, in arrival order. */
export interface RecordedGitHubRequest {
  method: string;
  /** Path below the base path, as sent (percent-encoding kept). */
  path: string;
  /** The query string without `?` (empty when none). */
  query: string;
  body: unknown;
  /** The `authorization` header, so tests can check a token is sent (and never elsewhere). */
  authorization: string | undefined;
}

/** How the loopback API behaves. */
export interface GitHubApiOptions {
  /** Prefix every path must carry, e.g. `/api/v3` for GitHub Enterprise Server (default none). */
  basePath?: string;
  /** `X-OAuth-Scopes` on every response (a classic token's scopes); null omits it, as for fine-grained tokens. Default `repo, read:org`. */
  scopes?: string | null;
}

/** A running loopback GitHub API. */
export interface LoopbackGitHubApi {
  /** Base URL, e.g. `http://127.0.0.1:41234` (plus the base path). */
  url: string;
  /** Every request received since start or the last `clear()`. */
  requests: RecordedGitHubRequest[];
  /** Adds routes, replacing those with the same key. */
  route(routes: GitHubApiRoutes): void;
  /** Forgets the recorded requests. */
  clear(): void;
  close(): Promise<void>;
}

/** The methods that change something on GitHub. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface CompiledRoute {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  literals: number;
  handler: GitHubApiHandler;
}

/**
 * Starts an HTTP server on 127.0.0.1 that answers like api.github.com: JSON bodies, GitHub's
 * rate-limit headers (`x-ratelimit-*`, with 4999 of 5000 left), `x-github-request-id`,
 * `X-OAuth-Scopes`, and GitHub's 404 body for any route it does not know. Every request's method,
 * path and query is recorded, so a test can assert which endpoints a tool called and that a
 * read-only tool never sent a mutating request.
 *
 * @param routes - the endpoints this test needs (see {@link GitHubApiRoutes}); more with `route()`
 * @param options - base path and scopes
 * @returns the running server; `close()` it when done
 * @example
 * const api = await startGitHubApi({
 *   'GET /repos/:owner/:repo/issues/:number': ({ params }) => ({ body: { number: Number(params.number) } }),
 * });
 */
export async function startGitHubApi(
  routes: GitHubApiRoutes = {},
  options: GitHubApiOptions = {},
): Promise<LoopbackGitHubApi> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const scopes = options.scopes === undefined ? 'repo, read:org' : options.scopes;
  const table = new Map<string, CompiledRoute>();
  const add = (more: GitHubApiRoutes) => {
    for (const [key, handler] of Object.entries(more)) table.set(key, compileRoute(key, handler));
  };
  add(routes);
  const requests: RecordedGitHubRequest[] = [];
  let baseUrl = '';

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type']);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname.startsWith(basePath)
      ? url.pathname.slice(basePath.length) || '/'
      : url.pathname;
    requests.push({
      method,
      path: rawPath,
      query: url.search.replace(/^\?/, ''),
      body,
      authorization: req.headers.authorization,
    });
    let reply: GitHubApiReply;
    const match =
      basePath && !url.pathname.startsWith(basePath) ? undefined : findRoute(table, method, rawPath);
    try {
      if (!match) reply = notFound();
      else {
        const request: GitHubApiRequest = {
          method,
          path: decodePath(rawPath),
          params: match.params,
          query: url.searchParams,
          headers: req.headers,
          body,
          baseUrl,
        };
        reply =
          typeof match.route.handler === 'function'
            ? await match.route.handler(request)
            : match.route.handler;
      }
    } catch (error) {
      reply = { status: 500, body: { message: `loopback handler failed: ${(error as Error).message}` } };
    }
    send(res, reply, scopes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}${basePath}`;
  return {
    url: baseUrl,
    requests,
    route: add,
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GitHub's 404 body. */
function notFound(): GitHubApiReply {
  return {
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
  };
}

function compileRoute(key: string, handler: GitHubApiHandler): CompiledRoute {
  const [method = '', path = ''] = key.split(' ');
  const names: string[] = [];
  let literals = 0;
  // A trailing slash is optional, as on GitHub (`/contents/` and `/contents` are the same).
  const parts = path
    .replace(/\/+$/, '')
    .split('/')
    .slice(1)
    .map((segment, index, all) => {
      if (segment === '*' && index === all.length - 1) {
        names.push('*');
        return '(?:/(.*))?';
      }
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '/([^/]+)';
      }
      literals++;
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    });
  return {
    key,
    method: method.toUpperCase(),
    pattern: new RegExp(`^${parts.join('')}/?$`),
    names,
    literals,
    handler,
  };
}

function findRoute(table: Map<string, CompiledRoute>, method: string, path: string) {
  let best: { route: CompiledRoute; params: Record<string, string> } | undefined;
  for (const route of table.values()) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (best && best.route.literals >= route.literals) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodePath(match[index + 1] ?? '');
    });
    best = { route, params };
  }
  return best;
}

function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

async function readBody(req: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function send(res: import('node:http').ServerResponse, reply: GitHubApiReply, scopes: string | null): void {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = {
    'x-github-request-id': `0000:${Math.floor(Math.random() * 1e6)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...(scopes === null ? {} : { 'x-oauth-scopes': scopes, 'x-accepted-oauth-scopes': '' }),
  };
  let payload: Buffer | undefined;
  if (reply.body === undefined || status === 204 || status === 304) payload = undefined;
  else if (Buffer.isBuffer(reply.body)) {
    payload = reply.body;
    headers['content-type'] = 'application/octet-stream';
  } else if (typeof reply.body === 'string') {
    payload = Buffer.from(reply.body, 'utf8');
    headers['content-type'] = 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = value;
  if (payload) headers['content-length'] = String(payload.length);
  res.writeHead(status, headers);
  res.end(payload);
}

/**
 * One recorded exchange of `@octokit/fixtures` (`scenarios/api.github.com/<name>/normalized-fixture.json`,
 * an array of these): real api.github.com responses, normalised (ids, dates, tokens).
 */
export interface OctokitFixtureRecording {
  scope?: string;
  method: string;
  /** Path with its recorded query string, e.g. `/repos/o/r/issues?per_page=3`. */
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string | number>;
  reqheaders?: Record<string, unknown>;
}

// Hop-by-hop and length headers are recomputed when a recording is replayed.
const DROPPED_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);

/**
 * Routes that replay `@octokit/fixtures` recordings. A request matches a recording with the same
 * method and path whose recorded query parameters it all carries (extra ones, e.g. a `page=1` the
 * recording did not send, are fine); the most specific match wins, and identical recordings
 * answer in turn. Absolute `https://api.github.com` URLs in headers (`Link`, `Location`) are
 * rewritten to the loopback server, and `rewritePath` maps recorded paths (and those URLs) onto the
 * paths the client under test will use, e.g. `/repositories/1000/...` onto `/repos/owner/name/...`.
 * `ignoreQuery` names recorded parameters that need not match (a recording made with
 * `per_page=3` still answers a client that asks for 30: the client gets the recorded page).
 *
 * @param recordings - one scenario's array (the JSON file's content)
 * @param options - `rewritePath`, applied to recorded paths and header URLs; `ignoreQuery`
 * @returns routes for {@link startGitHubApi}
 */
export function fixtureRoutes(
  recordings: readonly OctokitFixtureRecording[],
  options: { rewritePath?: (path: string) => string; ignoreQuery?: readonly string[] } = {},
): GitHubApiRoutes {
  const rewrite = options.rewritePath ?? ((path: string) => path);
  const ignored = new Set(options.ignoreQuery ?? []);
  const groups = new Map<string, { query: URLSearchParams; recording: OctokitFixtureRecording }[]>();
  for (const recording of recordings) {
    const url = new URL(recording.path, 'https://api.github.com');
    const key = `${recording.method.toUpperCase()} ${rewrite(url.pathname)}`;
    for (const name of ignored) url.searchParams.delete(name);
    const group = groups.get(key) ?? [];
    group.push({ query: url.searchParams, recording });
    groups.set(key, group);
  }
  const routes: GitHubApiRoutes = {};
  for (const [key, group] of groups) {
    const served = new Map<OctokitFixtureRecording, number>();
    routes[key] = (request) => {
      const candidates = group
        .filter(({ query }) => [...query].every(([name, value]) => request.query.get(name) === value))
        .sort((a, b) => [...b.query].length - [...a.query].length);
      const best = candidates.filter(
        (entry) => [...entry.query].length === [...(candidates[0]?.query ?? [])].length,
      );
      if (best.length === 0) return notFound();
      // Identical recordings (the same call made twice in the scenario) answer in turn.
      const chosen = best.reduce((a, b) =>
        (served.get(a.recording) ?? 0) <= (served.get(b.recording) ?? 0) ? a : b,
      );
      served.set(chosen.recording, (served.get(chosen.recording) ?? 0) + 1);
      return replay(chosen.recording, request.baseUrl, rewrite);
    };
  }
  return routes;
}

function replay(
  recording: OctokitFixtureRecording,
  baseUrl: string,
  rewrite: (path: string) => string,
): GitHubApiReply {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recording.headers)) {
    if (DROPPED_HEADERS.has(name.toLowerCase())) continue;
    headers[name.toLowerCase()] = String(value).replace(
      /https:\/\/api\.github\.com(\/[^>\s?,;]*)?/g,
      (_url, path: string | undefined) => `${baseUrl}${path ? rewrite(path) : ''}`,
    );
  }
  const response = recording.response;
  const body = typeof response === 'string' ? Buffer.from(response, 'utf8') : response;
  return { status: recording.status, headers, body: recording.status === 204 ? undefined : body };
}
