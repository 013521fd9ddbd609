// HTML of the sandbox sign-in page and of the interaction error page.
import { USERS } from '../fixtures.mjs';

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; }
  form { margin: 1rem 0; }
  label { display: block; margin: .6rem 0; }
  input[type=text], input[type=password] { display: block; width: 100%; padding: .4rem; box-sizing: border-box; }
  button { padding: .4rem 1.2rem; margin-right: .5rem; }
  .error { color: #a00; font-weight: bold; }
  .details, table { font-size: .9rem; color: #444; }
  table { border-collapse: collapse; margin-top: .5rem; }
  td, th { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
  code { word-break: break-all; }
`;

function layout(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The sign-in form. It posts `application/x-www-form-urlencoded` fields `username` and `password`
 * (plus the hidden, optional `uid`) to `/interaction/{uid}/login`.
 */
export function loginPage({ uid, clientId, scope, aud, username = '', error }) {
  const users = USERS.map((u) => `<tr><td><code>${escapeHtml(u.username)}</code></td><td><code>${escapeHtml(u.password)}</code></td>`
    + `<td>${escapeHtml(u.name)}</td><td><code>${escapeHtml(u.fhirUser)}</code></td></tr>`).join('\n');
  return layout('Sign in - FHIR Gateway sandbox', `
<h1>Sign in to the FHIR Gateway sandbox</h1>
<p class="details">Application <code>${escapeHtml(clientId)}</code> asks for
<code>${escapeHtml(scope)}</code> on <code>${escapeHtml(aud)}</code>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form id="login" method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <input type="hidden" name="uid" value="${escapeHtml(uid)}">
  <label>Username <input type="text" name="username" value="${escapeHtml(username)}" required autofocus></label>
  <label>Password <input type="password" name="password" required></label>
  <button type="submit">Sign in</button>
</form>
<form id="abort" method="post" action="/interaction/${escapeHtml(uid)}/abort">
  <button type="submit">Cancel</button>
</form>
<div class="details">
  <p>This is a sandbox. Its test users:</p>
  <table>
    <tr><th>Username</th><th>Password</th><th>Name</th><th>fhirUser</th></tr>
    ${users}
  </table>
</div>`);
}

export function errorPage(title, message) {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
