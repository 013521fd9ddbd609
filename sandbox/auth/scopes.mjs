// SMART App Launch scope grammar.
//
// oidc-provider only knows two kinds of scope: the static OpenID Connect ones listed in its
// `scopes` configuration, and the scopes a resource server (here: a FHIR base, the SMART `aud`)
// says it accepts. SMART resource scopes (`patient/Observation.rs?category=...`) cannot be listed
// in advance, so the FHIR resource server accepts any scope that matches the grammar below.

/** Scopes that are not resource scopes. All of them are also OpenID Connect scopes of the provider. */
export const OIDC_SCOPES = ['openid', 'fhirUser', 'profile', 'offline_access', 'online_access', 'launch/patient'];

const OIDC_SCOPE_SET = new Set(OIDC_SCOPES);

// context / resource type: `patient/*`, `user/Observation`, `system/Patient`
const PREFIX = String.raw`(?:patient|user|system)/(?:\*|[A-Z][A-Za-z0-9]*)`;

// SMART v1: `.read`, `.write` or `.*`
const V1 = new RegExp(String.raw`^${PREFIX}\.(?:read|write|\*)$`);

// SMART v2: a non-empty, ordered subset of c r u d s, optionally followed by `?query`
const V2 = new RegExp(String.raw`^${PREFIX}\.(?=[cruds])c?r?u?d?s?(?:\?\S+)?$`);

/** True for `patient/*.read`, `user/Observation.rs?category=laboratory`, ... */
export function isResourceScope(scope) {
  return V1.test(scope) || V2.test(scope);
}

/** True for every scope a FHIR base accepts: the OIDC/launch scopes and any resource scope. */
export function isSmartScope(scope) {
  return OIDC_SCOPE_SET.has(scope) || isResourceScope(scope);
}

/** Splits a space-delimited scope string (or undefined) into unique, non-empty scopes. */
export function splitScope(scope) {
  if (typeof scope !== 'string') return [];
  return [...new Set(scope.split(' ').filter(Boolean))];
}

/** Examples advertised in /.well-known/smart-configuration `scopes_supported`. */
export const ADVERTISED_SCOPES = [
  ...OIDC_SCOPES,
  'patient/*.rs',
  'patient/*.cruds',
  'user/*.rs',
  'user/*.cruds',
  'patient/*.read',
  'patient/*.write',
  'user/*.read',
  'user/*.write',
];
