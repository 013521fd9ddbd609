// What the sandbox's operations share: reading resources from a base, and common parameters and errors.
import { OperationOutcomeError, getStatus, isResourceType, parseSearchRequest } from '@medplum/core';
import { HttpError } from './http.mjs';

/** Every current resource of a type in the base. */
export async function allOf(repo, type) {
  return repo.searchResources(parseSearchRequest(type, { _count: '1000000' }));
}

/** Reads a resource; the repository's 404/410 become HttpErrors. */
export async function readOrThrow(repo, type, id) {
  try {
    return await repo.readResource(type, id);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      const status = getStatus(err.outcome);
      throw new HttpError(status, status === 410 ? 'deleted' : 'not-found', `${type}/${id} ${status === 410 ? 'was deleted' : 'not found'}`);
    }
    throw err;
  }
}

/** `_type=A,B` as a list of resource types (400 on an unknown one), or undefined when absent. */
export function typeList(value) {
  if (value === null || value === undefined) return undefined;
  const types = [...new Set(value.split(',').map((t) => t.trim()).filter(Boolean))];
  const unknown = types.find((t) => !isResourceType(t));
  if (unknown) throw new HttpError(400, 'invalid', `Unknown resource type in _type: ${unknown}`);
  return types;
}

/** A FHIR instant / dateTime parameter as an ISO string comparable with meta.lastUpdated. */
export function instant(value, name) {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) throw new HttpError(400, 'invalid', `${name} must be a FHIR instant`);
  return date.toISOString();
}

export function forbidden(message) {
  return new HttpError(403, 'forbidden', message, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' });
}
