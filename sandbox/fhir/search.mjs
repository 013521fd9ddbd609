// Search support around Medplum's in-memory search: parameter checks, paging links, _include/_revinclude.
//
// Medplum's MemoryRepository evaluates the filters, _sort, _count and _offset. It does not produce
// Bundle links, ignores _include/_revinclude, only matches reference parameters written exactly as the
// stored reference ("Patient/123"), and silently matches nothing for parameters it cannot evaluate.
// This module fills those gaps so clients see ordinary FHIR search behaviour.
import { evalFhirPath, getSearchParameters, isResourceType, parseSearchRequest } from '@medplum/core';
import { HIDDEN_SEARCH_PARAMETERS, SUPPORTED_SEARCH_TYPES } from './capability.mjs';
import { HttpError } from './http.mjs';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;

/** Parameters that change nothing here but are fine to send. */
const IGNORED = new Set(['_total', '_elements', '_format', '_pretty', '_']);
function searchParameter(type, code) {
  if (HIDDEN_SEARCH_PARAMETERS.has(code)) return undefined;
  return getSearchParameters(type)?.[code];
}

function nonNegativeInt(name, value) {
  if (!/^\d+$/.test(value)) throw new HttpError(400, 'invalid', `${name} must be a non-negative integer`);
  return parseInt(value, 10);
}

/**
 * Checks and normalises search parameters for `type`.
 * Returns { query, count, offset, includes, revIncludes, kept } where
 *   query: the parameters for Medplum (names -> values), with _count/_offset set;
 *   kept: the client's parameters that were honoured (for the self/next links), minus _count/_offset.
 * Unknown parameters are ignored (FHIR's lenient default) unless `strict` (Prefer: handling=strict).
 */
export function prepareSearch(type, params, { baseUrl, strict }) {
  const query = {};
  const kept = [];
  const includes = [];
  const revIncludes = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  const add = (name, value) => (query[name] ??= []).push(value);
  const unknown = (text) => {
    if (strict) throw new HttpError(400, 'not-supported', text);
  };

  for (const [key, value] of params) {
    const colon = key.indexOf(':');
    const code = colon >= 0 ? key.slice(0, colon) : key;
    const modifier = colon >= 0 ? key.slice(colon + 1) : '';
    switch (code) {
      case '_count':
        count = Math.min(nonNegativeInt('_count', value), MAX_COUNT);
        continue;
      case '_offset':
        offset = nonNegativeInt('_offset', value);
        continue;
      case '_summary':
        if (value === 'count') count = 0;
        kept.push([key, value]);
        continue;
      case '_sort':
        for (const field of value.split(',')) {
          if (!searchParameter(type, field.replace(/^-/, ''))) {
            throw new HttpError(400, 'invalid', `Unknown sort parameter for ${type}: ${field}`);
          }
        }
        add(key, value);
        kept.push([key, value]);
        continue;
      case '_include':
      case '_revinclude': {
        if (modifier) throw new HttpError(400, 'not-supported', `${key} is not supported (only one level of ${code})`);
        const [sourceType, param, targetType] = value.split(':');
        const sp = isResourceType(sourceType) && searchParameter(sourceType, param);
        if (!sp || sp.type !== 'reference' || (targetType && !isResourceType(targetType))) {
          throw new HttpError(400, 'invalid', `Invalid ${code} value: ${value}`);
        }
        if (code === '_include' && sourceType !== type) {
          throw new HttpError(400, 'invalid', `_include source type must be ${type}: ${value}`);
        }
        (code === '_include' ? includes : revIncludes).push({ sourceType, param, targetType, expression: sp.expression });
        kept.push([key, value]);
        continue;
      }
    }
    if (IGNORED.has(code)) continue;
    if (code === '_has' || code.includes('.')) {
      throw new HttpError(400, 'not-supported', `Chained and reverse-chained search (${key}) is not supported`);
    }
    const sp = searchParameter(type, code);
    if (!sp) {
      unknown(`Unknown search parameter for ${type}: ${code}`);
      continue;
    }
    if (!SUPPORTED_SEARCH_TYPES.has(sp.type)) {
      throw new HttpError(400, 'not-supported', `Search parameter ${code} (type ${sp.type}) is not supported by this server`);
    }
    if (sp.type === 'reference') {
      // `subject:Patient=123` is `subject=Patient/123`.
      const typeModifier = isResourceType(modifier) ? modifier : undefined;
      add(typeModifier ? code : key, normalizeReferenceValue(value, sp, typeModifier, baseUrl));
    } else {
      add(key, value);
    }
    kept.push([key, value]);
  }
  query._count = [String(count)];
  query._offset = [String(offset)];
  return { query, count, offset, includes, revIncludes, kept };
}

/**
 * Medplum matches reference parameters against the stored reference string ("Patient/123").
 * Clients also send a bare id ("123") or an absolute URL on this base; rewrite those.
 */
function normalizeReferenceValue(value, sp, typeModifier, baseUrl) {
  return value
    .split(',')
    .map((part) => {
      if (part.startsWith(`${baseUrl}/`)) return part.slice(baseUrl.length + 1);
      if (part.includes('/') || part.includes(':') || part === '') return part;
      const targets = typeModifier ? [typeModifier] : (sp.target ?? []);
      return targets.length ? targets.map((t) => `${t}/${part}`).join(',') : part;
    })
    .join(',');
}

/** Adds fullUrl and search.mode to matches, the paging links and the _include/_revinclude resources. */
export async function completeSearchBundle(bundle, search, { type, baseUrl, repo, canInclude }) {
  const { count, offset, kept } = search;
  const matches = (bundle.entry ?? []).map((e) => e.resource);
  const entry = matches.map((resource) => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));

  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
  for (const resource of await findIncluded(matches, search, repo)) {
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key) || !canInclude(resource.resourceType)) continue;
    seen.add(key);
    entry.push({ fullUrl: `${baseUrl}/${key}`, resource, search: { mode: 'include' } });
  }

  const total = bundle.total ?? matches.length;
  const page = (off) => {
    const qs = new URLSearchParams(kept);
    qs.set('_count', String(count));
    qs.set('_offset', String(off));
    return `${baseUrl}/${type}?${qs}`;
  };
  const link = [{ relation: 'self', url: page(offset) }];
  if (count > 0) {
    link.push({ relation: 'first', url: page(0) });
    if (offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
    if (offset + count < total) link.push({ relation: 'next', url: page(offset + count) });
    link.push({ relation: 'last', url: page(total > 0 ? Math.floor((total - 1) / count) * count : 0) });
  }
  return { resourceType: 'Bundle', type: 'searchset', total, link, ...(entry.length ? { entry } : {}) };
}

async function findIncluded(matches, { includes, revIncludes }, repo) {
  const found = [];
  for (const inc of includes) {
    for (const resource of matches) {
      for (const value of evalFhirPath(inc.expression, resource)) {
        const reference = value?.reference;
        if (typeof reference !== 'string' || reference.split('/').length !== 2) continue;
        if (inc.targetType && !reference.startsWith(`${inc.targetType}/`)) continue;
        try {
          found.push(await repo.readReference({ reference }));
        } catch {
          // Dangling or deleted reference: nothing to include.
        }
      }
    }
  }
  for (const rev of revIncludes) {
    const refs = matches
      .filter((r) => !rev.targetType || r.resourceType === rev.targetType)
      .map((r) => `${r.resourceType}/${r.id}`);
    if (refs.length === 0) continue;
    const request = parseSearchRequest(rev.sourceType, { [rev.param]: refs.join(','), _count: String(MAX_COUNT) });
    found.push(...(await repo.searchResources(request)));
  }
  return found;
}

/** Applies _count/_offset to a history bundle (all entries when _count is absent) and adds fullUrl and links. */
export function completeHistoryBundle(bundle, params, { baseUrl, path }) {
  // Deleted versions have no resource; their request.url is "Type/id".
  const all = (bundle.entry ?? []).map((e) => ({
    fullUrl: `${baseUrl}/${e.resource ? `${e.resource.resourceType}/${e.resource.id}` : e.request.url}`,
    ...e,
  }));
  const total = all.length;
  const count = params.has('_count') ? Math.min(nonNegativeInt('_count', params.get('_count')), MAX_COUNT) : total;
  const offset = params.has('_offset') ? nonNegativeInt('_offset', params.get('_offset')) : 0;
  const page = (off) => `${baseUrl}/${path}?_count=${count}&_offset=${off}`;
  const link = [{ relation: 'self', url: params.has('_count') || offset ? page(offset) : `${baseUrl}/${path}` }];
  if (count > 0 && offset + count < total) link.push({ relation: 'next', url: page(offset + count) });
  if (count > 0 && offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
  const entry = all.slice(offset, offset + count);
  return { resourceType: 'Bundle', type: 'history', total, link, ...(entry.length ? { entry } : {}) };
}
