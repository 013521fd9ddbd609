// The HTTP API: routes /{base}/fhir/... requests, checks tokens and scopes, and hands the FHIR work to
// Medplum's FhirRouter with the base's own repository.
import { allOk, getStatus, isOk, isResourceType } from '@medplum/core';
import { bearerToken, isAllowed, parseScopes } from './auth.mjs';
import { capabilityStatement, smartConfiguration } from './capability.mjs';
import { checkReadable, compartmentOf, mayRead, restrictQuery } from './compartment.mjs';
import { applyFhirPathPatch, isFhirPathPatch } from './fhirpath-patch.mjs';
import { HttpError, decodePathSegment, httpDate, operationOutcome, parseBody, readBody, send, sendJson } from './http.mjs';
import { completeHistoryBundle, completeSearchBundle, prepareSearch } from './search.mjs';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** SMART permission letter (c r u d s) each interaction needs. */
const PERMISSION = {
  read: 'r', vread: 'r', 'history-instance': 'r',
  'search-type': 's', 'history-type': 's', 'search-system': 's', 'history-system': 's',
  create: 'c', update: 'u', patch: 'u', delete: 'd',
  'conditional-update': 'u', 'conditional-patch': 'u', 'conditional-delete': 'd',
};

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'conditional-update', 'conditional-patch', 'conditional-delete', 'batch']);

/**
 * Adds the routes Medplum's FhirRouter lacks (type and system history) to a router.
 * Its repository must be a SandboxRepository.
 */
export function extendRouter(router) {
  const history = async (req, repo) => [allOk, await repo.readHistoryOf(req.params.resourceType)];
  router.add('GET', ':resourceType/_history', history, 'history-type');
  router.add('GET', '_history', history, 'history-system');
}

/**
 * Works out what a request is from its method and path segments below the base.
 * Returns { interaction, type?, id?, vid? } or throws an HttpError.
 */
export function classify(method, segments) {
  const [type, id, sub, vid] = segments;
  const n = segments.length;
  const operation = segments.find((s) => s.startsWith('$'));
  if (operation) throw new HttpError(404, 'not-supported', `Operation ${operation} is not supported`);
  const pick = (table) => {
    const interaction = table[method];
    if (!interaction) throw new HttpError(405, 'not-supported', `Method ${method} not allowed here`);
    return interaction;
  };
  if (n === 0) return { interaction: pick({ GET: 'search-system', POST: 'batch' }) };
  if (n === 1 && type === '_history') return { interaction: pick({ GET: 'history-system' }) };
  if (!isResourceType(type)) throw new HttpError(404, 'not-found', `Unknown resource type: ${type}`);
  if (n === 1) {
    return {
      type,
      interaction: pick({ GET: 'search-type', POST: 'create', PUT: 'conditional-update', PATCH: 'conditional-patch', DELETE: 'conditional-delete' }),
    };
  }
  if (n === 2 && id === '_search') return { type, interaction: pick({ GET: 'search-type', POST: 'search-type' }) };
  if (n === 2 && id === '_history') return { type, interaction: pick({ GET: 'history-type' }) };
  if (!ID.test(id)) throw new HttpError(400, 'invalid', `Invalid resource id: ${id}`);
  if (n === 2) return { type, id, interaction: pick({ GET: 'read', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }) };
  if (n === 3 && sub === '_history') return { type, id, interaction: pick({ GET: 'history-instance' }) };
  if (n === 4 && sub === '_history') return { type, id, vid, interaction: pick({ GET: 'vread' }) };
  throw new HttpError(404, 'not-found', 'Unknown FHIR path');
}

/**
 * Creates the request handler. `bases`: Map of name -> { name, url, repo }. `operations` (optional) handles
 * `$operation` paths once the token is checked: ({ req, res, base, segments, url, readJson, grants }).
 */
export function createApi({ bases, router, auth, open, operations }) {
  const locks = new Map();
  const capabilityCache = new Map();
  /** Writes to one base run one at a time (a transaction must not interleave with other writes). */
  const serialized = (base, fn) => {
    const run = (locks.get(base.name) ?? Promise.resolve()).then(fn, fn);
    locks.set(base.name, run.catch(() => {}));
    return run;
  };

  return async function handleFhir(req, res, base, rel, url) {
    const segments = rel ? rel.split('/').map(decodePathSegment) : [];

    if (req.method === 'GET' && rel === 'metadata') {
      const endpoints = await auth.endpoints();
      const cacheKey = JSON.stringify([base.url, endpoints]);
      if (capabilityCache.get(base.name)?.key !== cacheKey) {
        capabilityCache.set(base.name, { key: cacheKey, value: capabilityStatement({ baseUrl: base.url, base: base.name, endpoints, open }) });
      }
      return send(res, 200, capabilityCache.get(base.name).value);
    }
    if (req.method === 'GET' && rel === '.well-known/smart-configuration') {
      return sendJson(res, 200, smartConfiguration({ endpoints: await auth.endpoints() }));
    }

    const grants = open || base.open ? undefined : await authenticate(req, base, auth);
    if (operations && segments.some((s) => s.startsWith('$'))) {
      const readJson = async () => parseBody(await readBody(req), req.headers['content-type']);
      return operations({ req, res, base, segments, url, readJson, grants });
    }
    const op = classify(req.method, segments);
    const body = parseBody(await readBody(req), req.headers['content-type']);
    const ctx = { req, res, base, router, url, op, body, grants, open: open || base.open };

    authorize(grants, op, searchParamsOf(ctx));
    if (op.interaction === 'batch') authorizeBundle(grants, body, base);

    const handler = HANDLERS[op.interaction] ?? routeAndSend;
    return WRITES.has(op.interaction) ? serialized(base, () => handler(ctx)) : handler(ctx);
  };
}

async function authenticate(req, base, auth) {
  const token = bearerToken(req.headers.authorization);
  // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
  if (!token) throw new HttpError(401, 'login', 'Missing bearer token', { 'WWW-Authenticate': `Bearer realm="${base.url}"` });
  const challenge = { 'WWW-Authenticate': `Bearer realm="${base.url}", error="invalid_token"` };
  let claims;
  try {
    claims = await auth.verify(token, base.url);
  } catch (err) {
    // The reason is logged for debugging; the client only learns that the token was not accepted.
    const reason = [err?.code ?? err?.cause?.code ?? err?.name, err?.claim && `claim=${err.claim}`].filter(Boolean).join(' ');
    console.log(`sandbox-fhir: rejected access token (${reason})`);
    throw new HttpError(401, 'login', 'Invalid or expired access token', challenge);
  }
  // The grants carry who they are for: `patient` when only patient/ scopes limit reads to that compartment.
  const grants = parseScopes(claims.scope);
  return Object.assign(grants, { subject: claims.sub, patient: compartmentOf(claims, grants) });
}

function forbidden(message) {
  return new HttpError(403, 'forbidden', message, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' });
}

function authorize(grants, op, searchParams) {
  if (!grants || op.interaction === 'batch') return;
  const perm = PERMISSION[op.interaction];
  const type = op.type ?? '*';
  if (!isAllowed(grants, type, perm, searchParams)) {
    throw forbidden(`Insufficient scope for ${op.interaction} on ${type}`);
  }
}

/** Every entry of a batch/transaction needs the scope its own interaction needs. */
function authorizeBundle(grants, bundle, base) {
  if (!Array.isArray(bundle?.entry)) return;
  for (const entry of bundle.entry) {
    const request = entry?.request;
    if (!request?.url || !request?.method) continue; // Medplum reports these per entry
    request.url = relativeUrl(request.url, base.url);
    const [path, query] = request.url.split('?');
    let op;
    try {
      op = classify(request.method, path.split('/').filter(Boolean));
    } catch {
      continue; // invalid entry: Medplum answers it with its own error
    }
    if (op.interaction === 'batch') throw new HttpError(400, 'not-supported', 'Nested batch is not supported');
    if (grants) authorize(grants, op, new URLSearchParams(query ?? ''));
  }
}

function relativeUrl(url, baseUrl) {
  return url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length + 1) : url;
}

/** Search parameters of a search request: the URL's, plus a form body for POST _search. */
function searchParamsOf({ url, body, op }) {
  const params = new URLSearchParams(url.searchParams);
  if (op.interaction === 'search-type' && body instanceof URLSearchParams) {
    for (const [k, v] of body) params.append(k, v);
  }
  return params;
}

async function callRouter({ base, router }, { method, url, query = {}, body, headers = {} }) {
  const request = { method, url, pathname: '', params: {}, query, body, headers, config: { transactions: true } };
  const [outcome, resource] = await router.handleRequest(request, base.repo);
  return { status: getStatus(outcome), outcome, resource };
}

function resourceHeaders(base, resource, { location = false, status } = {}) {
  const headers = {};
  if (resource?.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource?.meta?.lastUpdated) headers['Last-Modified'] = httpDate(resource.meta.lastUpdated);
  if (location && resource?.id && status === 201) {
    headers.Location = `${base.url}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
  }
  return headers;
}

/** Sends a router result: the resource with its headers, or the OperationOutcome on error. */
function sendResult(ctx, { status, outcome, resource }, { location = false } = {}) {
  const { res, req, base } = ctx;
  if (!isOk(outcome)) return send(res, status, outcome);
  const headers = resourceHeaders(base, resource, { location, status });
  const prefer = String(req.headers.prefer ?? '');
  if (req.method !== 'GET' && /return=minimal/.test(prefer)) return send(res, status, undefined, headers);
  if (req.method !== 'GET' && /return=OperationOutcome/.test(prefer)) return send(res, status, outcome, headers);
  return send(res, status, resource ?? outcome, headers);
}

function requireResourceBody(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body) || body instanceof URLSearchParams || !body.resourceType) {
    throw new HttpError(400, 'invalid', 'Request body must be a FHIR resource (JSON)');
  }
}

/** If-Match on PATCH and DELETE (Medplum honours it only on PUT). */
async function checkIfMatch({ req, base, op }) {
  const expected = parseEtag(req.headers['if-match']);
  if (!expected) return;
  const current = await base.repo.readResource(op.type, op.id).catch(() => undefined);
  if (!current) throw new HttpError(404, 'not-found', 'Not found');
  if (current.meta?.versionId !== expected) throw new HttpError(412, 'conflict', 'Precondition failed: version mismatch');
}

/** The version id of an ETag such as W/"3", "3" or 3. */
function parseEtag(value) {
  if (!value) return undefined;
  const m = /^(?:W\/)?"?([^"]*)"?$/.exec(String(value).trim());
  return m?.[1] || undefined;
}

async function routeAndSend(ctx) {
  const { req, op, url, body } = ctx;
  const path = [op.type, op.id, op.id && (op.vid || op.interaction === 'history-instance') ? '_history' : undefined, op.vid]
    .filter(Boolean)
    .join('/');
  return sendResult(ctx, await callRouter(ctx, { method: req.method, url: path + url.search, body, headers: req.headers }));
}

const HANDLERS = {
  'search-system': () => {
    throw new HttpError(400, 'not-supported', 'System-level search is not supported; search one resource type');
  },

  async 'search-type'(ctx) {
    const { req, res, base, op, grants } = ctx;
    const strict = /handling=strict/.test(String(req.headers.prefer ?? ''));
    const search = prepareSearch(op.type, searchParamsOf(ctx), { baseUrl: base.url, strict });
    const patient = grants?.patient;
    const query = restrictQuery(op.type, search.query, patient);
    const result = await callRouter(ctx, { method: 'GET', url: op.type, query });
    if (!isOk(result.outcome)) return send(res, result.status, result.outcome);
    const canInclude = (type) => !grants || isAllowed(grants, type, 'r') || isAllowed(grants, type, 's');
    const bundle = await completeSearchBundle(result.resource, search, { type: op.type, baseUrl: base.url, repo: base.repo, canInclude });
    if (patient && bundle.entry) bundle.entry = bundle.entry.filter((e) => mayRead(e.resource, patient));
    return send(res, 200, bundle);
  },

  async read(ctx) {
    const { req, res, base, op } = ctx;
    const result = await callRouter(ctx, { method: 'GET', url: `${op.type}/${op.id}` });
    if (isOk(result.outcome)) checkReadable(result.resource, ctx.grants?.patient);
    const etag = parseEtag(req.headers['if-none-match']);
    if (isOk(result.outcome) && etag && etag === result.resource.meta?.versionId) {
      return send(res, 304, undefined, resourceHeaders(base, result.resource));
    }
    return sendResult(ctx, result);
  },

  async vread(ctx) {
    const { op } = ctx;
    const result = await callRouter(ctx, { method: 'GET', url: `${op.type}/${op.id}/_history/${op.vid}` });
    if (isOk(result.outcome)) checkReadable(result.resource, ctx.grants?.patient);
    return sendResult(ctx, result);
  },

  async 'history-instance'(ctx) {
    return sendHistory(ctx, `${ctx.op.type}/${ctx.op.id}/_history`);
  },
  async 'history-type'(ctx) {
    return sendHistory(ctx, `${ctx.op.type}/_history`);
  },
  async 'history-system'(ctx) {
    return sendHistory(ctx, '_history');
  },

  async create(ctx) {
    const { req, op, body } = ctx;
    requireResourceBody(body);
    // The server assigns id and version on create; a client-sent id must not overwrite another resource.
    const { id: _ignoredId, ...resource } = body;
    if (resource.meta) {
      const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta;
      if (Object.keys(meta).length) resource.meta = meta;
      else delete resource.meta;
    }
    const headers = req.headers['if-none-exist'] ? { 'if-none-exist': req.headers['if-none-exist'] } : {};
    return sendResult(ctx, await callRouter(ctx, { method: 'POST', url: op.type, body: resource, headers }), { location: true });
  },

  async update(ctx) {
    const { req, base, op, body } = ctx;
    requireResourceBody(body);
    const existed = base.repo.exists(op.type, op.id);
    if (existed) await checkCurrentReadable(ctx);
    const ifMatch = parseEtag(req.headers['if-match']);
    const headers = ifMatch ? { 'if-match': `"${ifMatch}"` } : {};
    const result = await callRouter(ctx, { method: 'PUT', url: `${op.type}/${op.id}`, body, headers });
    if (isOk(result.outcome) && !existed) result.status = 201; // update as create
    return sendResult(ctx, result, { location: result.status === 201 });
  },

  async patch(ctx) {
    const { op, body } = ctx;
    if (isFhirPathPatch(body)) return fhirPathPatch(ctx);
    if (!Array.isArray(body)) {
      throw new HttpError(400, 'invalid', 'PATCH body must be a JSON Patch array (application/json-patch+json) or a FHIRPath Patch Parameters (application/fhir+json)');
    }
    await checkIfMatch(ctx);
    await checkCurrentReadable(ctx);
    return sendResult(ctx, await callRouter(ctx, { method: 'PATCH', url: `${op.type}/${op.id}`, body }));
  },

  async delete(ctx) {
    const { res, op } = ctx;
    await checkIfMatch(ctx);
    await checkCurrentReadable(ctx);
    const result = await callRouter(ctx, { method: 'DELETE', url: `${op.type}/${op.id}` });
    if (!isOk(result.outcome)) return send(res, result.status, result.outcome);
    return send(res, 200, operationOutcome('informational', `Deleted ${op.type}/${op.id}`, 'information'));
  },

  async batch(ctx) {
    const { res, base, body } = ctx;
    if (body?.resourceType !== 'Bundle') throw new HttpError(400, 'invalid', 'POST to the base requires a batch or transaction Bundle');
    const result = await callRouter(ctx, { method: 'POST', url: '', body });
    if (!isOk(result.outcome)) return send(res, result.status, result.outcome);
    return send(res, 200, limitBatchResponse(completeBatchResponse(result.resource, body, base), body, ctx.grants?.patient));
  },
};

/** FHIRPath Patch (Parameters body): read, patch a copy, save it as an update of the version read. */
async function fhirPathPatch(ctx) {
  const { req, res, op, body } = ctx;
  if (!/^application\/fhir\+json\b/i.test(String(req.headers['content-type'] ?? ''))) {
    throw new HttpError(415, 'not-supported', 'FHIRPath Patch must be sent as application/fhir+json');
  }
  await checkIfMatch(ctx);
  const current = await callRouter(ctx, { method: 'GET', url: `${op.type}/${op.id}` });
  if (!isOk(current.outcome)) return send(res, current.status, current.outcome);
  checkReadable(current.resource, ctx.grants?.patient);
  const patched = applyFhirPathPatch(current.resource, body);
  const headers = { 'if-match': `"${current.resource.meta.versionId}"` };
  return sendResult(ctx, await callRouter(ctx, { method: 'PUT', url: `${op.type}/${op.id}`, body: patched, headers }));
}

/** 403 when a patient-limited token would change a resource outside its compartment. */
async function checkCurrentReadable({ base, op, grants }) {
  if (!grants?.patient) return;
  const current = await base.repo.readResource(op.type, op.id).catch(() => undefined);
  if (current) checkReadable(current, grants.patient);
}

/** Batch/transaction answers for a patient-limited token: its reads and searches see nothing outside its compartment. */
function limitBatchResponse(bundle, request, patient) {
  if (!patient) return bundle;
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    if (request.entry?.[i]?.request?.method !== 'GET') continue;
    const resource = entry.resource;
    if (resource?.resourceType === 'Bundle' && resource.entry) {
      resource.entry = resource.entry.filter((e) => !e.resource || mayRead(e.resource, patient));
    } else if (resource && !mayRead(resource, patient)) {
      delete entry.resource;
      entry.response = { status: '403 Forbidden', outcome: operationOutcome('forbidden', 'Outside the patient compartment of this token') };
    }
  }
  return bundle;
}

async function sendHistory(ctx, path) {
  const { res, base, url, op, grants } = ctx;
  const result = await callRouter(ctx, { method: 'GET', url: path });
  if (!isOk(result.outcome)) return send(res, result.status, result.outcome);
  const patient = grants?.patient;
  if (patient && op.interaction === 'history-instance') {
    for (const entry of result.resource.entry ?? []) if (entry.resource) checkReadable(entry.resource, patient);
  } else if (patient) {
    // A deleted version has no resource to place in a compartment: a patient-limited token does not see it.
    result.resource.entry = (result.resource.entry ?? []).filter((e) => e.resource && mayRead(e.resource, patient));
  }
  return send(res, 200, completeHistoryBundle(result.resource, url.searchParams, { baseUrl: base.url, path }));
}

/** Adds fullUrl, ETag, Last-Modified and a versioned location to batch/transaction response entries. */
function completeBatchResponse(bundle, request, base) {
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    const resource = entry.resource;
    const method = request.entry?.[i]?.request?.method;
    const response = entry.response ?? {};
    if (response.outcome && isOk(response.outcome)) delete response.outcome;
    if (resource?.id && resource.meta?.versionId && resource.resourceType !== 'Bundle') {
      entry.fullUrl = `${base.url}/${resource.resourceType}/${resource.id}`;
      response.etag = `W/"${resource.meta.versionId}"`;
      response.lastModified = resource.meta.lastUpdated;
      response.location = `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
    if (method === 'GET' || !isOk(response.outcome ?? allOk)) delete response.location;
    response.status = statusLine(response.status);
  }
  return bundle;
}

const REASONS = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 412: 'Precondition Failed', 500: 'Internal Server Error' };
function statusLine(status) {
  const code = parseInt(status, 10);
  return REASONS[code] && String(status) === String(code) ? `${code} ${REASONS[code]}` : status;
}
