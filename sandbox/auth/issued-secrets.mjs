// For a test run's log check: when SANDBOX_ISSUED_SECRETS_FILE is set, every secret this server hands out or is
// handed (authorization codes, access, refresh and id tokens, PKCE verifiers, states, the confidential client secret) is
// appended to that file, one per line, so the run can prove none of them reached the gateway's logs. Never set in
// a deployment: the file holds live credentials.
import { appendFileSync } from 'node:fs';

import { CONFIDENTIAL_CLIENT_SECRET } from '../fixtures.mjs';

/** Koa middleware for provider.use(); null when the setting is absent. */
export function recordIssuedSecrets(file, tokenPath) {
  if (!file) return null;
  const record = (...values) => {
    const lines = values.filter((v) => typeof v === 'string' && v.length >= 16);
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  };
  record(CONFIDENTIAL_CLIENT_SECRET);

  return async function issuedSecrets(ctx, next) {
    await next();
    record(ctx.oidc?.params?.code_verifier, ctx.oidc?.params?.code, ctx.oidc?.params?.refresh_token, ctx.oidc?.params?.state);
    if (ctx.path === tokenPath && ctx.body && typeof ctx.body === 'object') {
      record(ctx.body.access_token, ctx.body.refresh_token, ctx.body.id_token);
    }

    const location = ctx.response.get('location');
    if (location && location.includes('code=')) {
      try {
        record(new URL(location).searchParams.get('code'));
      } catch {
        // not a URL: nothing issued
      }
    }
  };
}
