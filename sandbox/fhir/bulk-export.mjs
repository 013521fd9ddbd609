// Bulk Data Access 2.0 $export (https://hl7.org/fhir/uv/bulkdata/export.html): system, Patient and Group/{id} level.
//
// Kick-off (GET, `Prefer: respond-async`) takes a snapshot of the matching resources and answers 202 with
// `Content-Location: {base}/$export-status/{jobId}`. Polling that URL answers 202 (`X-Progress`, `Retry-After`)
// until SANDBOX_EXPORT_SECONDS (default 1) have passed, then 200 with the manifest; its files are
// `{base}/$export-file/{jobId}/{type}.ndjson` (application/fhir+ndjson, same token rules). DELETE on the status URL
// cancels the job (202). Jobs belong to the token's `sub` and live in memory.
import { randomUUID } from 'node:crypto';
import { isAllowed } from './auth.mjs';
import { compartmentTypes, inCompartment, mayRead } from './compartment.mjs';
import { HttpError, send, sendJson } from './http.mjs';
import { allOf, forbidden, instant, readOrThrow, typeList } from './operation-support.mjs';
import { resourceTypes } from './capability.mjs';

const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const KNOWN_PARAMS = new Set(['_outputFormat', '_type', '_since']);

export function createBulkExport({ env }) {
  const seconds = Number(env.SANDBOX_EXPORT_SECONDS ?? 1);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error('SANDBOX_EXPORT_SECONDS must be a number >= 0');
  /** jobId -> { base, subject, request, transactionTime, readyAt, files: Map type -> resources[] } */
  const jobs = new Map();

  /** The job of a status or file URL, for the token that started it (another token gets 404 too). */
  const jobFor = ({ base, grants }, jobId) => {
    const job = jobs.get(jobId);
    if (!job || job.base !== base.name || (grants && job.subject !== grants.subject)) {
      throw new HttpError(404, 'not-found', `Unknown export job: ${jobId}`);
    }
    return job;
  };

  return {
    async kickOff({ req, res, base, segments, url, grants }) {
      const [type, id, operation] = segments;
      const level = segments.length === 1 ? 'system' : type === 'Patient' && segments.length === 2 ? 'patient' : type === 'Group' && operation === '$export' && segments.length === 3 ? 'group' : undefined;
      if (!level) throw new HttpError(404, 'not-supported', '$export is supported at the system level, on Patient and on Group/{id}');
      if (req.method !== 'GET') throw new HttpError(405, 'not-supported', 'Use GET for $export');
      if (!/respond-async/.test(String(req.headers.prefer ?? ''))) {
        throw new HttpError(400, 'invalid', '$export needs the header Prefer: respond-async');
      }
      const params = url.searchParams;
      for (const name of params.keys()) {
        if (!KNOWN_PARAMS.has(name)) throw new HttpError(400, 'not-supported', `$export parameter ${name} is not supported`);
      }
      const format = params.get('_outputFormat');
      if (format && !NDJSON_FORMATS.has(format)) throw new HttpError(400, 'not-supported', `_outputFormat ${format} is not supported; use application/fhir+ndjson`);
      const since = params.has('_since') ? instant(params.get('_since'), '_since') : undefined;

      const requested = typeList(params.get('_type'));
      const scopeTypes = level === 'system' ? resourceTypes() : compartmentTypes();
      const readable = (t) => !grants || isAllowed(grants, t, 'r');
      const denied = requested?.find((t) => !readable(t));
      if (denied) throw forbidden(`Insufficient scope for $export of ${denied}`);
      const types = (requested ?? scopeTypes.filter(readable)).filter((t) => scopeTypes.includes(t));
      if (types.length === 0) throw forbidden('Insufficient scope for $export: no readable resource type');

      const patients = await patientsOf(level, base, id, grants);
      const files = new Map();
      for (const t of types.sort()) {
        const resources = (await allOf(base.repo, t)).filter((r) =>
          (!since || r.meta?.lastUpdated >= since)
          && mayRead(r, grants?.patient)
          && (!patients || patients.some((p) => inCompartment(r, p))));
        if (resources.length) files.set(t, resources);
      }

      const jobId = randomUUID();
      const now = Date.now();
      jobs.set(jobId, {
        base: base.name,
        subject: grants?.subject,
        request: `${base.url}/${segments.map((seg) => encodeURIComponent(seg).replace(/^%24/, '$')).join('/')}${url.search}`,
        transactionTime: new Date(now).toISOString(),
        readyAt: now + seconds * 1000,
        files,
      });
      return send(res, 202, undefined, { 'Content-Location': `${base.url}/$export-status/${jobId}` });
    },

    async status(ctx, jobId) {
      const { req, res, base } = ctx;
      const job = jobFor(ctx, jobId);
      if (req.method === 'DELETE') {
        jobs.delete(jobId);
        return send(res, 202, undefined);
      }
      if (req.method !== 'GET') throw new HttpError(405, 'not-supported', 'Use GET to poll or DELETE to cancel an export');
      const left = job.readyAt - Date.now();
      if (left > 0) {
        const total = Math.max(1, seconds * 1000);
        const percent = Math.min(99, Math.floor(((total - left) / total) * 100));
        return send(res, 202, undefined, { 'X-Progress': `in-progress (${percent}%)`, 'Retry-After': String(Math.max(1, Math.ceil(left / 1000))) });
      }
      return sendJson(res, 200, {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: [...job.files].map(([type, resources]) => ({
          type,
          url: `${base.url}/$export-file/${jobId}/${type}.ndjson`,
          count: resources.length,
        })),
        error: [],
      }, { Expires: new Date(Date.now() + 3600_000).toUTCString() });
    },

    async file(ctx, jobId, name) {
      const { req, res } = ctx;
      if (req.method !== 'GET') throw new HttpError(405, 'not-supported', 'Use GET for export files');
      const job = jobFor(ctx, jobId);
      const resources = job.readyAt <= Date.now() ? job.files.get(name.replace(/\.ndjson$/, '')) : undefined;
      if (!name.endsWith('.ndjson') || !resources) throw new HttpError(404, 'not-found', `Unknown export file: ${name}`);
      const body = resources.map((r) => JSON.stringify(r)).join('\n') + '\n';
      res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson', 'Content-Length': Buffer.byteLength(body) });
      return res.end(body);
    },
  };
}

/** The patients whose compartments an export covers (undefined: no compartment limit, a system export). */
async function patientsOf(level, base, groupId, grants) {
  const own = grants?.patient;
  if (level === 'system') return own ? [own] : undefined;
  if (level === 'patient') return own ? [own] : (await allOf(base.repo, 'Patient')).map((p) => p.id);
  const group = await readOrThrow(base.repo, 'Group', groupId);
  const members = (group.member ?? [])
    .map((m) => /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(m?.entity?.reference ?? '')?.[1])
    .filter(Boolean);
  return own ? members.filter((m) => m === own) : members;
}
