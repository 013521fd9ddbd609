// Sandbox FHIR R4 server: `node fhir/server.mjs` (any cwd).
// Serves every base of SANDBOX_FHIR_BASES at /{base}/fhir with its own in-memory Medplum repository,
// seeded with the same test data. See README.md for the environment variables and routes.
import { createServer } from 'node:http';
import { FhirRouter } from '@medplum/fhir-router';
import { authIssuer, basesFromEnv, fhirOrigin } from '../fixtures.mjs';
import { createApi, extendRouter } from './api.mjs';
import { AuthServer } from './auth.mjs';
import { loadDefinitions } from './definitions.mjs';
import { HttpError, decodePathSegment, operationOutcome, send, sendJson } from './http.mjs';
import { SandboxRepository } from './repository.mjs';
import { seedRepository } from './seed.mjs';
import { createPayer } from './payer/index.mjs';
import { createOperations } from './operations.mjs';

const env = process.env;
const host = env.SANDBOX_FHIR_HOST ?? '127.0.0.1';
const port = Number(env.SANDBOX_FHIR_PORT ?? 4180);
const open = env.SANDBOX_FHIR_OPEN === 'true';
const baseNames = basesFromEnv(env);
// Bases that take requests without a token: the gateway's audit sink (FHIR_GATEWAY_AUDIT_FHIR_URL), like an audit
// FHIR server reachable only on the deployment's private network. Only bases listed in SANDBOX_FHIR_BASES exist.
const openBases = new Set((env.SANDBOX_FHIR_OPEN_BASES ?? 'audit').split(',').map((b) => b.trim()).filter(Boolean));

let server;
function shutdown(signal) {
  console.log(`sandbox-fhir: ${signal}, shutting down`);
  if (!server?.listening) process.exit(0);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

loadDefinitions();
const router = new FhirRouter();
extendRouter(router);

/** name -> { name, url, repo }; url is filled in once the port is known. */
const bases = new Map();
for (const name of baseNames) {
  if (!/^[A-Za-z0-9\-_.]+$/.test(name)) throw new Error(`Invalid base name in SANDBOX_FHIR_BASES: ${name}`);
  const repo = new SandboxRepository();
  await seedRepository(repo, name);
  bases.set(name, { name, url: undefined, repo, open: openBases.has(name) });
}

const auth = new AuthServer(authIssuer(env));
const payer = createPayer({ bases, auth, open, env });
for (const base of bases.values()) await payer.seed(base);
const operations = createOperations({ env, fallback: payer.handleOperation });
const handleFhir = createApi({ bases, router, auth, open, operations });

server = createServer(async (req, res) => {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  res.on('finish', () => {
    const ms = (performance.now() - started).toFixed(1);
    console.log(`${req.method} ${url.pathname} ${res.statusCode} ${ms}ms`);
  });
  try {
    if (url.pathname === '/health') {
      return sendJson(res, 200, { status: 'ok' });
    }
    const payerMatch = /^\/([^/]+)\/(cds-services|policies)(?:\/([^/]+))?\/*$/.exec(url.pathname);
    if (payerMatch) {
      const base = bases.get(decodePathSegment(payerMatch[1]));
      if (!base) throw new HttpError(404, 'not-found', `Unknown base: ${payerMatch[1]}`);
      return await payer.handleRoute(req, res, base, payerMatch[2], payerMatch[3] && decodePathSegment(payerMatch[3]));
    }
    const match = /^\/([^/]+)\/fhir(?:\/(.*?))?\/*$/.exec(url.pathname);
    if (!match) throw new HttpError(404, 'not-found', 'Not found: FHIR bases are at /{base}/fhir');
    const base = bases.get(decodePathSegment(match[1]));
    if (!base) throw new HttpError(404, 'not-found', `Unknown FHIR base: ${match[1]}`);
    await handleFhir(req, res, base, match[2] ?? '', url);
  } catch (err) {
    if (res.headersSent) return res.end();
    if (err instanceof HttpError) return send(res, err.status, err.outcome, err.headers);
    console.error('sandbox-fhir: unexpected error', err);
    send(res, 500, operationOutcome('exception', 'Internal server error'));
  }
});

server.listen(port, host, () => {
  const actualPort = server.address().port;
  const origin = fhirOrigin(env.SANDBOX_FHIR_URL ? env : { ...env, SANDBOX_FHIR_PORT: String(actualPort) });
  for (const base of bases.values()) base.url = `${origin}/${base.name}/fhir`;
  console.log(
    `sandbox-fhir listening on http://${host.includes(':') ? `[${host}]` : host}:${actualPort} bases=${baseNames.join(',')}` +
      ` public=${origin} auth=${auth.issuer} payers=${payer.settings.payers.join(',')}${open ? ' open=true' : ''}`
  );
});

