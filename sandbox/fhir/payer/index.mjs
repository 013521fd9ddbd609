// The sandbox payer: CRD (CDS Hooks), DTR ($questionnaire-package) and PAS ($submit, $inquire) on the payer
// bases. server.mjs routes /{base}/cds-services and /{base}/policies here; api.mjs hands FHIR $operations here.
import { bearerToken, isAllowed } from '../auth.mjs';
import { HttpError, parseBody, readBody, send, sendJson } from '../http.mjs';
import { POLICY_IDS, policyHtml, seedPayerContent } from './content.mjs';
import { SERVICES, callService, discovery } from './crd.mjs';
import { questionnairePackage } from './dtr.mjs';
import { payerName, payerRoot } from './members.mjs';
import { PasStore, inquire, submit } from './pas.mjs';

/**
 * Reads the payer settings from the environment:
 *   SANDBOX_PAYER_BASES      comma-separated bases that act as payer (default: every base)
 *   SANDBOX_PAS_PEND_SECONDS seconds a pended request waits before an inquiry approves it (default 1)
 *   SANDBOX_CDS_AUTH         optional (default) | required: whether CDS Hooks calls need a bearer token
 */
export function createPayer({ bases, auth, open, env = process.env }) {
  const names = env.SANDBOX_PAYER_BASES
    ? env.SANDBOX_PAYER_BASES.split(',').map((b) => b.trim()).filter(Boolean)
    : [...bases.keys()];
  for (const name of names) if (!bases.has(name)) throw new Error(`SANDBOX_PAYER_BASES names an unknown base: ${name}`);
  const pendSeconds = Number(env.SANDBOX_PAS_PEND_SECONDS ?? 1);
  if (!Number.isFinite(pendSeconds) || pendSeconds < 0) throw new Error('SANDBOX_PAS_PEND_SECONDS must be a number >= 0');
  const cdsAuth = env.SANDBOX_CDS_AUTH ?? 'optional';
  if (!['optional', 'required'].includes(cdsAuth)) throw new Error("SANDBOX_CDS_AUTH must be 'optional' or 'required'");

  const payers = new Set(names);
  const stores = new Map(names.map((n) => [n, new PasStore(n, pendSeconds)]));
  const fhirBases = () => [...bases.values()].map((b) => b.url);

  /** CDS Hooks client authentication: none, or a sandbox access token whose aud is this base (FHIR or CDS URL). */
  async function authenticateCds(req, base) {
    const header = req.headers.authorization;
    if (!header) {
      if (cdsAuth === 'required' && !open) throw new HttpError(401, 'login', 'Missing bearer token', { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const token = bearerToken(header);
    try {
      if (!token) throw new Error('not a bearer token');
      await auth.verify(token, [base.url, `${payerRoot(base)}/cds-services`]);
    } catch {
      throw new HttpError(401, 'login', 'Invalid or expired access token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
  }

  return {
    settings: { payers: names, pendSeconds, cdsAuth },

    /** Seeds the payer's Questionnaires and ValueSets into a payer base. */
    async seed(base) {
      if (payers.has(base.name)) await seedPayerContent(base.repo);
    },

    /** GET /{base}/cds-services, POST /{base}/cds-services/{id}, GET /{base}/policies/{id}. Errors are JSON OperationOutcomes. */
    async handleRoute(req, res, base, kind, rest) {
      try {
        if (!payers.has(base.name)) throw new HttpError(404, 'not-found', `${base.name} is not a payer base`);
        if (kind === 'policies') {
          if (req.method !== 'GET') throw new HttpError(405, 'not-supported', `Method ${req.method} not allowed here`);
          const html = rest && POLICY_IDS.includes(rest) ? policyHtml(rest, payerName(base)) : undefined;
          if (!html) throw new HttpError(404, 'not-found', `Unknown policy: ${rest ?? ''}`);
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
          return res.end(html);
        }
        if (!rest) {
          if (req.method !== 'GET') throw new HttpError(405, 'not-supported', `Method ${req.method} not allowed here`);
          return sendJson(res, 200, discovery());
        }
        const service = SERVICES.find((s) => s.id === rest);
        if (!service) throw new HttpError(404, 'not-found', `Unknown CDS service: ${rest}`);
        if (req.method !== 'POST') throw new HttpError(405, 'not-supported', `Method ${req.method} not allowed here`);
        await authenticateCds(req, base);
        const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (contentType !== 'application/json' && contentType !== 'application/fhir+json') {
          throw new HttpError(415, 'not-supported', 'A CDS Hooks request must be application/json');
        }
        const body = parseBody(await readBody(req), contentType);
        return sendJson(res, 200, await callService({ base, service, body, fhirBases, pas: stores.get(base.name) }));
      } catch (err) {
        if (err instanceof HttpError) return sendJson(res, err.status, err.outcome, err.headers);
        throw err;
      }
    },

    /**
     * FHIR $operations under /{base}/fhir, after the bearer token was checked (`grants` undefined when open).
     * Scopes: $questionnaire-package needs read on Questionnaire, $submit create on Claim, $inquire read on Claim.
     */
    async handleOperation({ req, res, base, segments, readJson, grants }) {
      const [type, operation, extra] = segments;
      const known = {
        'Questionnaire/$questionnaire-package': { type: 'Questionnaire', perm: 'r', run: (body) => questionnairePackage({ base, body }) },
        'Claim/$submit': { type: 'Claim', perm: 'c', run: (body) => submit({ base, body, store: stores.get(base.name) }) },
        'Claim/$inquire': { type: 'Claim', perm: 'r', run: (body) => inquire({ base, body, store: stores.get(base.name) }) },
      }[`${type}/${operation}`];
      const name = segments.find((s) => s.startsWith('$'));
      if (!known || extra !== undefined || !payers.has(base.name)) throw new HttpError(404, 'not-supported', `Operation ${name} is not supported`);
      if (req.method !== 'POST') throw new HttpError(405, 'not-supported', `Use POST for ${name}`);
      if (grants && !isAllowed(grants, known.type, known.perm)) {
        throw new HttpError(403, 'forbidden', `Insufficient scope for ${name}: needs ${known.type} '${known.perm}'`, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' });
      }
      const body = await readJson();
      return send(res, 200, await known.run(body));
    },
  };
}
