// CRD as a CDS Hooks 2.0 service: discovery and the order-select / order-sign services.
import { createHash } from 'node:crypto';
import { HttpError } from '../http.mjs';
import { seedId } from '../seed.mjs';
import { orderCode } from './dtr.mjs';
import { findMember, payerName, payerRoot } from './members.mjs';
import { codingProblem, pickCoding, ruleFor } from './rules.mjs';

export const COVERAGE_INFORMATION = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';
const CRD_CARD_TYPES = 'http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp';
const ORDER_TYPES = new Set(['ServiceRequest', 'MedicationRequest', 'DeviceRequest']);

const PREFETCH = {
  patient: 'Patient/{{context.patientId}}',
  coverage: 'Coverage?patient={{context.patientId}}&status=active',
};

export const SERVICES = [
  {
    hook: 'order-select',
    id: 'coverage-order-select',
    title: 'Coverage requirements (order select)',
    description: 'Sandbox payer: coverage, prior authorization and documentation requirements for the selected draft orders (Da Vinci CRD).',
    prefetch: PREFETCH,
  },
  {
    hook: 'order-sign',
    id: 'coverage-order-sign',
    title: 'Coverage requirements (order sign)',
    description: 'Sandbox payer: coverage, prior authorization and documentation requirements for the draft orders being signed (Da Vinci CRD).',
    prefetch: PREFETCH,
  },
];

export function discovery() {
  return { services: SERVICES };
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const bad = (text) => new HttpError(400, 'invalid', text);
const unavailable = (text) => new HttpError(412, 'exception', text);

/**
 * Answers one CDS Hooks call. `fhirBases`: the FHIR base URLs this sandbox serves (the only fhirServer values the
 * service will call back). `pas`: the base's PAS store (for satisfied prior authorizations).
 */
export async function callService({ base, service, body, fhirBases, pas }) {
  if (!isObject(body)) throw bad('Body must be a CDS Hooks request (JSON object)');
  if (body.hook !== service.hook) throw bad(`hook must be '${service.hook}' for service ${service.id}`);
  if (typeof body.hookInstance !== 'string' || !body.hookInstance) throw bad('hookInstance is required');
  const context = body.context;
  if (!isObject(context)) throw bad('context is required');
  if (typeof context.userId !== 'string' || !context.userId) throw bad('context.userId is required');
  if (typeof context.patientId !== 'string' || !context.patientId) throw bad('context.patientId is required');
  const draftOrders = context.draftOrders;
  if (draftOrders?.resourceType !== 'Bundle' || !Array.isArray(draftOrders.entry)) throw bad('context.draftOrders must be a Bundle of draft orders');
  if (body.fhirAuthorization !== undefined) {
    const a = body.fhirAuthorization;
    if (!isObject(a) || typeof a.access_token !== 'string' || !a.access_token) throw bad('fhirAuthorization.access_token is required');
    if (String(a.token_type).toLowerCase() !== 'bearer') throw bad("fhirAuthorization.token_type must be 'Bearer'");
    if (typeof body.fhirServer !== 'string' || !body.fhirServer) throw bad('fhirServer is required when fhirAuthorization is given');
  }
  if (body.prefetch !== undefined && !isObject(body.prefetch)) throw bad('prefetch must be an object');

  let orders = draftOrders.entry.map((e) => e?.resource).filter((r) => ORDER_TYPES.has(r?.resourceType));
  if (service.hook === 'order-select') {
    if (!Array.isArray(context.selections) || !context.selections.length) throw bad('context.selections is required for order-select');
    const selected = new Set(context.selections);
    orders = orders.filter((o) => selected.has(`${o.resourceType}/${o.id}`));
  }
  if (!orders.length) throw bad('context.draftOrders has no ServiceRequest, MedicationRequest or DeviceRequest to evaluate');
  const evaluated = orders.map((order) => {
    const coding = pickCoding(orderCode(order));
    const label = `${order.resourceType}${order.id ? `/${order.id}` : ''}`;
    if (!coding) throw bad(`${label} has no code with a system and a code`);
    const problem = codingProblem(coding);
    if (problem) throw bad(`${label}: ${problem}`);
    return { order, coding, rule: ruleFor(coding) };
  });

  const { patient, coverages } = await patientAndCoverage(body, fhirBases);
  const patientId = patient?.id ?? context.patientId;
  const candidates = coverages.filter((c) => c?.resourceType === 'Coverage' && c.status === 'active' && refersTo(c.beneficiary, 'Patient', patientId));
  let coverage;
  let member;
  for (const c of candidates) {
    member = await findMember(base, c);
    if (member) {
      coverage = c;
      break;
    }
  }

  const source = {
    label: payerName(base),
    url: payerRoot(base),
    topic: { system: CRD_CARD_TYPES, code: 'coverage-info', display: 'Coverage Information' },
  };
  const uuid = (i) => seedId(`cds:${base.name}:${body.hookInstance}:${i}`);
  if (!coverage) {
    return {
      cards: [{
        uuid: uuid(0),
        summary: `No active coverage with ${payerName(base)} found for this patient`,
        indicator: 'warning',
        detail: `${payerName(base)} found no active Coverage for Patient/${patientId} that it insures ` +
          `(${candidates.length ? 'the coverage given is not one of its members' : 'no active Coverage was given or found'}). ` +
          'Coverage and prior authorization requirements could not be determined.',
        source: { ...source, topic: { system: CRD_CARD_TYPES, code: 'insurance', display: 'Insurance' } },
      }],
      systemActions: [],
    };
  }

  const cards = [];
  const systemActions = [];
  const today = new Date().toISOString().slice(0, 10);
  evaluated.forEach(({ order, coding, rule }, i) => {
    const codeLabel = `${codeSystemLabel(coding.system)} ${coding.code}`;
    if (!rule) {
      cards.push({
        uuid: uuid(i),
        summary: truncate(`No coverage rule for ${codeLabel}: contact ${payerName(base)}`),
        indicator: 'info',
        detail: `${payerName(base)} publishes no coverage rule for ${coding.system}|${coding.code}. Coverage and prior authorization requirements are unknown.`,
        source,
      });
      return;
    }
    const satisfiedBy = rule.paNeeded && rule.paNeeded !== 'no-auth' ? pas.approvedFor(coverage.subscriberId ?? member.subscriberId, rule) : undefined;
    const info = coverageInformation({ base, coverage, rule, today, satisfiedBy, hookInstance: body.hookInstance, order });
    const policyUrl = `${payerRoot(base)}/policies/${rule.policy}`;
    cards.push({
      uuid: uuid(i),
      summary: truncate(summaryOf(rule, satisfiedBy, `${rule.display} (${codeLabel})`)),
      indicator: rule.covered === 'not-covered' || (!satisfiedBy && ['auth-needed', 'conditional'].includes(rule.paNeeded)) ? 'warning' : 'info',
      detail: detailOf(rule, satisfiedBy),
      source,
      links: [{ label: `${payerName(base)} policy: ${rule.display}`, url: policyUrl, type: 'absolute' }],
    });
    const resource = structuredClone(order);
    resource.extension = [...(resource.extension ?? []).filter((e) => e?.url !== COVERAGE_INFORMATION), info];
    systemActions.push({
      type: 'update',
      description: `Add ${payerName(base)} coverage information to ${order.resourceType}${order.id ? `/${order.id}` : ''}`,
      resource,
    });
  });
  return { cards, systemActions };
}

function coverageInformation({ base, coverage, rule, today, satisfiedBy, hookInstance, order }) {
  const ext = [{ url: 'coverage', valueReference: { reference: `Coverage/${coverage.id}` } }, { url: 'covered', valueCode: rule.covered }];
  if (rule.covered !== 'not-covered') {
    ext.push({ url: 'pa-needed', valueCode: satisfiedBy ? 'satisfied' : rule.paNeeded });
    if (rule.docNeeded && !satisfiedBy) {
      ext.push({ url: 'doc-needed', valueCode: rule.docNeeded });
      if (rule.docPurpose) ext.push({ url: 'doc-purpose', valueCode: rule.docPurpose });
    }
    if (rule.infoNeeded && !satisfiedBy) ext.push({ url: 'info-needed', valueCode: rule.infoNeeded });
  }
  ext.push({ url: 'reason', valueCodeableConcept: { text: satisfiedBy ? `Prior authorization ${satisfiedBy} already covers this service.` : rule.reason } });
  if (!satisfiedBy) for (const q of rule.questionnaires ?? []) ext.push({ url: 'questionnaire', valueCanonical: q });
  ext.push({ url: 'date', valueDate: today });
  const assertion = createHash('sha256').update(`${base.name}|${hookInstance}|${coverage.id}|${order.resourceType}/${order.id ?? ''}|${rule.system}|${rule.code}`).digest('hex');
  ext.push({ url: 'coverage-assertion-id', valueString: `CA-${assertion.slice(0, 20)}` });
  if (satisfiedBy) ext.push({ url: 'satisfied-pa-id', valueString: satisfiedBy });
  return { url: COVERAGE_INFORMATION, extension: ext };
}

function summaryOf(rule, satisfiedBy, what) {
  if (rule.covered === 'not-covered') return `Not covered: ${what}`;
  if (satisfiedBy) return `Prior authorization on file (${satisfiedBy}): ${what}`;
  if (rule.paNeeded === 'auth-needed') return `Prior authorization required: ${what}`;
  if (rule.paNeeded === 'conditional') return `Prior authorization may be required: ${what}`;
  return `Covered, no prior authorization needed: ${what}`;
}

function detailOf(rule, satisfiedBy) {
  const lines = [satisfiedBy ? `Prior authorization ${satisfiedBy} already covers this service.` : rule.reason];
  if (!satisfiedBy && rule.questionnaires?.length) {
    lines.push(`Documentation: complete ${rule.questionnaires.map((q) => `\`${q}\``).join(', ')} (DTR, Questionnaire/$questionnaire-package) and attach it to the prior authorization request (Claim/$submit).`);
  }
  return lines.join('\n\n');
}

const truncate = (s) => (s.length <= 140 ? s : `${s.slice(0, 139)}…`);

function codeSystemLabel(system) {
  if (/ama-assn\.org\/go\/cpt/.test(system)) return 'CPT';
  if (/HCPCSReleaseCodeSets/.test(system)) return 'HCPCS';
  return system;
}

function refersTo(ref, type, id) {
  const r = ref?.reference;
  return typeof r === 'string' && (r === `${type}/${id}` || r.endsWith(`/${type}/${id}`));
}

/** Patient and Coverages from prefetch, or fetched from fhirServer with fhirAuthorization (CDS Hooks 2.0). */
async function patientAndCoverage(body, fhirBases) {
  const prefetch = body.prefetch ?? {};
  const usable = (v) => v !== undefined && v?.resourceType !== 'OperationOutcome';
  let patient = prefetch.patient;
  let coverage = prefetch.coverage;
  if (!usable(patient) || !usable(coverage)) {
    const missing = [!usable(patient) && 'patient', !usable(coverage) && 'coverage'].filter(Boolean).join(' and ');
    if (!body.fhirServer || !body.fhirAuthorization) {
      throw unavailable(`Prefetch data (${missing}) is missing and the request has no fhirServer/fhirAuthorization to fetch it with`);
    }
    const server = String(body.fhirServer).replace(/\/+$/, '');
    if (!fhirBases().includes(server)) {
      throw unavailable(`Prefetch data (${missing}) is missing and fhirServer ${server} is not a FHIR server this sandbox payer may call`);
    }
    const token = body.fhirAuthorization.access_token;
    const patientId = body.context.patientId;
    if (!usable(patient)) {
      patient = await fetchFhir(server, `Patient/${encodeURIComponent(patientId)}`, token, 'the Patient');
      if (patient === null) throw unavailable(`fhirServer has no Patient/${patientId}`);
    }
    if (!usable(coverage)) {
      coverage = await fetchFhir(server, `Coverage?patient=${encodeURIComponent(`Patient/${patientId}`)}&status=active`, token, 'the Coverage');
    }
  }
  if (patient !== null && patient?.resourceType !== 'Patient') throw bad('prefetch.patient must be a Patient (or null)');
  let coverages;
  if (coverage === null) coverages = [];
  else if (coverage?.resourceType === 'Bundle') coverages = (coverage.entry ?? []).map((e) => e?.resource).filter(Boolean);
  else if (coverage?.resourceType === 'Coverage') coverages = [coverage];
  else throw bad('prefetch.coverage must be a Bundle of Coverage, a Coverage, or null');
  return { patient, coverages };
}

async function fetchFhir(server, path, token, what) {
  let res;
  try {
    res = await fetch(`${server}/${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw unavailable(`Could not reach fhirServer to fetch ${what} (${err?.cause?.code ?? err?.name ?? 'error'})`);
  }
  if (res.status === 401 || res.status === 403) {
    throw unavailable(`fhirServer refused fhirAuthorization.access_token (HTTP ${res.status}) when fetching ${what}`);
  }
  if (res.status === 404 || res.status === 410) return null;
  if (!res.ok) throw unavailable(`fhirServer answered HTTP ${res.status} when fetching ${what}`);
  try {
    return await res.json();
  } catch {
    throw unavailable(`fhirServer sent invalid JSON for ${what}`);
  }
}
