// The sandbox payer's coverage rules, keyed by code. One table drives CRD (coverage-information),
// DTR (which Questionnaires an order needs) and PAS (how a prior authorization request is adjudicated).
//
// Fields of a rule:
//   system, code, display   the billing code the rule applies to
//   covered                 CRD `covered`: covered | not-covered | conditional
//   paNeeded                CRD `pa-needed`: no-auth | auth-needed | conditional (absent when not covered)
//   docNeeded               CRD `doc-needed` (e.g. clinical), with docPurpose (e.g. withpa) and questionnaires
//   infoNeeded              CRD `info-needed` (required by CRD when something is conditional)
//   reason                  why: CRD `reason` text and the PAS disposition of a denial
//   policy                  id of the policy document served at /{base}/policies/{id}
//   pas                     how $submit adjudicates it: approve | review (pend, needs documentation) | deny

export const CPT = 'http://www.ama-assn.org/go/cpt';
export const HCPCS = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
/** Questionnaire canonicals (without version) and their version. */
export const LUMBAR_MRI_QUESTIONNAIRE = 'https://sandbox.fhir-gateway.local/Questionnaire/lumbar-mri-pa';
export const CPAP_QUESTIONNAIRE = 'https://sandbox.fhir-gateway.local/Questionnaire/cpap-pa';
export const QUESTIONNAIRE_VERSION = '1.0.0';

export const RULES = [
  {
    system: CPT, code: '72148', display: 'MRI lumbar spine without contrast',
    covered: 'covered', paNeeded: 'auth-needed', docNeeded: 'clinical', docPurpose: 'withpa',
    questionnaires: [`${LUMBAR_MRI_QUESTIONNAIRE}|${QUESTIONNAIRE_VERSION}`],
    reason: 'Advanced imaging of the lumbar spine needs prior authorization with clinical documentation (symptom duration, conservative therapy, red flags).',
    policy: 'lumbar-spine-mri', pas: 'review',
  },
  {
    system: CPT, code: '99213', display: 'Office or other outpatient visit, established patient, low complexity',
    covered: 'covered', paNeeded: 'no-auth',
    reason: 'Office visits are covered without prior authorization.',
    policy: 'office-visits', pas: 'approve',
  },
  {
    system: HCPCS, code: 'E0601', display: 'Continuous positive airway pressure (CPAP) device',
    covered: 'covered', paNeeded: 'conditional', docNeeded: 'clinical', docPurpose: 'withpa', infoNeeded: 'OTH',
    questionnaires: [`${CPAP_QUESTIONNAIRE}|${QUESTIONNAIRE_VERSION}`],
    reason: 'Prior authorization depends on the sleep study: CPAP is authorized when a qualifying study (AHI of at least 15, or 5 with symptoms) is documented.',
    policy: 'cpap', pas: 'review',
  },
  {
    system: CPT, code: '0042T', display: 'Cerebral perfusion analysis using computed tomography',
    covered: 'not-covered',
    reason: 'Investigational service (CPT Category III): not covered by this plan.',
    policy: 'investigational-services', pas: 'deny',
  },
];

/** Accepted spellings of the code systems (HCPCS has been published under http and https). */
const SYSTEM_ALIASES = new Map([
  [CPT, CPT],
  ['http://www.ama-assn.org/go/cpt/', CPT],
  ['urn:oid:2.16.840.1.113883.6.12', CPT],
  [HCPCS, HCPCS],
  ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', HCPCS],
  ['urn:oid:2.16.840.1.113883.6.285', HCPCS],
]);

/** Code forms per system: a code of a known system in another form is a bad request. */
const CODE_FORMS = new Map([
  [CPT, { pattern: /^\d{4}[0-9A-Z]$/, expected: 'CPT: 5 characters, 4 digits then a digit or a letter (e.g. 72148, 0042T)' }],
  [HCPCS, { pattern: /^[A-Z]\d{4}$/, expected: 'HCPCS Level II: a letter then 4 digits (e.g. E0601)' }],
]);

export function canonicalSystem(system) {
  return SYSTEM_ALIASES.get(system) ?? system;
}

/**
 * Checks one coding. Returns an error message, or undefined when the coding is usable
 * (a system and a code, and the code in its system's form when the system is CPT or HCPCS).
 */
export function codingProblem(coding) {
  if (!coding || typeof coding.system !== 'string' || !coding.system || typeof coding.code !== 'string' || !coding.code) {
    return 'a coding needs both system and code';
  }
  const form = CODE_FORMS.get(canonicalSystem(coding.system));
  if (form && !form.pattern.test(coding.code)) return `code '${coding.code}' is not a valid ${form.expected}`;
  return undefined;
}

/** The rule for a coding, or undefined. */
export function ruleFor(coding) {
  const system = canonicalSystem(coding?.system);
  return RULES.find((r) => r.system === system && r.code === coding?.code);
}

/** The first coding of a CodeableConcept that has a rule, else its first coding with system and code. */
export function pickCoding(concept) {
  const codings = Array.isArray(concept?.coding) ? concept.coding : [];
  return codings.find((c) => ruleFor(c)) ?? codings.find((c) => c?.system && c?.code);
}
