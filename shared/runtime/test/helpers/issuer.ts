// A local OAuth issuer for tests: an ES256 key pair made with jose, its metadata (RFC 8414) and
// JWKS served on 127.0.0.1, and a signer for access tokens with any claims.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  /** The issuer identifier (`http://127.0.0.1:PORT`). */
  issuer: string;
  jwksUrl: string;
  /** Requests served so far, by path. */
  hits: string[];
  /**
   * Signs an access token. Defaults: `iss` this issuer, `sub` alice, `scope` mcp:read,
   * `exp` in an hour; `key: 'stranger'` signs with a key that is not in the JWKS but claims its `kid`.
   */
  sign(
    claims: JWTPayload,
    options?: { key?: 'issuer' | 'stranger'; expiresIn?: string | number },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const stranger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const hits: string[] = [];
  let issuer = '';
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/.well-known/oauth-authorization-server') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks.json`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          response_types_supported: ['code'],
        }),
      );
    } else if (req.url === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks.json`,
    hits,
    async sign(claims, options = {}) {
      const key: CryptoKey = options.key === 'stranger' ? stranger.privateKey : privateKey;
      const jwt = new SignJWT({ scope: 'mcp:read', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' })
        .setIssuedAt();
      if (claims.iss === undefined) jwt.setIssuer(issuer);
      if (claims.sub === undefined) jwt.setSubject('alice');
      if (claims.exp === undefined) jwt.setExpirationTime(options.expiresIn ?? '1h');
      return jwt.sign(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
