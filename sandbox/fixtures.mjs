// Facts both sandbox hosts must agree on: the FHIR bases, the test users and the SMART clients.
// Ids are fixed so that a user's `fhirUser` / `patient` launch context names a resource the FHIR server seeded.

/** FHIR bases served by one FHIR process, each with its own data: `/{name}/fhir`. */
export const DEFAULT_BASES = ['payer-a', 'ehr-b'];

export function basesFromEnv(env = process.env) {
  const raw = env.SANDBOX_FHIR_BASES;
  if (!raw) return DEFAULT_BASES;
  return raw.split(',').map((b) => b.trim()).filter(Boolean);
}

export const PATIENT_ID = '8f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e';
export const SECOND_PATIENT_ID = '1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516';
export const PRACTITIONER_ID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';

/** Test users of the auth server's login form. */
export const USERS = [
  { username: 'patient', password: 'password', name: 'Alice Sandbox', fhirUser: `Patient/${PATIENT_ID}`, patient: PATIENT_ID },
  { username: 'clinician', password: 'password', name: 'Dr. Carol Clinician', fhirUser: `Practitioner/${PRACTITIONER_ID}` },
];

/** SMART clients. Redirect URIs come from SANDBOX_REDIRECT_URIS (comma-separated). */
export const PUBLIC_CLIENT_ID = 'fhir-gateway';
export const CONFIDENTIAL_CLIENT_ID = 'fhir-gateway-confidential';
export const CONFIDENTIAL_CLIENT_SECRET = 'sandbox-confidential-secret-not-for-production';
/** Same secret as the confidential client, registered for client_secret_post (the other one uses client_secret_basic). */
export const CONFIDENTIAL_POST_CLIENT_ID = 'fhir-gateway-confidential-post';

export const DEFAULT_REDIRECT_URIS = [
  'http://localhost:5080/oauth/callback',
  'http://127.0.0.1:5080/oauth/callback',
];

export function redirectUrisFromEnv(env = process.env) {
  const raw = env.SANDBOX_REDIRECT_URIS;
  if (!raw) return DEFAULT_REDIRECT_URIS;
  return raw.split(',').map((u) => u.trim()).filter(Boolean);
}

/** Origin of the FHIR server as clients see it (no trailing slash). */
export function fhirOrigin(env = process.env) {
  return (env.SANDBOX_FHIR_URL ?? `http://127.0.0.1:${env.SANDBOX_FHIR_PORT ?? 4180}`).replace(/\/+$/, '');
}

/** Issuer of the auth server (no trailing slash). */
export function authIssuer(env = process.env) {
  return (env.SANDBOX_AUTH_URL ?? `http://127.0.0.1:${env.SANDBOX_AUTH_PORT ?? 4190}`).replace(/\/+$/, '');
}

/** Every FHIR base URL; each is a valid `aud` for an access token. */
export function fhirBaseUrls(env = process.env) {
  return basesFromEnv(env).map((b) => `${fhirOrigin(env)}/${b}/fhir`);
}
