// Everything about the OAuth server: where its endpoints are, access-token verification and SMART scopes.
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * Endpoints of the auth server. Read lazily from its OpenID discovery document; until that answers,
 * oidc-provider's default paths under the issuer are used.
 */
export class AuthServer {
  #issuer;
  #discovered;
  #lastAttempt = 0;
  #jwks = new Map();

  constructor(issuer) {
    this.#issuer = issuer;
  }

  get issuer() {
    return this.#issuer;
  }

  /** The auth server's endpoints (discovered if possible). Never throws. */
  async endpoints() {
    const fallback = {
      issuer: this.#issuer,
      authorization_endpoint: `${this.#issuer}/auth`,
      token_endpoint: `${this.#issuer}/token`,
      revocation_endpoint: `${this.#issuer}/token/revocation`,
      introspection_endpoint: `${this.#issuer}/token/introspection`,
      jwks_uri: `${this.#issuer}/jwks`,
      userinfo_endpoint: `${this.#issuer}/me`,
    };
    if (!this.#discovered && Date.now() - this.#lastAttempt > 2000) {
      this.#lastAttempt = Date.now();
      try {
        const res = await fetch(`${this.#issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1500) });
        if (res.ok) {
          const doc = await res.json();
          if (doc?.issuer && doc?.jwks_uri) this.#discovered = doc;
        }
      } catch {
        // Not up yet: use the fallback and try again on a later request.
      }
    }
    return { ...fallback, ...(this.#discovered ?? {}), issuer: this.#issuer };
  }

  /**
   * Verifies a bearer token: signature (JWKS of the issuer), `iss`, `exp`, and that `aud` contains `audience`.
   * Returns the claims, or throws (the error is for logs only; never send it to the client).
   */
  async verify(token, audience) {
    const { jwks_uri: jwksUri } = await this.endpoints();
    let jwks = this.#jwks.get(jwksUri);
    if (!jwks) {
      jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000, cooldownDuration: 5000 });
      this.#jwks.set(jwksUri, jwks);
    }
    const { payload } = await jwtVerify(token, jwks, {
      issuer: this.#issuer,
      audience,
      requiredClaims: ['exp'],
      clockTolerance: 5,
    });
    return payload;
  }
}

/** Bearer token from an Authorization header, or undefined. */
export function bearerToken(header) {
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header ?? '');
  return match?.[1];
}

// --- SMART scopes ----------------------------------------------------------------------------------------

const V1_PERMISSIONS = { read: 'rs', write: 'cud', '*': 'cruds' };
const SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.*))?$/;

/**
 * Parses the resource scopes of a token's `scope` claim (space separated; an array is accepted too).
 * Each grant: { context: 'patient' | 'user' | 'system', type: 'Observation' | '*', perms: Set of c/r/u/d/s, query?: URLSearchParams }.
 * Non-resource scopes (openid, launch/patient, offline_access...) and malformed ones are ignored.
 */
export function parseScopes(scopeClaim) {
  const words = Array.isArray(scopeClaim) ? scopeClaim : String(scopeClaim ?? '').split(/\s+/);
  const grants = [];
  for (const word of words) {
    const m = SCOPE.exec(word);
    if (!m) continue;
    const [, context, type, access, query] = m;
    let perms = V1_PERMISSIONS[access];
    if (!perms) {
      // SMART v2: letters from "cruds", each at most once.
      if (!/^[cruds]+$/.test(access) || new Set(access).size !== access.length) continue;
      perms = access;
    }
    if (query !== undefined && V1_PERMISSIONS[access]) continue; // v1 scopes have no query form
    grants.push({ context, type, perms: new Set(perms), ...(query !== undefined ? { query: new URLSearchParams(query) } : {}) });
  }
  return grants;
}

/**
 * True if some grant allows permission `perm` (one of c r u d s) on `type`.
 * `type` '*' means a system-level interaction, which only a wildcard scope allows.
 * A grant restricted by a query (v2 `patient/Observation.rs?category=laboratory`) only allows searches
 * whose parameters include every name=value of that query.
 */
export function isAllowed(grants, type, perm, searchParams) {
  return grants.some((g) => {
    if (!g.perms.has(perm)) return false;
    if (g.type !== '*' && g.type !== type) return false;
    if (!g.query) return true;
    if (perm !== 's' || !searchParams) return false;
    for (const [name, value] of g.query) {
      if (!searchParams.getAll(name).includes(value)) return false;
    }
    return true;
  });
}
