// Discovery documents: the CapabilityStatement (/metadata) and SMART configuration (.well-known).
import { getResourceTypes, getSearchParameters } from '@medplum/core';

/** Search parameter types that Medplum's in-memory matcher can evaluate. */
export const SUPPORTED_SEARCH_TYPES = new Set(['token', 'string', 'uri', 'reference', 'date']);

/** Medplum-only search parameters that this server does not offer. */
export const HIDDEN_SEARCH_PARAMETERS = new Set(['_compartment']);

const SOFTWARE_VERSION = '1.0.0';

/** All R4 resource types the server stores (everything in the loaded definitions). */
export function resourceTypes() {
  return getResourceTypes()
    .filter((t) => t !== 'Resource' && t !== 'DomainResource')
    .sort();
}

/** Search parameters of a type that this server supports, by code. */
export function supportedSearchParameters(type) {
  return Object.entries(getSearchParameters(type) ?? {}).filter(
    ([code, sp]) => SUPPORTED_SEARCH_TYPES.has(sp.type) && !HIDDEN_SEARCH_PARAMETERS.has(code)
  );
}

export function capabilityStatement({ baseUrl, base, endpoints, open }) {
  const typeInteractions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-01-01',
    publisher: 'FHIR Gateway sandbox',
    kind: 'instance',
    software: { name: 'FHIR Gateway sandbox FHIR server (Medplum FHIR engine)', version: SOFTWARE_VERSION },
    implementation: { description: `Sandbox FHIR R4 base "${base}"${open ? ' (open: no token required)' : ''}`, url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: endpoints.authorization_endpoint },
                { url: 'token', valueUri: endpoints.token_endpoint },
                { url: 'revoke', valueUri: endpoints.revocation_endpoint },
                ...(endpoints.introspection_endpoint ? [{ url: 'introspect', valueUri: endpoints.introspection_endpoint }] : []),
              ],
            },
          ],
        },
        resource: resourceTypes().map((type) => ({
          type,
          interaction: typeInteractions.map((code) => ({ code })),
          versioning: 'versioned',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          conditionalDelete: 'single',
          searchInclude: [`${type}:*`],
          searchParam: supportedSearchParameters(type).map(([name, sp]) => ({ name, type: sp.type })),
        })),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        operation: [
          { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
          { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
          { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
        ],
      },
    ],
  };
}

export function smartConfiguration({ endpoints }) {
  const scopes = new Set([
    'openid', 'fhirUser', 'profile', 'launch/patient', 'offline_access', 'online_access',
    'patient/*.read', 'patient/*.write', 'patient/*.*', 'user/*.read', 'user/*.write', 'user/*.*', 'system/*.read',
    'patient/*.rs', 'patient/*.cruds', 'user/*.rs', 'user/*.cruds', 'system/*.rs',
    ...(endpoints.scopes_supported ?? []),
  ]);
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks_uri,
    authorization_endpoint: endpoints.authorization_endpoint,
    token_endpoint: endpoints.token_endpoint,
    revocation_endpoint: endpoints.revocation_endpoint,
    ...(endpoints.introspection_endpoint ? { introspection_endpoint: endpoints.introspection_endpoint } : {}),
    ...(endpoints.userinfo_endpoint ? { userinfo_endpoint: endpoints.userinfo_endpoint } : {}),
    token_endpoint_auth_methods_supported: endpoints.token_endpoint_auth_methods_supported ?? ['client_secret_basic', 'client_secret_post', 'none'],
    grant_types_supported: endpoints.grant_types_supported ?? ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...scopes],
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'context-standalone-patient',
      'sso-openid-connect',
      'permission-offline',
      'permission-online',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
    ],
  };
}
