// The sandbox's user store: the fixed test users of fixtures.mjs. The account id (`sub`) is the username.
import { createHash, timingSafeEqual } from 'node:crypto';

import { USERS } from '../fixtures.mjs';

export function findUser(username) {
  return USERS.find((u) => u.username === username);
}

function digest(value) {
  return createHash('sha256').update(String(value ?? ''), 'utf8').digest();
}

/** Returns the user when the credentials match, otherwise undefined (same work either way). */
export function authenticate(username, password) {
  const user = findUser(username);
  const expected = digest(user ? user.password : '\u0000no-such-user');
  const ok = timingSafeEqual(expected, digest(password));
  return user && ok ? user : undefined;
}

/** oidc-provider `findAccount`. Claims are filtered by the provider according to the granted scopes. */
export async function findAccount(_ctx, accountId) {
  const user = findUser(accountId);
  if (!user) return undefined;
  return {
    accountId: user.username,
    async claims() {
      return {
        sub: user.username,
        fhirUser: user.fhirUser,
        name: user.name,
        preferred_username: user.username,
      };
    },
  };
}

/**
 * SMART launch context of a token with the given granted scopes.
 * `patient` only for a user bound to a patient who was granted `launch/patient`;
 * `fhirUser` when the `fhirUser` scope was granted.
 */
export function launchContext(accountId, scopes) {
  const user = findUser(accountId);
  if (!user) return {};
  const context = {};
  if (scopes.has('launch/patient') && user.patient) context.patient = user.patient;
  if (scopes.has('fhirUser') && user.fhirUser) context.fhirUser = user.fhirUser;
  return context;
}
