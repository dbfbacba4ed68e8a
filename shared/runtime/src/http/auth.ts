/**
 * Who may call: the static bearer token and the OAuth 2.1 resource server (JWT access tokens
 * checked against the issuer's JWKS with jose), the RFC 9728 metadata document, and the
 * RFC 6750 challenges. Loaded only with `--http`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  buildOAuthProtectedResourceMetadata,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type OAuthMetadata,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Logger } from '../logger.js';
import { type HttpAuthConfig, isLoopbackHost } from './options.js';

/** The caller of one request, once authenticated. */
export interface Caller {
  /** Verified token information handed to the MCP SDK (never holds the raw token); absent when no authentication is configured. */
  authInfo?: AuthInfo;
  /** `sub` of a JWT, `static-token`, or `anonymous`. */
  subject: string;
}

/** Why a request was refused, as counted in `bulwark_auth_failures_total{reason}`. */
export type AuthFailureReason =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'audience'
  | 'issuer'
  | 'signature'
  | 'scope'
  | 'unavailable';

/** Authentication for one deployment; see {@link createAuthenticator}. */
export interface Authenticator {
  /** Whether requests need a token (false only for an unauthenticated deployment). */
  readonly required: boolean;
  /** The RFC 9728 metadata URL advertised in challenges, when OAuth is configured. */
  readonly resourceMetadataUrl: string | undefined;
  /**
   * Answers `GET /.well-known/oauth-protected-resource[/…]` (RFC 9728) when OAuth is configured.
   *
   * @returns the document response, or `undefined` when the path is not the metadata route
   */
  metadataResponse(request: Request): Response | undefined;
  /**
   * Checks the request's `Authorization: Bearer` header.
   *
   * @returns the caller, or the ready 401/403/503 response (RFC 6750 challenge) to send instead
   */
  authenticate(request: Request): Promise<Caller | Response>;
}

/** Subject recorded for calls made with the static bearer token. */
export const STATIC_TOKEN_SUBJECT = 'static-token';
/** Subject recorded for calls to a deployment without authentication. */
export const ANONYMOUS_SUBJECT = 'anonymous';

/** Signature algorithms accepted on access tokens: asymmetric only (no `none`, no shared-secret HMAC). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_S = 30;

class UnavailableError extends Error {}

/**
 * Builds the authenticator.
 *
 * Rules (MCP 2025-11-25 authorization; RFC 6750, RFC 8707, RFC 9068, RFC 9728):
 * - The token travels only in the `Authorization: Bearer` header.
 * - The static token (when set) is compared in constant time (SHA-256 of both sides, then
 *   `timingSafeEqual`) and grants every scope.
 * - A JWT must be signed with an asymmetric algorithm by a key in the issuer's JWKS, name the
 *   configured issuer in `iss`, carry this server's resource URL (or a configured audience) in
 *   `aud`, and be unexpired (`exp` required; 30 s of clock skew). Scopes come from `scope`
 *   (space-separated) or `scp` (string or array); the subject from `sub`, else `client_id`/`azp`.
 * - Every request needs the read scope or the write scope (the write scope implies reading).
 * - A missing token gets `401` with `WWW-Authenticate: Bearer resource_metadata="…", scope="…"`
 *   and no error code (RFC 6750 section 3.1); a bad one `401 invalid_token`; too few scopes
 *   `403 insufficient_scope`; an unreachable JWKS `503`.
 * - The raw token is dropped after verification: `AuthInfo.token` is empty, so nothing
 *   downstream can forward it to an upstream API.
 *
 * @param config - the auth settings
 * @param resourceUrl - this server's public MCP URL (the RFC 8707 resource and default audience)
 * @param serverName - `resource_name` in the metadata and the realm of static-token challenges
 * @param logger - for JWKS and discovery problems
 * @param onFailure - counts refusals by reason (metrics)
 * @returns the authenticator
 * @throws Error when the issuer URL is not https outside loopback (checked by the MCP SDK)
 * @example
 * const auth = createAuthenticator(config.auth, resourceUrl, 'bulwark-github', logger);
 * const caller = await auth.authenticate(request);
 * if (caller instanceof Response) return caller; // 401, 403 or 503, ready to send
 */
export function createAuthenticator(
  config: HttpAuthConfig,
  resourceUrl: URL,
  serverName: string,
  logger: Logger,
  onFailure: (reason: AuthFailureReason) => void = () => {},
): Authenticator {
  const oauth = config.oauth;
  const required = Boolean(config.token || oauth);
  const resourceMetadataUrl = oauth ? getOAuthProtectedResourceMetadataUrl(resourceUrl) : undefined;
  const challengeScopes = config.readScope ? [config.readScope] : [];
  const metadata = oauth
    ? {
        ...buildOAuthProtectedResourceMetadata({
          // Only `issuer` is read from the authorization server's metadata here.
          oauthMetadata: { issuer: oauth.issuer } as OAuthMetadata,
          resourceServerUrl: resourceUrl,
          scopesSupported: [config.readScope, config.writeScope].filter(Boolean),
          resourceName: serverName,
          dangerouslyAllowInsecureIssuerUrl: isLoopbackHost(new URL(oauth.issuer).hostname),
        }),
        bearer_methods_supported: ['header'],
      }
    : undefined;
  const staticDigest = config.token ? digest(config.token) : undefined;
  const verifyJwt = oauth ? createJwtVerifier(oauth, resourceUrl, logger) : undefined;

  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (staticDigest && timingSafeEqual(digest(token), staticDigest)) {
        return {
          token: '',
          clientId: STATIC_TOKEN_SUBJECT,
          scopes: [config.readScope, config.writeScope].filter(Boolean),
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          resource: resourceUrl,
          extra: { subject: STATIC_TOKEN_SUBJECT },
        };
      }
      if (!verifyJwt) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The bearer token is not valid');
      return verifyJwt(token);
    },
  };

  const refuse = (reason: AuthFailureReason, response: Response): Response => {
    onFailure(reason);
    return response;
  };

  return {
    required,
    resourceMetadataUrl,
    metadataResponse(request) {
      if (!metadata) return undefined;
      const path = new URL(request.url).pathname;
      if (
        path !== '/.well-known/oauth-protected-resource' &&
        !path.startsWith('/.well-known/oauth-protected-resource/')
      ) {
        return undefined;
      }
      return metadataDocument(request, metadata);
    },
    async authenticate(request) {
      if (!required) return { subject: ANONYMOUS_SUBJECT };
      const header = request.headers.get('authorization');
      if (!header)
        return refuse('missing', missingTokenResponse(resourceMetadataUrl, challengeScopes, serverName));
      let authInfo: AuthInfo;
      try {
        authInfo = await verifyBearerToken(header, {
          verifier,
          expectedResource: resourceUrl,
          ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
        });
      } catch (error) {
        if (error instanceof UnavailableError) {
          logger.warning(`cannot verify tokens: ${error.message}`);
          return refuse(
            'unavailable',
            Response.json(
              {
                error: 'temporarily_unavailable',
                error_description: 'Token keys are unavailable; retry shortly',
              },
              { status: 503, headers: { 'Retry-After': '5' } },
            ),
          );
        }
        return refuse(
          reasonOf(error),
          bearerAuthChallengeResponse(error, {
            requiredScopes: challengeScopes,
            ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
          }),
        );
      }
      const scopes = new Set(authInfo.scopes);
      if (config.readScope && !scopes.has(config.readScope) && !scopes.has(config.writeScope)) {
        return refuse(
          'scope',
          bearerAuthChallengeResponse(
            new OAuthError(OAuthErrorCode.InsufficientScope, `The token lacks the ${config.readScope} scope`),
            { requiredScopes: challengeScopes, ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) },
          ),
        );
      }
      const subject =
        typeof authInfo.extra?.subject === 'string' ? authInfo.extra.subject : authInfo.clientId;
      return { authInfo, subject };
    },
  };
}

/**
 * The `403 insufficient_scope` answer for a call that needs a scope the token lacks (RFC 6750
 * section 3.1; MCP 2025-11-25 authorization, scope challenge): `WWW-Authenticate` names every
 * scope the call needs, so a client can step up authorization and retry.
 *
 * @param scopes - the complete scope set the call needs
 * @param description - one line for `error_description`
 * @param resourceMetadataUrl - the RFC 9728 document URL, when OAuth is configured
 * @returns the response
 */
export function insufficientScopeResponse(
  scopes: string[],
  description: string,
  resourceMetadataUrl: string | undefined,
): Response {
  return bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InsufficientScope, description), {
    requiredScopes: scopes,
    ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function quoted(value: string): string {
  return `"${value.replaceAll(/[\\"]/g, '\\$&')}"`;
}

function missingTokenResponse(
  resourceMetadataUrl: string | undefined,
  scopes: string[],
  realm: string,
): Response {
  const params = resourceMetadataUrl
    ? [
        `resource_metadata=${quoted(resourceMetadataUrl)}`,
        ...(scopes.length ? [`scope=${quoted(scopes.join(' '))}`] : []),
      ]
    : [`realm=${quoted(realm)}`];
  return Response.json(
    { error: 'unauthorized', error_description: 'This server needs an Authorization: Bearer token' },
    { status: 401, headers: { 'WWW-Authenticate': `Bearer ${params.join(', ')}` } },
  );
}

function metadataDocument(request: Request, metadata: object): Response {
  const cors = { 'Access-Control-Allow-Origin': '*' };
  if (request.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': '*',
      },
    });
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return Response.json(
      { error: 'method_not_allowed' },
      { status: 405, headers: { ...cors, Allow: 'GET, HEAD, OPTIONS' } },
    );
  }
  const response = Response.json(metadata, { headers: { ...cors, 'Cache-Control': 'max-age=300' } });
  return request.method === 'HEAD' ? new Response(null, { headers: response.headers }) : response;
}

function reasonOf(error: unknown): AuthFailureReason {
  if (error instanceof OAuthError && error.code === OAuthErrorCode.InsufficientScope) return 'scope';
  const message = error instanceof Error ? error.message : '';
  if (/expired/i.test(message)) return 'expired';
  if (/audience|not issued for this resource/i.test(message)) return 'audience';
  if (/issuer/i.test(message)) return 'issuer';
  if (/signature|no key/i.test(message)) return 'signature';
  return 'invalid';
}

type JwtVerifier = (token: string) => Promise<AuthInfo>;

function createJwtVerifier(
  oauth: NonNullable<HttpAuthConfig['oauth']>,
  resourceUrl: URL,
  logger: Logger,
): JwtVerifier {
  const resource = resourceUrl.href;
  const audiences =
    oauth.audiences.length > 0
      ? oauth.audiences
      : [...new Set([resource, resource.replace(/\/$/, ''), `${resource.replace(/\/$/, '')}/`])];
  const keys = createKeyResolver(oauth, logger);
  return async (token) => {
    let payload: JWTPayload;
    try {
      const jwks = await keys();
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: oauth.issuer,
        audience: audiences,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw toOAuthError(error);
    }
    const subject = [payload.sub, payload.client_id, payload.azp].find(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    if (!subject) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The token names no subject (sub)');
    return {
      token: '',
      clientId:
        typeof payload.client_id === 'string'
          ? payload.client_id
          : typeof payload.azp === 'string'
            ? payload.azp
            : subject,
      scopes: scopesOf(payload),
      expiresAt: payload.exp as number,
      resource: resourceUrl,
      extra: { subject, issuer: payload.iss },
    };
  };
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((item): item is string => typeof item === 'string');
  return [];
}

function toOAuthError(error: unknown): Error {
  if (error instanceof UnavailableError || error instanceof OAuthError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  const claim = (error as { claim?: string } | undefined)?.claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new OAuthError(OAuthErrorCode.InvalidToken, 'The token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud')
        return new OAuthError(OAuthErrorCode.InvalidToken, 'The token audience is not this server');
      if (claim === 'iss')
        return new OAuthError(OAuthErrorCode.InvalidToken, 'The token issuer is not trusted');
      if (claim === 'nbf') return new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not valid yet');
      return new OAuthError(
        OAuthErrorCode.InvalidToken,
        `The token's ${claim ?? 'claims'} claim is not valid`,
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new OAuthError(OAuthErrorCode.InvalidToken, 'The token signature is not valid');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new OAuthError(OAuthErrorCode.InvalidToken, 'No key of the issuer matches the token signature');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new OAuthError(OAuthErrorCode.InvalidToken, 'The token signature algorithm is not allowed');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new UnavailableError(`the issuer's JWKS could not be read (${code})`);
    case undefined:
      // fetch failures (ECONNREFUSED, DNS) while reading the JWKS carry no jose code.
      if (
        error instanceof TypeError ||
        (error instanceof Error && /fetch|network|ECONN/i.test(error.message))
      ) {
        return new UnavailableError(`the issuer's JWKS could not be read (${(error as Error).message})`);
      }
      return new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not a valid JWT');
    default:
      return new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not a valid JWT');
  }
}

type KeyResolver = ReturnType<typeof createRemoteJWKSet>;

/**
 * The issuer's key set: the configured JWKS URL, else `jwks_uri` from the issuer's metadata,
 * discovered once (RFC 8414 `/.well-known/oauth-authorization-server`, then OpenID Connect
 * `/.well-known/openid-configuration`; the document's `issuer` must match). A failed discovery
 * is retried on a later request, at most every 10 s.
 */
function createKeyResolver(
  oauth: NonNullable<HttpAuthConfig['oauth']>,
  logger: Logger,
): () => Promise<KeyResolver> {
  const remote = (url: string) =>
    createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  if (oauth.jwksUrl) {
    const fixed = remote(oauth.jwksUrl);
    return async () => fixed;
  }
  let found: KeyResolver | undefined;
  let pending: Promise<KeyResolver> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  return async () => {
    if (found) return found;
    if (pending) return pending;
    if (Date.now() - failedAt < 10_000)
      throw new UnavailableError('issuer metadata discovery failed recently');
    pending = discoverJwksUri(oauth.issuer).then(
      (uri) => {
        logger.info(`token keys from ${uri}`);
        found = remote(uri);
        pending = undefined;
        return found;
      },
      (error: unknown) => {
        failedAt = Date.now();
        pending = undefined;
        throw new UnavailableError(`issuer metadata discovery failed: ${(error as Error).message}`);
      },
    );
    return pending;
  };
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const candidates = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      const response = await fetch(candidate, { signal: AbortSignal.timeout(5000), redirect: 'error' });
      if (!response.ok) {
        problems.push(`${candidate}: HTTP ${response.status}`);
        continue;
      }
      const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      // RFC 8414 section 3.3: the metadata must name the issuer it was fetched for.
      if (document.issuer !== issuer) {
        problems.push(`${candidate}: issuer ${JSON.stringify(document.issuer)} does not match`);
        continue;
      }
      if (typeof document.jwks_uri !== 'string' || !isAcceptableKeyUrl(document.jwks_uri)) {
        problems.push(`${candidate}: no https jwks_uri`);
        continue;
      }
      return document.jwks_uri;
    } catch (error) {
      problems.push(`${candidate}: ${(error as Error).message}`);
    }
  }
  throw new Error(problems.join('; '));
}

function isAcceptableKeyUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}
