// PAS: Claim/$submit and Claim/$inquire. Requests are kept in memory, per base.
import { HttpError } from '../http.mjs';
import { questionnaireByCanonical } from './content.mjs';
import { missingAnswers } from './dtr.mjs';
import { findMember, payerRoot } from './members.mjs';
import { canonicalSystem, codingProblem, pickCoding, ruleFor } from './rules.mjs';

const PAS = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition';
const REVIEW_ACTION = `${PAS}/extension-reviewAction`;
const REVIEW_ACTION_CODE = `${PAS}/extension-reviewActionCode`;
const X12_306 = 'https://codesystem.x12.org/005010/306';
const ACTIONS = {
  approved: { code: 'A1', display: 'Certified in total' },
  denied: { code: 'A3', display: 'Not Certified' },
  pended: { code: 'A4', display: 'Pended' },
};
const SUBMITTED = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code: 'submitted' }] };

const bad = (text) => new HttpError(400, 'invalid', text);

/** One base's prior authorization requests: claim identifier -> record. */
export class PasStore {
  #records = new Map();
  #counter = 0;

  constructor(baseName, pendSeconds) {
    this.baseName = baseName;
    this.pendSeconds = pendSeconds;
  }

  #responses = 0;
  #refs = 0;

  nextPreAuthRef() {
    return `SBX-PA-${String(++this.#refs).padStart(6, '0')}`;
  }

  next() {
    return ++this.#counter;
  }

  nextResponse() {
    return ++this.#responses;
  }

  get(key) {
    return this.#records.get(key);
  }

  set(key, record) {
    this.#records.set(key, record);
  }

  /** The preAuthRef of an approved request covering `rule`'s code for a subscriber, or undefined. */
  approvedFor(subscriberId, rule) {
    if (!subscriberId) return undefined;
    for (const record of [...this.#records.values()].reverse()) {
      if (record.subscriberId !== subscriberId) continue;
      const hit = record.items.find((i) => i.status === 'approved' && i.system === rule.system && i.code === rule.code);
      if (hit) return record.preAuthRef;
    }
    return undefined;
  }
}

/** Finds the entry a reference points at: by fullUrl, or by Type/id (relative or absolute). */
function resolver(bundle) {
  const entries = bundle.entry.filter((e) => e?.resource);
  return (ref) => {
    const r = ref?.reference;
    if (typeof r !== 'string' || !r) return undefined;
    return entries.find((e) => {
      if (e.fullUrl === r) return true;
      const { resourceType, id } = e.resource;
      return id && (r === `${resourceType}/${id}` || r.endsWith(`/${resourceType}/${id}`));
    });
  };
}

function parseRequestBundle(body, what) {
  if (body?.resourceType !== 'Bundle') throw bad(`${what} must be a Bundle`);
  if (body.type !== 'collection') throw bad(`${what} must be a Bundle of type 'collection'`);
  if (!Array.isArray(body.entry) || !body.entry.length) throw bad(`${what} has no entries`);
  const claim = body.entry[0]?.resource;
  if (claim?.resourceType !== 'Claim') throw bad(`The first entry of the ${what} must be the Claim`);
  if (claim.use !== 'preauthorization') throw bad("Claim.use must be 'preauthorization'");
  const identifier = (claim.identifier ?? []).find((i) => i?.value);
  if (!identifier) throw bad('Claim.identifier (with a value) is required');
  const resolve = resolver(body);
  const patientEntry = resolve(claim.patient);
  if (patientEntry?.resource.resourceType !== 'Patient') throw bad('Claim.patient must reference a Patient included in the Bundle');
  return { claim, identifier, resolve, patientEntry };
}

const keyOf = (identifier) => String(identifier.value);

function patientKeys(patient) {
  const keys = new Set();
  if (patient.id) keys.add(`id:${patient.id}`);
  for (const i of patient.identifier ?? []) if (i?.value) keys.add(`identifier:${i.system ?? ''}|${i.value}`);
  return keys;
}

/** POST /{base}/fhir/Claim/$submit: a PAS request Bundle in, a PAS response Bundle (ClaimResponse first) out. */
export async function submit({ base, body, store }) {
  const { claim, identifier, resolve, patientEntry } = parseRequestBundle(body, 'PAS request');
  if (!claim.insurer?.reference) throw bad('Claim.insurer is required');
  if (!claim.provider?.reference) throw bad('Claim.provider is required');
  const insurance = Array.isArray(claim.insurance) ? claim.insurance : [];
  if (!insurance.length) throw bad('Claim.insurance is required');
  const focal = insurance.find((i) => i?.focal) ?? insurance[0];
  const coverageEntry = resolve(focal?.coverage);
  if (coverageEntry?.resource.resourceType !== 'Coverage') throw bad('Claim.insurance.coverage must reference a Coverage included in the Bundle');
  const items = Array.isArray(claim.item) ? claim.item : [];
  if (!items.length) throw bad('Claim.item is required (at least one item)');
  const coded = items.map((item, i) => {
    const coding = pickCoding(item?.productOrService);
    if (!coding) throw bad(`Claim.item[${i}].productOrService needs a coding with system and code`);
    const problem = codingProblem(coding);
    if (problem) throw bad(`Claim.item[${i}].productOrService: ${problem}`);
    return { sequence: item.sequence ?? i + 1, coding, rule: ruleFor(coding) };
  });
  const responses = (claim.supportingInfo ?? [])
    .map((s) => resolve(s?.valueReference)?.resource)
    .filter((r) => r?.resourceType === 'QuestionnaireResponse');

  const coverage = coverageEntry.resource;
  const member = await findMember(base, coverage);
  const n = store.next();
  const record = {
    n,
    claim,
    identifier,
    patientKeys: patientKeys(patientEntry.resource),
    subscriberId: coverage.subscriberId ?? member?.subscriberId,
    submittedAt: Date.now(),
    created: new Date().toISOString(),
    context: [patientEntry, resolve(claim.insurer), resolve(claim.provider), coverageEntry].filter(Boolean),
    items: [],
    preAuthRef: undefined,
  };
  if (!member) {
    record.error = `${coverage.subscriberId ? `Subscriber ${coverage.subscriberId}` : 'The coverage'} is not insured by this payer`;
  } else {
    record.items = coded.map((c) => ({ sequence: c.sequence, system: canonicalSystem(c.coding.system), code: c.coding.code, ...adjudicate(c, responses) }));
    settle(record, store);
  }
  store.set(keyOf(identifier), record);
  return responseBundle(base, record, 'request', store);
}

/** Decides one item by its rule: { status: approved | pended | denied, reason }. */
function adjudicate({ coding, rule }, responses) {
  const code = `${coding.system}|${coding.code}`;
  if (!rule) return { status: 'denied', reason: `No coverage rule for ${code}: contact the payer` };
  if (rule.pas === 'approve') return { status: 'approved', reason: rule.reason };
  if (rule.pas === 'deny') return { status: 'denied', reason: rule.reason };
  // review: needs a completed QuestionnaireResponse to one of the rule's Questionnaires, required items answered
  for (const canonical of rule.questionnaires ?? []) {
    const questionnaire = questionnaireByCanonical(canonical);
    const url = canonical.split('|')[0];
    const response = responses.find((r) => String(r.questionnaire ?? '').split('|')[0] === url);
    if (!response) {
      return { status: 'denied', reason: `Documentation missing: attach a QuestionnaireResponse to ${canonical} as Claim.supportingInfo` };
    }
    if (!['completed', 'amended'].includes(response.status)) {
      return { status: 'denied', reason: `Documentation incomplete: the QuestionnaireResponse to ${canonical} has status '${response.status}', not 'completed'` };
    }
    const missing = missingAnswers(questionnaire, response);
    if (missing.length) {
      return { status: 'denied', reason: `Documentation incomplete: required items not answered: ${missing.map((m) => m.linkId).join(', ')}` };
    }
  }
  return { status: 'pended', reason: 'Documentation received; the request is pended for clinical review' };
}

/** Sets the preAuthRef once nothing is pended and something was approved. */
function settle(record, store) {
  if (!record.preAuthRef && !record.items.some((i) => i.status === 'pended') && record.items.some((i) => i.status === 'approved')) {
    record.preAuthRef = store.nextPreAuthRef();
  }
}

/** POST /{base}/fhir/Claim/$inquire: the PAS inquiry Bundle names the request by Claim.identifier. */
export async function inquire({ base, body, store }) {
  const { identifier, patientEntry } = parseRequestBundle(body, 'PAS inquiry');
  const record = store.get(keyOf(identifier));
  const samePatient = record && [...patientKeys(patientEntry.resource)].some((k) => record.patientKeys.has(k));
  if (!samePatient) {
    throw new HttpError(404, 'not-found', `No prior authorization request with identifier ${identifier.value} for this patient`);
  }
  if (Date.now() - record.submittedAt >= store.pendSeconds * 1000) {
    for (const item of record.items) {
      if (item.status === 'pended') Object.assign(item, { status: 'approved', reason: 'Approved after clinical review' });
    }
    settle(record, store);
  }
  return responseBundle(base, record, 'inquiry', store);
}

function responseBundle(base, record, kind, store) {
  const { claim } = record;
  const pended = record.items.some((i) => i.status === 'pended');
  const id = `pas-${record.n}`;
  const disposition = record.error ?? (pended
    ? 'Pended for review; inquire later with Claim/$inquire'
    : record.items.map((i) => `${i.code} ${i.status}: ${i.reason}`).join('; '));
  const today = record.created.slice(0, 10);
  const in90 = new Date(Date.parse(record.created) + 90 * 86400000).toISOString().slice(0, 10);
  const response = {
    resourceType: 'ClaimResponse',
    id,
    meta: { profile: [`${PAS}/${kind === 'inquiry' ? 'profile-claiminquiryresponse' : 'profile-claimresponse'}`] },
    identifier: [{ system: `${payerRoot(base)}/prior-authorization`, value: id }],
    status: 'active',
    type: claim.type ?? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
    use: 'preauthorization',
    patient: claim.patient,
    created: record.created,
    insurer: claim.insurer,
    requestor: claim.provider,
    request: { identifier: record.identifier },
    outcome: record.error ? 'error' : pended ? 'queued' : 'complete',
    disposition,
    ...(record.preAuthRef ? { preAuthRef: record.preAuthRef, preAuthPeriod: { start: today, end: in90 } } : {}),
    ...(record.items.length ? { item: record.items.map((item) => responseItem(item, record)) } : {}),
    ...(record.error
      ? { error: [{ code: { coding: [{ system: 'https://codesystem.x12.org/005010/901', code: '75', display: 'Subscriber/Insured Not Found' }], text: record.error } }] }
      : {}),
    processNote: record.items.map((item, i) => ({ number: i + 1, type: 'display', text: `Item ${item.sequence} (${item.code}): ${item.status}. ${item.reason}` })),
  };
  if (!response.processNote.length) delete response.processNote;
  return {
    resourceType: 'Bundle',
    meta: { profile: [`${PAS}/${kind === 'inquiry' ? 'profile-pas-inquiry-response-bundle' : 'profile-pas-response-bundle'}`] },
    identifier: { system: `${payerRoot(base)}/pas-response`, value: `response-${store.nextResponse()}` },
    type: 'collection',
    timestamp: new Date().toISOString(),
    entry: [{ fullUrl: `${base.url}/ClaimResponse/${id}`, resource: response }, ...record.context.map((e) => ({ ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), resource: e.resource }))],
  };
}

function responseItem(item, record) {
  const action = ACTIONS[item.status];
  const reviewAction = {
    url: REVIEW_ACTION,
    extension: [
      { url: REVIEW_ACTION_CODE, valueCodeableConcept: { coding: [{ system: X12_306, ...action }], text: item.status } },
      ...(item.status === 'approved' && record.preAuthRef ? [{ url: 'number', valueString: `${record.preAuthRef}-${item.sequence}` }] : []),
    ],
  };
  return {
    itemSequence: item.sequence,
    adjudication: [{ extension: [reviewAction], category: SUBMITTED, reason: { text: item.reason } }],
  };
}
