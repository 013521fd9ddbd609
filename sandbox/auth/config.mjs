// oidc-provider configuration for the SMART App Launch sandbox.
import { errors } from 'oidc-provider';

import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  CONFIDENTIAL_POST_CLIENT_ID,
  PUBLIC_CLIENT_ID,
} from '../fixtures.mjs';
import { findAccount, launchContext } from './accounts.mjs';
import { isSmartScope, OIDC_SCOPES, splitScope } from './scopes.mjs';

/** Paths of the provider's endpoints (also used by /.well-known/smart-configuration). */
export const ROUTES = {
  authorization: '/auth',
  token: '/token',
  jwks: '/jwks',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  end_session: '/session/end',
};

export const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

const DAY = 24 * 60 * 60;

/** The SMART clients of fixtures.mjs. oidc-provider allows one token endpoint auth method per client. */
function clients(redirectUris) {
  const common = {
    application_type: 'web', // exact redirect_uri matching (native would ignore loopback ports)
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectUris,
  };
  return [
    { ...common, client_id: PUBLIC_CLIENT_ID, client_name: 'FHIR Gateway (public)', token_endpoint_auth_method: 'none' },
    {
      ...common,
      client_id: CONFIDENTIAL_CLIENT_ID,
      client_name: 'FHIR Gateway (confidential, client_secret_basic)',
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...common,
      client_id: CONFIDENTIAL_POST_CLIENT_ID,
      client_name: 'FHIR Gateway (confidential, client_secret_post)',
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_post',
    },
  ];
}

/**
 * @param {object} options
 * @param {ReturnType<import('./settings.mjs').readSettings>} options.settings
 * @param {{ keys: object[] }} options.jwks private signing keys
 * @param {string[]} options.cookieKeys
 */
export function providerConfiguration({ settings, jwks, cookieKeys }) {
  /** The FHIR base a SMART `aud` (or RFC 8707 `resource`) names; a trailing slash is tolerated. */
  const knownAudience = (value) => {
    if (typeof value !== 'string') return undefined;
    const trimmed = value.replace(/\/+$/, '');
    return settings.audiences.find((a) => a === trimmed);
  };

  return {
    clients: clients(settings.redirectUris),
    clientAuthMethods: TOKEN_ENDPOINT_AUTH_METHODS,
    allowOmittingSingleRegisteredRedirectUri: false,
    responseTypes: ['code'],
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 implements
    jwks,
    cookies: { keys: cookieKeys },
    clockTolerance: 5,
    routes: ROUTES,

    scopes: OIDC_SCOPES,
    claims: {
      openid: ['sub'],
      fhirUser: ['fhirUser'],
      profile: ['name', 'preferred_username'],
    },
    findAccount,

    // SMART's `aud` authorization parameter. It is mapped to the RFC 8707 resource (see defaultResource).
    extraParams: {
      async aud(ctx, value) {
        if (ctx.oidc.route !== 'authorization') return;
        if (!value) {
          throw new errors.InvalidRequest("missing required parameter 'aud' (the FHIR base URL)");
        }
        const resource = [ctx.oidc.params.resource].flat();
        if (resource.length !== 1 || knownAudience(resource[0]) !== knownAudience(value)) {
          throw new errors.InvalidTarget('resource and aud must name the same single FHIR base URL');
        }
      },
    },

    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: false }, // access tokens are JWTs for the FHIR server; claims come in the id_token
      revocation: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // SMART clients send `aud`, not `resource`: at the authorization endpoint the aud becomes the resource.
        async defaultResource(ctx, _client, oneOf) {
          if (oneOf) return oneOf;
          if (ctx.oidc.route !== 'authorization') return undefined;
          const { aud } = ctx.oidc.params;
          return knownAudience(aud) ?? (aud || undefined);
        },
        // Token and refresh requests carry no resource/aud: keep using the one of the authorization.
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(ctx, indicator) {
          const audience = knownAudience(indicator);
          if (!audience) {
            throw new errors.InvalidTarget('aud must be one of the FHIR base URLs of this sandbox');
          }
          // Every syntactically valid SMART scope is accepted; the grant decides what is issued.
          const candidates = new Set([
            ...splitScope(ctx.oidc.params?.scope),
            ...splitScope(ctx.oidc.entities?.Grant?.getResourceScope(indicator)),
          ]);
          return {
            audience,
            scope: [...candidates].filter(isSmartScope).join(' '),
            accessTokenFormat: 'jwt',
            accessTokenTTL: settings.accessTokenTtl,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },

    // `patient` / `fhirUser` launch context inside the JWT access token (also copied to the token response).
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const context = launchContext(token.accountId, new Set(splitScope(token.scope)));
      return Object.keys(context).length ? context : undefined;
    },

    async issueRefreshToken(_ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    rotateRefreshToken: true,

    ttl: {
      AccessToken: settings.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: settings.refreshTokenTtl,
      Interaction: 10 * 60,
      Session: DAY,
      Grant: Math.max(settings.refreshTokenTtl, 30 * DAY),
    },

    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },

    // Browser-based SMART apps may call the token endpoint from their redirect URI's origin.
    clientBasedCORS(_ctx, origin, client) {
      return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
    },
  };
}
