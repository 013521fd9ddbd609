// The end-user interactions oidc-provider sends the browser to (interactions.url):
//   GET  /interaction/:uid         login form (or, with SANDBOX_AUTO_LOGIN, an immediate login);
//                                   a `consent` prompt is granted at once (sandbox: no consent page)
//   POST /interaction/:uid/login   checks username/password, logs in and grants the requested scopes
//   POST /interaction/:uid/abort   ends the request with access_denied
import { errors } from 'oidc-provider';

import { authenticate, findUser } from './accounts.mjs';
import { errorPage, loginPage } from './login-page.mjs';
import { isSmartScope, OIDC_SCOPES, splitScope } from './scopes.mjs';

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|abort))?$/;
const MAX_BODY = 16 * 1024;
const OIDC_SCOPE_SET = new Set(OIDC_SCOPES);

function sendHtml(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  res.end(html);
}

async function readForm(req) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Grants what the authorization request asked for: OIDC scopes, and every SMART scope for the aud. */
function grantRequested(grant, params) {
  const requested = splitScope(params.scope);
  const oidcScopes = requested.filter((s) => OIDC_SCOPE_SET.has(s));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  const smartScopes = requested.filter(isSmartScope);
  for (const resource of [params.resource ?? []].flat()) {
    if (smartScopes.length) grant.addResourceScope(resource, smartScopes.join(' '));
  }
}

/** Grants exactly what the provider's `consent` prompt reports as missing. */
function grantMissing(grant, details) {
  if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
}

export function createInteractions(provider, { autoLogin }) {
  /** Login and consent in one interaction result. */
  async function finishLogin(req, res, interaction, user) {
    const grant = new provider.Grant({ accountId: user.username, clientId: interaction.params.client_id });
    grantRequested(grant, interaction.params);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, {
      login: { accountId: user.username },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
  }

  async function finishConsent(req, res, interaction) {
    const { accountId } = interaction.session;
    const clientId = interaction.params.client_id;
    let grant = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    grant ??= new provider.Grant({ accountId, clientId });
    grantMissing(grant, interaction.prompt.details);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  function showLogin(res, interaction, { status = 200, username, error } = {}) {
    const { params } = interaction;
    sendHtml(res, status, loginPage({
      uid: interaction.uid,
      clientId: params.client_id,
      scope: params.scope,
      aud: params.aud ?? params.resource,
      username: username ?? params.login_hint,
      error,
    }));
  }

  async function route(req, res, action, interaction) {
    const prompt = interaction.prompt.name;

    if (req.method === 'GET' && !action) {
      if (prompt === 'login') {
        if (autoLogin) return finishLogin(req, res, interaction, findUser(autoLogin));
        return showLogin(res, interaction);
      }
      if (prompt === 'consent') return finishConsent(req, res, interaction);
      return sendHtml(res, 400, errorPage('Unsupported interaction', `The "${prompt}" prompt is not supported by this sandbox.`));
    }

    if (req.method === 'POST' && action === 'abort') {
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      }, { mergeWithLastSubmission: false });
    }

    if (req.method === 'POST' && action === 'login') {
      if (prompt !== 'login') {
        return sendHtml(res, 400, errorPage('Already signed in', 'This authorization request does not expect a password any more.'));
      }
      const form = await readForm(req);
      if (!form) {
        return sendHtml(res, 400, errorPage('Bad request', 'Send the form as application/x-www-form-urlencoded (fields username, password).'));
      }
      const hiddenUid = form.get('uid');
      if (hiddenUid && hiddenUid !== interaction.uid) {
        return sendHtml(res, 400, errorPage('Bad request', 'The form does not belong to this sign-in.'));
      }
      const username = form.get('username') ?? '';
      const user = authenticate(username, form.get('password') ?? '');
      if (!user) return showLogin(res, interaction, { username, error: 'Invalid username or password.' });
      return finishLogin(req, res, interaction, user);
    }

    res.setHeader('Allow', action ? 'POST' : 'GET');
    return sendHtml(res, 405, errorPage('Method not allowed', `${req.method} is not allowed here.`));
  }

  /** Handles the request if its path is an interaction path; returns false otherwise. */
  return async function handleInteraction(req, res, pathname) {
    const match = ROUTE.exec(pathname);
    if (!match) return false;
    const [, uid, action] = match;
    res.setHeader('Cache-Control', 'no-store'); // also on the 303s written by interactionFinished
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction cookie does not match the URL');
      await route(req, res, action, interaction);
    } catch (err) {
      if (err instanceof errors.SessionNotFound) {
        sendHtml(res, 400, errorPage('Sign-in expired',
          'This sign-in is unknown or has expired, or its cookie was not sent. Start again from the application.'));
      } else {
        console.error(`sandbox-auth interaction error: ${err?.message ?? err}`);
        if (!res.headersSent) sendHtml(res, 500, errorPage('Server error', 'The sign-in could not be completed.'));
      }
    }
    return true;
  };
}
