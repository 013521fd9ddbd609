// Koa middleware (provider.use) around oidc-provider's own endpoints:
//  - `offline_access` honoured without an explicit `prompt=consent`;
//  - SMART launch context (`patient`, `need_patient_banner`) added to successful token responses;
//  - revocation and introspection of the JWT access tokens, which oidc-provider refuses with
//    `unsupported_token_type` because it keeps no copy of structured tokens.
import { createLocalJWKSet, jwtVerify } from 'jose';

/**
 * oidc-provider drops `offline_access` from an authorization request unless it also asks for
 * `prompt=consent` (OpenID Connect Core 11). SMART clients ask for offline_access without a prompt,
 * so such a request is treated as also asking for consent, which the sandbox grants along with the
 * login. `prompt=none` is left alone (it must stay alone; offline_access is then dropped).
 */
export function offlineAccessImpliesConsent(authorizationPath) {
  return async function offlineAccessConsent(ctx, next) {
    if (ctx.method === 'GET' && ctx.path === authorizationPath) {
      const query = new URLSearchParams(ctx.querystring);
      const scopes = (query.get('scope') ?? '').split(' ');
      const prompts = (query.get('prompt') ?? '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && !prompts.includes('consent') && !prompts.includes('none')
        && query.getAll('prompt').length <= 1) {
        query.set('prompt', [...prompts, 'consent'].join(' '));
        ctx.querystring = query.toString();
      }
    }
    return next();
  };
}

/** Public halves of the private JWKs. */
function publicJwks(jwks) {
  const fields = ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y'];
  return {
    keys: jwks.keys.map((jwk) => Object.fromEntries(fields.filter((f) => jwk[f] !== undefined).map((f) => [f, jwk[f]]))),
  };
}

/** Adds the SMART launch context, computed by extraTokenClaims, to the token response body. */
export function launchContextInTokenResponse() {
  return async function launchContext(ctx, next) {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !ctx.body?.access_token) return;
    const patient = ctx.oidc.entities.AccessToken?.extra?.patient;
    if (patient) {
      ctx.body = { ...ctx.body, patient, need_patient_banner: true };
    }
  };
}

/**
 * Remembers issued JWT access tokens (jti -> grant, expiry) and revoked ones, so that
 * /token/revocation and /token/introspection also work for them.
 */
export function structuredAccessTokens(provider, jwks) {
  const keySet = createLocalJWKSet(publicJwks(jwks));
  const issued = new Map(); // jti -> { grantId, exp }
  const revoked = new Map(); // jti -> exp

  const prune = () => {
    const now = Math.floor(Date.now() / 1000);
    for (const map of [issued, revoked]) {
      for (const [jti, value] of map) {
        if ((value.exp ?? value) < now) map.delete(jti);
      }
    }
  };
  setInterval(prune, 60_000).unref();

  provider.on('access_token.issued', (token) => {
    if (token.format === 'jwt') issued.set(token.jti, { grantId: token.grantId, exp: token.exp });
  });

  async function verify(token) {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: provider.issuer,
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256'],
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  async function isActive(payload) {
    if (revoked.has(payload.jti)) return false;
    const record = issued.get(payload.jti);
    if (!record?.grantId) return false;
    // A grant revoked by refresh token reuse or by revoking the refresh token ends its access tokens too.
    return !!(await provider.Grant.find(record.grantId));
  }

  return async function jwtAccessTokens(ctx, next) {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'revocation' && route !== 'introspection') return;
    // Only rewrite the library's refusal of structured tokens, after it authenticated the client.
    if (ctx.status !== 400 || ctx.body?.error !== 'unsupported_token_type') return;
    const { client, params } = ctx.oidc;
    if (!client || typeof params?.token !== 'string') return;

    const payload = await verify(params.token);
    const ownToken = payload?.client_id === client.clientId;

    if (route === 'revocation') {
      if (payload && !ownToken && client.clientAuthMethod !== 'none') {
        ctx.body = { error: 'invalid_request', error_description: 'client is not authorized to revoke the presented token' };
        return;
      }
      if (payload && ownToken) revoked.set(payload.jti, payload.exp);
      ctx.status = 200;
      ctx.body = '';
      return;
    }

    ctx.status = 200;
    if (!payload || (!ownToken && client.clientAuthMethod === 'none') || !(await isActive(payload))) {
      ctx.body = { active: false };
      return;
    }
    ctx.body = { ...payload, active: true, token_type: 'Bearer' };
  };
}
