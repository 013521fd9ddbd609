// Small HTTP helpers: request bodies, FHIR JSON responses and OperationOutcomes.

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** An error that becomes an HTTP response with an OperationOutcome body. */
export class HttpError extends Error {
  constructor(status, code, text, headers = {}) {
    super(text);
    this.status = status;
    this.outcome = operationOutcome(code, text);
    this.headers = headers;
  }
}

/** An OperationOutcome with one issue. `code` is from http://hl7.org/fhir/issue-type. */
export function operationOutcome(code, text, severity = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

/** Reads the whole request body as a Buffer (empty Buffer if none). */
export async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too-long', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a request body by content type:
 *   application/fhir+json, application/json, application/json-patch+json -> JSON value;
 *   application/x-www-form-urlencoded -> URLSearchParams.
 * Returns undefined for an empty body.
 */
export function parseBody(buffer, contentType) {
  if (buffer.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(buffer.toString('utf8'));
  }
  if (type && !['application/fhir+json', 'application/json', 'application/json-patch+json'].includes(type)) {
    throw new HttpError(415, 'not-supported', `Unsupported content type: ${type}. Use application/fhir+json.`);
  }
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid', 'Request body is not valid JSON');
  }
}

/** Sends a JSON body (or none when body is undefined) with FHIR content type. */
export function send(res, status, body, headers = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload !== undefined ? { 'Content-Type': FHIR_JSON, 'Content-Length': Buffer.byteLength(payload) } : {}),
    ...headers,
  });
  res.end(payload);
}

/** Sends plain application/json (for non-FHIR documents such as the SMART configuration). */
export function sendJson(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** decodeURIComponent that answers 400 instead of throwing on a malformed escape. */
export function decodePathSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid', 'Malformed URL');
  }
}

/** An HTTP-date (RFC 7231) from a FHIR instant. */
export function httpDate(instant) {
  return new Date(instant).toUTCString();
}
