// FHIR operations of the sandbox: Patient/$everything, $validate and bulk $export (bulk-export.mjs). api.mjs hands
// every `$` path here once the token is checked; what is not one of these goes on to `fallback` (the payer's).
import { OperationOutcomeError, isResourceType, validateResource } from '@medplum/core';
import { isAllowed } from './auth.mjs';
import { createBulkExport } from './bulk-export.mjs';
import { compartmentTypes, inCompartment } from './compartment.mjs';
import { HttpError, operationOutcome, send } from './http.mjs';
import { allOf, forbidden, instant, readOrThrow, typeList } from './operation-support.mjs';
import { MAX_COUNT } from './search.mjs';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The operations handler for createApi: ({ req, res, base, segments, url, readJson, grants }). */
export function createOperations({ env = process.env, fallback }) {
  const bulk = createBulkExport({ env });
  return async function handleOperation(ctx) {
    const { req, segments } = ctx;
    const [first, second, third] = segments;
    const n = segments.length;
    if (first === '$export' || second === '$export' || third === '$export') return bulk.kickOff(ctx);
    if (first === '$export-status' && n === 2) return bulk.status(ctx, second);
    if (first === '$export-file' && n === 3) return bulk.file(ctx, second, third);
    if (first === 'Patient' && third === '$everything' && n === 3) {
      allow(req, ['GET', 'POST'], '$everything');
      return everything(ctx, checkId(second));
    }
    if (isResourceType(first) && (second === '$validate' || (third === '$validate' && n === 3))) {
      allow(req, ['POST'], '$validate');
      return validate(ctx, first, second === '$validate' ? undefined : checkId(second));
    }
    if (!fallback) throw new HttpError(404, 'not-supported', `Operation ${segments.find((s) => s.startsWith('$'))} is not supported`);
    return fallback(ctx);
  };
}

/**
 * Patient/{id}/$everything (R4 patient-operation-everything): the Patient and every resource in its compartment,
 * as a searchset paged like a search (`_count`, default and max 1000; `_offset`), filtered by `_type` and `_since`.
 */
async function everything({ res, base, url, grants }, id) {
  if (grants && !isAllowed(grants, 'Patient', 'r')) throw forbidden('Insufficient scope for $everything: needs read on Patient');
  if (grants?.patient && grants.patient !== id) throw forbidden(`Patient/${id} is outside the patient compartment of this token`);
  await readOrThrow(base.repo, 'Patient', id);
  const params = url.searchParams;
  const types = typeList(params.get('_type')) ?? compartmentTypes();
  const since = params.has('_since') ? instant(params.get('_since'), '_since') : undefined;
  const count = params.has('_count') ? Math.min(nonNegativeInt(params.get('_count'), '_count'), MAX_COUNT) : MAX_COUNT;
  const offset = params.has('_offset') ? nonNegativeInt(params.get('_offset'), '_offset') : 0;

  const readable = (type) => !grants || isAllowed(grants, type, 'r') || isAllowed(grants, type, 's');
  const found = [];
  for (const type of types.filter(readable).sort((a, b) => (a === 'Patient' ? -1 : b === 'Patient' ? 1 : a.localeCompare(b)))) {
    for (const resource of await allOf(base.repo, type)) {
      if (since && resource.meta?.lastUpdated < since) continue;
      if (inCompartment(resource, id)) found.push(resource);
    }
  }

  const kept = [...params].filter(([k]) => k === '_type' || k === '_since');
  const page = (off) => {
    const qs = new URLSearchParams(kept);
    qs.set('_count', String(count));
    qs.set('_offset', String(off));
    return `${base.url}/Patient/${id}/$everything?${qs}`;
  };
  const total = found.length;
  const link = [{ relation: 'self', url: page(offset) }];
  if (count > 0) {
    link.push({ relation: 'first', url: page(0) });
    if (offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
    if (offset + count < total) link.push({ relation: 'next', url: page(offset + count) });
    link.push({ relation: 'last', url: page(total > 0 ? Math.floor((total - 1) / count) * count : 0) });
  }
  const entry = found.slice(offset, offset + count).map((resource) => ({
    fullUrl: `${base.url}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total, link, ...(entry.length ? { entry } : {}) });
}

/**
 * {type}/$validate and {type}/{id}/$validate (R4 resource-operation-validate): the resource as the body, or in a
 * Parameters `resource` part. 200 with an OperationOutcome either way: the issues found against the R4
 * StructureDefinitions, or one information issue "All OK". A body that is no resource of the type is a 400.
 */
async function validate({ res, readJson, grants }, type, id) {
  if (grants && !['c', 'u', 'r'].some((perm) => isAllowed(grants, type, perm))) {
    throw forbidden(`Insufficient scope for $validate on ${type}`);
  }
  const body = await readJson();
  const resource = body?.resourceType === 'Parameters' && type !== 'Parameters'
    ? body.parameter?.find((p) => p?.name === 'resource')?.resource
    : body;
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    throw new HttpError(400, 'invalid', '$validate needs a resource, as the body or as the Parameters "resource" part');
  }
  if (resource.resourceType !== type) throw new HttpError(400, 'invalid', `$validate on ${type} got a ${resource.resourceType}`);
  const issues = [];
  if (id && resource.id !== id) {
    issues.push({ severity: 'error', code: 'invalid', details: { text: `Resource id must be ${id}` }, expression: [`${type}.id`] });
  }
  try {
    validateResource(resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw new HttpError(400, 'invalid', 'The resource could not be validated');
    issues.push(...(err.outcome.issue ?? []));
  }
  return send(res, 200, issues.length ? { resourceType: 'OperationOutcome', issue: issues } : operationOutcome('informational', 'All OK', 'information'));
}

function allow(req, methods, name) {
  if (!methods.includes(req.method)) throw new HttpError(405, 'not-supported', `Use ${methods.join(' or ')} for ${name}`);
}

function checkId(id) {
  if (!ID.test(id ?? '')) throw new HttpError(400, 'invalid', `Invalid resource id: ${id}`);
  return id;
}

function nonNegativeInt(value, name) {
  if (!/^\d+$/.test(value)) throw new HttpError(400, 'invalid', `${name} must be a non-negative integer`);
  return parseInt(value, 10);
}
