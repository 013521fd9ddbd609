// Sandbox OAuth 2.0 / OpenID Connect server for SMART App Launch: `node auth/server.mjs`.
// See README.md beside this file for the settings, endpoints, clients and the login flow.
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

import { providerConfiguration, ROUTES, TOKEN_ENDPOINT_AUTH_METHODS } from './config.mjs';
import { recordIssuedSecrets } from './issued-secrets.mjs';
import { createInteractions } from './interactions.mjs';
import { generateCookieKeys, generateSigningKeys } from './keys.mjs';
import { ADVERTISED_SCOPES } from './scopes.mjs';
import { issuerForPort, readSettings } from './settings.mjs';
import {
  launchContextInTokenResponse,
  offlineAccessImpliesConsent,
  structuredAccessTokens,
} from './token-extensions.mjs';

const CAPABILITIES = [
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'context-standalone-patient',
  'permission-offline',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'sso-openid-connect',
];

function sendJson(res, status, body, headers = {}) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

/** SMART App Launch 2.x discovery; endpoints built like oidc-provider's (from the request's host). */
function smartConfiguration(issuer, req) {
  const base = req.headers.host ? `http://${req.headers.host}` : issuer;
  const url = (path) => new URL(path, base).href;
  return {
    issuer,
    jwks_uri: url(ROUTES.jwks),
    authorization_endpoint: url(ROUTES.authorization),
    token_endpoint: url(ROUTES.token),
    revocation_endpoint: url(ROUTES.revocation),
    introspection_endpoint: url(ROUTES.introspection),
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    scopes_supported: ADVERTISED_SCOPES,
    response_types_supported: ['code'],
    capabilities: CAPABILITIES,
  };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const settings = readSettings(process.env);
  const server = createServer();
  const port = await listen(server, settings.port, settings.host);
  const issuer = settings.issuer ?? issuerForPort(process.env, port);

  const jwks = await generateSigningKeys();
  const provider = new Provider(issuer, providerConfiguration({ settings, jwks, cookieKeys: generateCookieKeys() }));
  provider.proxy = false;
  // Outermost, so it sees the answers as they leave (after the launch context and JWT access tokens are added).
  const issuedSecrets = recordIssuedSecrets(process.env.SANDBOX_ISSUED_SECRETS_FILE, ROUTES.token);
  if (issuedSecrets) provider.use(issuedSecrets);
  provider.use(offlineAccessImpliesConsent(ROUTES.authorization));
  provider.use(launchContextInTokenResponse());
  provider.use(structuredAccessTokens(provider, jwks));
  provider.on('server_error', (_ctx, err) => console.error(`sandbox-auth server_error: ${err?.stack ?? err}`));

  const handleInteraction = createInteractions(provider, settings);
  const handleProvider = provider.callback();

  server.on('request', async (req, res) => {
    const started = Date.now();
    const pathname = new URL(req.url ?? '/', 'http://sandbox').pathname;
    // One line per request; never the query string (codes, states) nor bodies (tokens, secrets).
    res.on('finish', () => console.log(`${req.method} ${pathname} ${res.statusCode} ${Date.now() - started}ms`));
    try {
      if (pathname === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok' });
      } else if (pathname === '/.well-known/smart-configuration' && req.method === 'GET') {
        sendJson(res, 200, smartConfiguration(issuer, req), { 'Access-Control-Allow-Origin': '*' });
      } else if (!(await handleInteraction(req, res, pathname))) {
        await handleProvider(req, res);
      }
    } catch (err) {
      console.error(`sandbox-auth request error: ${err?.message ?? err}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.end();
    }
  });

  const shown = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  console.log(`sandbox-auth listening on http://${shown}:${port} issuer=${issuer}`);

  const shutdown = (signal) => {
    console.log(`sandbox-auth received ${signal}, shutting down`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err) => {
  console.error(`sandbox-auth failed to start: ${err?.stack ?? err}`);
  process.exit(1);
});
