// FHIRPath Patch (FHIR R4 fhirpatch.html) for a subset of paths: the resource type followed by dotted element
// names, each optionally with an index, e.g. `Observation.status`, `Patient.name[0].given`,
// `Observation.valueQuantity.value`, `Observation.value` (a choice element). Operations: add, insert, delete,
// replace, move. Values are `value[x]` parts; the anonymous-type form (a value with nested parts), functions
// (`where()`, `first()`...) and other FHIRPath expressions answer 400. The patched resource is validated on save.
import { deepClone, tryGetDataType } from '@medplum/core';
import { HttpError } from './http.mjs';

const SEGMENT = /^([A-Za-z][A-Za-z0-9]*)(?:\[(\d+)\])?$/;

/** True for a FHIRPath Patch body: a Parameters resource. */
export function isFhirPathPatch(body) {
  return body?.resourceType === 'Parameters';
}

/** Applies a FHIRPath Patch Parameters to a copy of `resource` and returns the copy; 400 on anything unsupported. */
export function applyFhirPathPatch(resource, parameters) {
  const operations = (parameters.parameter ?? []).filter((p) => p?.name === 'operation');
  if (operations.length === 0 || operations.length !== (parameters.parameter ?? []).length) {
    throw invalid('A FHIRPath Patch is a Parameters resource whose parameters are all named "operation"');
  }
  const patched = deepClone(resource);
  for (const operation of operations) apply(patched, readOperation(operation));
  if (patched.id !== resource.id || patched.resourceType !== resource.resourceType) {
    throw invalid('FHIRPath Patch must not change id or resourceType');
  }
  return patched;
}

function readOperation(operation) {
  const parts = new Map();
  for (const part of operation.part ?? []) {
    if (parts.has(part?.name)) throw invalid(`Operation part "${part?.name}" is repeated`);
    parts.set(part?.name, part);
  }
  const text = (name) => {
    const part = parts.get(name);
    if (!part) return undefined;
    const value = part.valueCode ?? part.valueString ?? part.valueInteger;
    if (value === undefined) throw invalid(`Operation part "${name}" has no value`);
    return value;
  };
  const op = { type: text('type'), path: text('path'), name: text('name'), index: text('index'), source: text('source'), destination: text('destination') };
  const valuePart = parts.get('value');
  if (valuePart) {
    if (valuePart.part) throw invalid('FHIRPath Patch values given as parts are not supported; use value[x]');
    const key = Object.keys(valuePart).find((k) => k.startsWith('value') && k.length > 5);
    if (!key) throw invalid('Operation part "value" has no value[x]');
    op.value = valuePart[key];
    op.valueType = key.slice(5);
  }
  if (!op.type || typeof op.path !== 'string') throw invalid('Each operation needs "type" and "path"');
  return op;
}

function apply(resource, op) {
  const target = resolve(resource, op.path);
  switch (op.type) {
    case 'add': {
      need(op, 'name', 'value');
      const holder = single(target, op.path);
      const { key, element } = elementFor(holder.type, op.name, op.valueType, op.path);
      if (element.isArray) {
        holder.value[key] = [...(holder.value[key] ?? []), op.value];
      } else if (currentKey(holder.value, op.name, element) !== undefined) {
        throw invalid(`${op.path}.${op.name} already has a value; use replace`);
      } else {
        holder.value[key] = op.value;
      }
      return;
    }
    case 'insert': {
      need(op, 'index', 'value');
      const list = listAt(target, op.path);
      if (!Number.isInteger(op.index) || op.index < 0 || op.index > list.length) throw invalid(`insert index ${op.index} is out of range`);
      list.splice(op.index, 0, op.value);
      return;
    }
    case 'move': {
      need(op, 'source', 'destination');
      const list = listAt(target, op.path);
      const { source, destination } = op;
      if (![source, destination].every((i) => Number.isInteger(i) && i >= 0 && i < list.length)) throw invalid('move source or destination is out of range');
      list.splice(destination, 0, ...list.splice(source, 1));
      return;
    }
    case 'replace': {
      need(op, 'value');
      const at = single(target, op.path);
      if (at.value === undefined) throw invalid(`${op.path} has no value to replace`);
      at.set(op.value, op.valueType);
      return;
    }
    case 'delete':
      // Deleting what is not there is not an error (fhirpatch.html, delete).
      for (const at of [...target].reverse()) at.remove();
      return;
    default:
      throw invalid(`FHIRPath Patch operation type "${op.type}" is not supported`);
  }
}

/**
 * Resolves a path to the places it names: [{ value, type, set(value, valueType), remove() }]. An unindexed list
 * names each of its items; an element without a value names nothing.
 */
function resolve(resource, path) {
  const [root, ...segments] = path.split('.');
  if (root !== resource.resourceType) throw invalid(`Path must start with ${resource.resourceType}: ${path}`);
  let places = [{ value: resource, type: resource.resourceType, set: () => { throw invalid('Cannot replace the whole resource'); }, remove: () => { throw invalid('Cannot delete the whole resource'); } }];
  for (const segment of segments) {
    const m = SEGMENT.exec(segment);
    if (!m) throw invalid(`Unsupported FHIRPath Patch path (only dotted element names with an optional [index]): ${path}`);
    const [, name, index] = m;
    const next = [];
    for (const place of places) {
      if (!place.value || typeof place.value !== 'object') continue;
      const { element, choiceName } = elementFor(place.type, name, undefined, path);
      const key = currentKey(place.value, name, element);
      if (key === undefined) continue;
      const value = place.value[key];
      const choice = choiceName ?? (element.type.length > 1 ? name : undefined);
      const elementType = choice ? lowerFirst(key.slice(choice.length)) : element.type[0].code;
      const holder = place.value;
      if (Array.isArray(value)) {
        const items = index === undefined ? value.map((_, i) => i) : Number(index) < value.length ? [Number(index)] : [];
        for (const i of items) next.push(listItem(holder, key, value, i, elementType));
      } else if (index === undefined || index === '0') {
        next.push({
          value,
          type: elementType,
          set: (v, valueType) => {
            const newKey = choice && valueType ? choice + valueType : key;
            if (newKey !== key) delete holder[key];
            holder[newKey] = v;
          },
          remove: () => delete holder[key],
        });
      }
    }
    places = next;
  }
  return places;
}

function listItem(holder, key, list, i, type) {
  return {
    value: list[i],
    type,
    list,
    set: (v) => (list[i] = v),
    remove: () => {
      list.splice(i, 1);
      if (list.length === 0) delete holder[key];
    },
  };
}

/**
 * The element definition of `name` on `type` and the JSON key a value of `valueType` gets. `name` may be a choice
 * (`value`, for `value[x]`) or one of its concrete forms (`valueQuantity`; then `choiceName` is `value`).
 */
function elementFor(type, name, valueType, path) {
  const elements = tryGetDataType(upperFirst(type))?.elements ?? tryGetDataType(type)?.elements ?? {};
  const concrete = Object.keys(elements).find((k) => k.endsWith('[x]') && name.startsWith(k.slice(0, -3))
    && elements[k].type.some((t) => k.slice(0, -3) + upperFirst(t.code) === name));
  if (concrete) return { element: { ...elements[concrete], type: [{ code: name.slice(concrete.length - 3) }] }, key: name, choiceName: concrete.slice(0, -3) };
  const element = elements[name] ?? elements[`${name}[x]`];
  if (!element) throw invalid(`Unknown element ${name} in ${path}`);
  const choice = !elements[name];
  if (choice && valueType && !element.type.some((t) => upperFirst(t.code) === valueType)) {
    throw invalid(`${name} cannot hold a ${valueType}`);
  }
  return { element, key: choice ? name + (valueType ?? '') : name };
}

/** The key under which `name` is present in `object` (for a choice: `valueQuantity` etc.), or undefined. */
function currentKey(object, name, element) {
  if (object[name] !== undefined) return name;
  if (element.type.length < 2) return undefined;
  return element.type.map((t) => name + upperFirst(t.code)).find((k) => object[k] !== undefined);
}

function single(places, path) {
  if (places.length !== 1) throw invalid(`${path} must name exactly one element (it names ${places.length})`);
  return places[0];
}

/** The list a path names (Patient.telecom), for insert and move. */
function listAt(places, path) {
  if (places.length === 0) throw invalid(`${path} names no list`);
  const list = places[0].list;
  if (!list || places.some((p) => p.list !== list)) throw invalid(`${path} must name one repeating element`);
  return list;
}

function need(op, ...names) {
  for (const name of names) if (op[name] === undefined) throw invalid(`${op.type} needs "${name}"`);
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

function invalid(text) {
  return new HttpError(400, 'invalid', text);
}
