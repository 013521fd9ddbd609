// One in-memory FHIR store per base, built on Medplum's MemoryRepository.
//
// MemoryRepository does the storage, search matching, sorting and JSON Patch. This subclass adds what a
// test server needs on top of it:
//   - resource validation against the R4 StructureDefinitions on every write (400 on invalid input);
//   - sequential version ids ("1", "2", ...) and a server clock that seeding can pin for determinism;
//   - deletes that leave a tombstone: read of a deleted resource is 410 Gone, history still works;
//   - its own change log, used for instance, type and system history (newest first);
//   - transactions that roll back: MemoryRepository's withTransaction just runs the callback.
import { OperationOutcomeError, badRequest, deepClone, gone, notFound, validateResource } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';

export class SandboxRepository extends MemoryRepository {
  /** Every version ever written, oldest first: { type, id, versionId, lastUpdated, method, resource? }. */
  #log = [];
  /** 'Type/id' -> last version number used. */
  #versions = new Map();
  /** 'Type/id' of resources whose current version is a delete. */
  #deleted = new Set();
  #transactionDepth = 0;

  /** Server clock; seeding replaces it with a fixed instant so seeded data is deterministic. */
  now = () => new Date().toISOString();

  async createResource(resource) {
    validateResource(resource);
    const { resourceType, id = this.generateId(), meta, ...rest } = deepClone(resource);
    const key = `${resourceType}/${id}`;
    const version = (this.#versions.get(key) ?? 0) + 1;
    const copy = { resourceType, id, meta: { ...meta, versionId: String(version), lastUpdated: this.now() }, ...rest };

    const stored = await super.createResource(copy);
    this.#versions.set(key, version);
    const method = version === 1 ? 'POST' : 'PUT';
    this.#deleted.delete(key);
    this.#log.push(entryOf(stored, method));
    return stored;
  }

  async patchResource(resourceType, id, patch) {
    // MemoryRepository would happily patch the id and save the result as a different resource.
    const touchesIdentity = (path) => path === '/id' || path === '/resourceType';
    if (patch.some((op) => touchesIdentity(op?.path) || (op?.op === 'move' && touchesIdentity(op?.from)))) {
      throw new OperationOutcomeError(badRequest('JSON Patch must not change id or resourceType'));
    }
    return super.patchResource(resourceType, id, patch);
  }

  async readResource(resourceType, id) {
    if (this.#deleted.has(`${resourceType}/${id}`)) {
      throw new OperationOutcomeError(gone);
    }
    return super.readResource(resourceType, id);
  }

  async deleteResource(resourceType, id) {
    const key = `${resourceType}/${id}`;
    if (this.#deleted.has(key)) {
      return; // deleting a deleted resource changes nothing (FHIR: 200/204)
    }
    await super.deleteResource(resourceType, id);
    const version = this.#versions.get(key) + 1;
    this.#versions.set(key, version);
    this.#deleted.add(key);
    this.#log.push({ type: resourceType, id, versionId: String(version), lastUpdated: this.now(), method: 'DELETE' });
  }

  /** True if the resource exists and is not deleted. */
  exists(resourceType, id) {
    const key = `${resourceType}/${id}`;
    return this.#versions.has(key) && !this.#deleted.has(key);
  }

  async readHistory(resourceType, id) {
    const entries = this.#log.filter((e) => e.type === resourceType && e.id === id);
    if (entries.length === 0) {
      throw new OperationOutcomeError(notFound);
    }
    return historyBundle(entries);
  }

  async readVersion(resourceType, id, versionId) {
    const entry = this.#log.find((e) => e.type === resourceType && e.id === id && e.versionId === versionId);
    if (!entry) {
      throw new OperationOutcomeError(notFound);
    }
    if (!entry.resource) {
      throw new OperationOutcomeError(gone);
    }
    return deepClone(entry.resource);
  }

  /** Type-level history (resourceType given) or system-level history (resourceType undefined). */
  async readHistoryOf(resourceType) {
    return historyBundle(this.#log.filter((e) => !resourceType || e.type === resourceType));
  }

  async withTransaction(callback) {
    if (this.#transactionDepth > 0) {
      return callback(undefined);
    }
    const snapshot = this.#snapshot();
    this.#transactionDepth++;
    try {
      return await callback(undefined);
    } catch (err) {
      this.#restore(snapshot);
      throw err;
    } finally {
      this.#transactionDepth--;
    }
  }

  // MemoryRepository keeps its data in two Maps of Maps (`resources`, `history`). Stored resource objects
  // are never modified in place (it stores fresh copies and hands out clones), so copying the Maps is a
  // complete snapshot.
  #snapshot() {
    const copyMaps = (outer) =>
      outer instanceof Map ? new Map([...outer].map(([k, inner]) => [k, copyInner(inner)])) : undefined;
    const copyInner = (inner) => new Map([...inner].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
    return {
      resources: copyMaps(this.resources),
      history: copyMaps(this.history),
      log: this.#log.length,
      versions: new Map(this.#versions),
      deleted: new Set(this.#deleted),
    };
  }

  #restore(snapshot) {
    for (const field of ['resources', 'history']) {
      if (snapshot[field]) {
        this[field].clear();
        for (const [k, v] of snapshot[field]) this[field].set(k, v);
      }
    }
    this.#log.length = snapshot.log;
    this.#versions = snapshot.versions;
    this.#deleted = snapshot.deleted;
  }
}

function entryOf(resource, method) {
  return {
    type: resource.resourceType,
    id: resource.id,
    versionId: resource.meta.versionId,
    lastUpdated: resource.meta.lastUpdated,
    method,
    resource: deepClone(resource),
  };
}

/** A history Bundle, newest first. fullUrl is added by the HTTP layer, which knows the public base. */
function historyBundle(entries) {
  const newestFirst = [...entries].reverse();
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: newestFirst.length,
    entry: newestFirst.map((e) => ({
      ...(e.resource ? { resource: deepClone(e.resource) } : {}),
      request: { method: e.method, url: e.method === 'POST' ? e.type : `${e.type}/${e.id}` },
      response: {
        status: e.method === 'POST' ? '201 Created' : e.method === 'DELETE' ? '204 No Content' : '200 OK',
        etag: `W/"${e.versionId}"`,
        lastModified: e.lastUpdated,
      },
    })),
  };
}
