// The connections page: the platform catalog and this browser's connections, over the gateway's JSON routes.
// Served under a CSP without inline script; builds every node with textContent (no HTML from data).
'use strict';

(() => {
  const PAGE = '/connections';
  const PENDING_KEY = 'fhirgw.pending-login';
  const MAX_WAIT_MS = 10 * 60 * 1000;
  const TYPE_NAMES = { payer: 'Payer', ehr: 'EHR', sandbox: 'Sandbox', government: 'Government', lab: 'Lab' };

  const state = { platforms: [], connections: new Map(), waiting: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  async function getJson(url, options) {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' }, ...options });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      // Errors are FHIR OperationOutcomes: show the first issue's text.
      const text = body && body.issue && body.issue[0] && (body.issue[0].diagnostics || (body.issue[0].details && body.issue[0].details.text));
      throw new Error(text || `The gateway answered ${response.status}.`);
    }
    return body;
  }

  function nameOf(id) {
    const platform = state.platforms.find((p) => p.id === id);
    return platform ? platform.display_name : id;
  }

  // --- messages -------------------------------------------------------------------------------------------

  function notify(text, kind) {
    const notice = $('notice');
    notice.className = 'notice' + (kind === 'wait' ? ' notice-wait' : '');
    notice.replaceChildren(el('p', { textContent: text }));
    notice.hidden = false;
    $('problem').hidden = true;
    return notice;
  }

  function fail(text) {
    const problem = $('problem');
    problem.replaceChildren(el('p', { textContent: text }));
    problem.hidden = false;
    $('notice').hidden = true;
  }

  // The callback sends only a short code (never free text) so that a crafted link cannot put words on this page.
  function failureText(code, platformName) {
    switch (code) {
      case 'access_denied': return `The sign-in at ${platformName} was cancelled or declined. Nothing was connected.`;
      case 'invalid': return `That sign-in link for ${platformName} expired or was already used. Connect again.`;
      case 'transient':
      case 'timeout': return `${platformName} could not be reached to finish the sign-in. Try again in a moment.`;
      default: return `The sign-in at ${platformName} failed (${code}). Try again.`;
    }
  }

  // --- rendering ------------------------------------------------------------------------------------------

  function matches(platform, query, type, readyOnly) {
    if (type && platform.type !== type) return false;
    if (readyOnly && !platform.usable) return false;
    if (!query) return true;
    const haystack = [platform.id, platform.name, platform.display_name, ...(platform.aliases || [])].join(' ').toLowerCase();
    return query.split(/\s+/).every((word) => haystack.includes(word));
  }

  // Connected first, then those ready to connect, then the rest: the few usable platforms are not lost among many.
  function sorted(platforms) {
    return [...platforms].sort((a, b) =>
      (state.connections.has(b.id) - state.connections.has(a.id)) || (b.usable - a.usable) || a.display_name.localeCompare(b.display_name));
  }

  function connectionDetails(connection) {
    const details = el('dl', { className: 'details' });
    const row = (label, value) => details.append(el('dt', { textContent: label }), el('dd', {}, value));
    const badge = connection.state === 'connected'
      ? el('span', { className: 'badge badge-ok', textContent: 'Connected' })
      : connection.state === 'expired'
        ? el('span', { className: 'badge badge-warn', textContent: connection.can_refresh ? 'Connected (refreshes on next use)' : 'Expired' })
        : el('span', { className: 'badge badge-error', textContent: 'Sign in again' });
    row('Status', badge);
    if (connection.patient) row('Patient', el('code', { className: 'patient', textContent: connection.patient }));
    if (connection.fhir_user) row('Signed in as', el('code', { textContent: connection.fhir_user }));
    if (connection.scope) {
      row('Granted scopes', el('ul', { className: 'scopes' }, ...connection.scope.split(' ').filter(Boolean).map((s) => el('li', {}, el('code', { textContent: s })))));
    }
    if (connection.expires_at) row('Access expires', el('time', { dateTime: connection.expires_at, textContent: new Date(connection.expires_at).toLocaleString() }));
    if (connection.message) row('Why', connection.message);
    return details;
  }

  function actionFor(platform, connection) {
    const hidden = el('span', { className: 'vh', textContent: ' ' + platform.display_name });
    if (connection && connection.state !== 'reauthorization_required') {
      const button = el('button', { type: 'button', className: 'secondary' }, 'Disconnect', hidden);
      button.addEventListener('click', () => disconnect(platform, button));
      return button;
    }
    if (!platform.usable) return null;
    const button = el('button', { type: 'button', className: 'primary' }, connection ? 'Reconnect' : 'Connect', hidden);
    button.addEventListener('click', () => connect(platform, button));
    return button;
  }

  function platformItem(platform) {
    const connection = state.connections.get(platform.id);
    const registration = platform.registration === 'required'
      ? (platform.registered ? 'App registration: configured' : 'Needs an app registration')
      : 'No registration needed';
    const item = el('li', { className: 'platform' + (connection ? ' is-connected' : '') });
    item.dataset.platform = platform.id;
    item.append(
      el('div', {},
        el('h3', { textContent: platform.display_name }),
        el('p', { className: 'meta' }, el('code', { textContent: platform.id }), ` · ${TYPE_NAMES[platform.type] || platform.type} · ${registration}`)),
      el('div', { className: 'actions' }, actionFor(platform, connection)));
    if (connection) item.append(connectionDetails(connection));
    if (!platform.usable && platform.problem) item.append(el('p', { className: 'note', textContent: `Not available: ${platform.problem}` }));
    return item;
  }

  function render() {
    const query = $('search').value.trim().toLowerCase();
    const type = $('type').value;
    const readyOnly = $('ready').checked;
    const shown = sorted(state.platforms).filter((p) => matches(p, query, type, readyOnly));
    $('catalog').replaceChildren(...shown.map(platformItem));
    const connected = state.platforms.filter((p) => state.connections.has(p.id)).length;
    $('count').textContent = `${shown.length} of ${state.platforms.length} platforms shown · ${connected} connected`;
  }

  function focusAction(platformId) {
    const item = document.querySelector(`li[data-platform="${CSS.escape(platformId)}"]`);
    const target = item && (item.querySelector('button') || item.querySelector('h3'));
    if (target) {
      if (target.tagName === 'H3') target.tabIndex = -1;
      target.focus();
    }
  }

  async function loadStatus() {
    const status = await getJson('/auth/status');
    state.connections = new Map(status.connections.map((c) => [c.platform_id, c]));
  }

  // --- actions --------------------------------------------------------------------------------------------

  function connect(platform, button) {
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
    button.replaceChildren(el('span', { className: 'spinner', ariaHidden: 'true' }), 'Connecting…');
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ platform: platform.id, started: Date.now() }));
    notify(`Opening the sign-in page of ${platform.display_name}…`, 'wait');
    window.location.assign(`/auth/${encodeURIComponent(platform.id)}/login?return_to=${encodeURIComponent(PAGE)}`);
  }

  async function disconnect(platform, button) {
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
    try {
      await getJson(`/auth/${encodeURIComponent(platform.id)}/logout`, { method: 'POST' });
      await loadStatus();
      render();
      notify(`Disconnected from ${platform.display_name}.`);
      focusAction(platform.id);
    } catch (error) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      fail(`Could not disconnect from ${platform.display_name}: ${error.message}`);
    }
  }

  // A login started from this tab and not finished (e.g. the user came back with the browser's Back button, or
  // finishes it in another tab): wait for it with the gateway's long poll, which answers the moment it lands.
  async function waitForPending() {
    let pending;
    try { pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null'); } catch { pending = null; }
    if (!pending || !pending.platform || Date.now() - pending.started > MAX_WAIT_MS || state.connections.has(pending.platform)) {
      sessionStorage.removeItem(PENDING_KEY);
      return;
    }

    const name = nameOf(pending.platform);
    const controller = new AbortController();
    state.waiting = controller;
    const notice = notify(`Waiting for your sign-in at ${name} to finish…`, 'wait');
    notice.firstChild.prepend(el('span', { className: 'spinner', ariaHidden: 'true' }));
    const stop = el('button', { type: 'button', className: 'secondary', textContent: 'Stop waiting' });
    stop.addEventListener('click', () => controller.abort());
    notice.append(stop);
    notice.setAttribute('aria-busy', 'true');

    try {
      while (Date.now() - pending.started < MAX_WAIT_MS) {
        const result = await getJson(`/auth/${encodeURIComponent(pending.platform)}/wait?timeout=25`, { signal: controller.signal });
        if (result.status === 'connected') {
          await loadStatus();
          render();
          notify(`Connected to ${name}.`);
          return;
        }
        if (result.status === 'failed') {
          fail(`The sign-in at ${name} failed${result.message ? ': ' + result.message : '.'}`);
          return;
        }
        if (result.status === 'not_started') break;
      }
      $('notice').hidden = true;
    } catch (error) {
      if (error.name === 'AbortError') {
        notify(`Stopped waiting for ${name}. Connect again when you are ready.`);
      } else {
        fail(`Could not check the sign-in at ${name}: ${error.message}`);
      }
    } finally {
      sessionStorage.removeItem(PENDING_KEY);
      notice.removeAttribute('aria-busy');
      state.waiting = null;
    }
  }

  // --- start ----------------------------------------------------------------------------------------------

  function readOutcome() {
    const params = new URLSearchParams(window.location.search);
    const connected = params.get('connected');
    const error = params.get('error');
    const platform = params.get('platform');
    if (connected || error) {
      sessionStorage.removeItem(PENDING_KEY);
      // A reload should not announce it again.
      history.replaceState(null, '', PAGE);
    }
    return { connected, error: error && /^[a-z0-9_-]{1,64}$/i.test(error) ? error : error && 'unknown_error', platform };
  }

  async function start() {
    const outcome = readOutcome();
    try {
      const [catalog] = await Promise.all([getJson('/api/platforms'), loadStatus()]);
      state.platforms = catalog.platforms;
    } catch (error) {
      $('count').textContent = '';
      fail(`Could not load the platforms: ${error.message}`);
      return;
    }

    render();
    if (outcome.connected) {
      const connection = state.connections.get(outcome.connected);
      notify(connection
        ? `Connected to ${nameOf(outcome.connected)}${connection.patient ? ` (patient ${connection.patient})` : ''}.`
        : `The sign-in at ${nameOf(outcome.connected)} finished, but this browser has no connection to it.`);
      focusAction(outcome.connected);
    } else if (outcome.error) {
      fail(failureText(outcome.error, outcome.platform ? nameOf(outcome.platform) : 'the platform'));
      // Focus the message itself, so it stays in view (the platform's button may be far down the list).
      $('problem').tabIndex = -1;
      $('problem').focus();
    } else {
      await waitForPending();
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const id of ['search', 'type', 'ready']) $(id).addEventListener('input', render);
    $('filters').addEventListener('submit', (event) => event.preventDefault());
    start();
  });

  // Back from the platform's sign-in page restores this page from the back/forward cache: look again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && !state.waiting) start();
  });
})();
