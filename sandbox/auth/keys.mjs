// Keys made fresh at every start: nothing secret is kept on disk.
import { randomBytes } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

async function signingKey(alg, options) {
  const { privateKey } = await generateKeyPair(alg, { ...options, extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = alg;
  jwk.use = 'sig';
  return jwk;
}

/**
 * Private JWK set for oidc-provider's `jwks`. RS256 comes first, so it signs the access tokens and
 * id tokens; the public halves are served at /jwks.
 */
export async function generateSigningKeys() {
  return {
    keys: [
      await signingKey('RS256', { modulusLength: 2048 }),
      await signingKey('ES256'),
    ],
  };
}

/** Keys for the signed cookies (session, interaction). */
export function generateCookieKeys() {
  return [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
}
