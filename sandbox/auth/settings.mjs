// Settings of the sandbox auth server, read once from the environment.
import { authIssuer, fhirBaseUrls, redirectUrisFromEnv, USERS } from '../fixtures.mjs';

function integer(env, name, fallback, { min = 0 } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns the settings; `issuer` is left undefined when it depends on the port the OS picks.
 */
export function readSettings(env = process.env) {
  const port = integer(env, 'SANDBOX_AUTH_PORT', 4190);
  if (port > 65535) throw new Error('SANDBOX_AUTH_PORT must be <= 65535');

  const autoLogin = env.SANDBOX_AUTO_LOGIN?.trim() || undefined;
  if (autoLogin && !USERS.some((u) => u.username === autoLogin)) {
    throw new Error(`SANDBOX_AUTO_LOGIN names an unknown user "${autoLogin}" (known: ${USERS.map((u) => u.username).join(', ')})`);
  }

  // The FHIR Gateway itself as a resource server (issue 7): apps and agents get access tokens whose `aud` is
  // this value by asking for it as `aud` (or `resource`), like a FHIR base. Unset: no gateway audience.
  const gatewayAudience = env.SANDBOX_GATEWAY_AUDIENCE?.trim().replace(/\/+$/, '') || undefined;
  if (gatewayAudience && !URL.canParse(gatewayAudience)) {
    throw new Error(`SANDBOX_GATEWAY_AUDIENCE must be an absolute URI (RFC 8707 resource), got "${gatewayAudience}"`);
  }

  const redirectUris = redirectUrisFromEnv(env);
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new Error(`SANDBOX_REDIRECT_URIS contains an invalid URL "${uri}"`);
  }

  return {
    host: env.SANDBOX_AUTH_HOST?.trim() || '127.0.0.1',
    port,
    // With port 0 and no explicit URL, the issuer is known only once the server listens.
    issuer: env.SANDBOX_AUTH_URL || port !== 0 ? authIssuer(env) : undefined,
    audiences: [...fhirBaseUrls(env), ...(gatewayAudience ? [gatewayAudience] : [])],
    gatewayAudience,
    redirectUris,
    autoLogin,
    accessTokenTtl: integer(env, 'SANDBOX_ACCESS_TOKEN_TTL', 3600, { min: 1 }),
    refreshTokenTtl: integer(env, 'SANDBOX_REFRESH_TOKEN_TTL', 24 * 60 * 60, { min: 1 }),
  };
}

/** The issuer once the real port is known. */
export function issuerForPort(env, port) {
  return authIssuer({ ...env, SANDBOX_AUTH_PORT: String(port) });
}
