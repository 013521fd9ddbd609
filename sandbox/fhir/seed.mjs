// The data every base starts with. Identical in every base except where the base name is shown on purpose
// (organisation names, the MRN identifier system), so tests can tell bases apart.
// Deterministic: fixed ids (from fixtures.mjs or derived from a name), fixed dates, fixed lastUpdated.
import { createHash } from 'node:crypto';
import { PATIENT_ID, PRACTITIONER_ID, SECOND_PATIENT_ID } from '../fixtures.mjs';

/** meta.lastUpdated of every seeded resource (their versionId is "1"). */
export const SEED_LAST_UPDATED = '2025-01-01T00:00:00.000Z';

/** A stable UUID derived from a name, so non-fixture ids are the same on every start and in every base. */
export function seedId(name) {
  const h = createHash('sha1').update(`fhir-gateway-sandbox:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const PAYER_ORGANIZATION_ID = seedId('organization-payer');
export const CLINIC_ORGANIZATION_ID = seedId('organization-clinic');
export const COVERAGE_ID = seedId('coverage-alice');
export const QUESTIONNAIRE_ID = seedId('questionnaire-health-check-in');

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const UCUM = 'http://unitsofmeasure.org';
const CPT = 'http://www.ama-assn.org/go/cpt';

const ref = (type, id, display) => ({ reference: `${type}/${id}`, ...(display ? { display } : {}) });
const coding = (system, code, display) => ({ system, code, display });
const concept = (text, ...codings) => ({ coding: codings, text });
const alice = ref('Patient', PATIENT_ID, 'Alice Sandbox');
const bob = ref('Patient', SECOND_PATIENT_ID, 'Bob Example');
const carol = ref('Practitioner', PRACTITIONER_ID, 'Dr. Carol Clinician');

const obsCategory = (code, display) =>
  [concept(display, coding('http://terminology.hl7.org/CodeSystem/observation-category', code, display))];
const clinicalStatus = (code) =>
  concept(code, coding('http://terminology.hl7.org/CodeSystem/condition-clinical', code));
const verified = concept('confirmed', coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed'));
const quantity = (value, unit, code = unit) => ({ value, unit, system: UCUM, code });

/** Alice's visits: each has an Encounter, labs and vital signs. */
const ALICE_VISITS = ['2024-01-15', '2024-04-16', '2024-07-17', '2024-10-15'];

/** Returns the seed resources for one base, in insertion order (also the default search order). */
export function seedResources(base) {
  const resources = [];
  const add = (r) => {
    resources.push(r);
    return r;
  };

  // --- Organisations, practitioner, patients ---------------------------------------------------------
  add({
    resourceType: 'Organization',
    id: PAYER_ORGANIZATION_ID,
    active: true,
    identifier: [{ system: `https://sandbox.fhir-gateway.local/${base}/payer-id`, value: 'SBX-PAYER-01' }],
    type: [concept('Payer', coding('http://terminology.hl7.org/CodeSystem/organization-type', 'pay', 'Payer'))],
    name: `Sandbox Health Plan (${base})`,
    telecom: [{ system: 'phone', value: '+1-555-0100', use: 'work' }],
    address: [{ line: ['1 Insurance Way'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }],
  });
  add({
    resourceType: 'Organization',
    id: CLINIC_ORGANIZATION_ID,
    active: true,
    type: [concept('Healthcare Provider', coding('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider'))],
    name: `Sandbox Family Clinic (${base})`,
    address: [{ line: ['200 Main Street'], city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' }],
  });
  add({
    resourceType: 'Practitioner',
    id: PRACTITIONER_ID,
    active: true,
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
    name: [{ use: 'official', family: 'Clinician', given: ['Carol'], prefix: ['Dr.'] }],
    telecom: [{ system: 'email', value: 'carol.clinician@example.org', use: 'work' }],
    gender: 'female',
    qualification: [{ code: concept('Doctor of Medicine', coding('http://terminology.hl7.org/CodeSystem/v2-0360', 'MD', 'Doctor of Medicine')) }],
  });
  add({
    resourceType: 'Patient',
    id: PATIENT_ID,
    active: true,
    identifier: [
      {
        use: 'usual',
        type: concept('Medical record number', coding('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical record number')),
        system: `https://sandbox.fhir-gateway.local/${base}/mrn`,
        value: 'MRN-100001',
      },
    ],
    name: [{ use: 'official', family: 'Sandbox', given: ['Alice', 'Marie'] }],
    telecom: [
      { system: 'phone', value: '+1-555-0123', use: 'mobile' },
      { system: 'email', value: 'alice.sandbox@example.org' },
    ],
    gender: 'female',
    birthDate: '1985-04-12',
    address: [{ use: 'home', line: ['42 Elm Street', 'Apt 3'], city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' }],
    maritalStatus: concept('Married', coding('http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', 'M', 'Married')),
    communication: [{ language: concept('English', coding('urn:ietf:bcp:47', 'en-US', 'English (United States)')), preferred: true }],
    generalPractitioner: [carol],
    managingOrganization: ref('Organization', CLINIC_ORGANIZATION_ID),
  });
  add({
    resourceType: 'Patient',
    id: SECOND_PATIENT_ID,
    active: true,
    identifier: [{ use: 'usual', system: `https://sandbox.fhir-gateway.local/${base}/mrn`, value: 'MRN-100002' }],
    name: [{ use: 'official', family: 'Example', given: ['Bob'] }],
    gender: 'male',
    birthDate: '1972-09-03',
    address: [{ use: 'home', line: ['7 Oak Avenue'], city: 'Springfield', state: 'IL', postalCode: '62702', country: 'US' }],
    generalPractitioner: [carol],
  });

  // --- Encounters ----------------------------------------------------------------------------------
  const encounter = (name, patient, date, cls, type, reason) =>
    add({
      resourceType: 'Encounter',
      id: seedId(name),
      status: 'finished',
      class: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', cls, cls === 'AMB' ? 'ambulatory' : 'emergency'),
      type: [type],
      subject: patient,
      participant: [{ individual: carol }],
      period: { start: `${date}T09:00:00Z`, end: `${date}T09:40:00Z` },
      reasonCode: [reason],
      serviceProvider: ref('Organization', CLINIC_ORGANIZATION_ID),
    });
  const checkUp = concept('Follow-up encounter', coding(SNOMED, '390906007', 'Follow-up encounter (procedure)'));
  const diabetes = concept('Type 2 diabetes mellitus', coding(SNOMED, '44054006', 'Diabetes mellitus type 2 (disorder)'), coding(ICD10, 'E11.9', 'Type 2 diabetes mellitus without complications'));
  const edVisit = encounter('encounter-alice-ed', alice, '2023-02-20', 'EMER',
    concept('Emergency room admission', coding(SNOMED, '50849002', 'Emergency room admission (procedure)')),
    concept('Acute bronchitis', coding(SNOMED, '10509002', 'Acute bronchitis (disorder)')));
  const visits = ALICE_VISITS.map((date, i) => encounter(`encounter-alice-${i + 1}`, alice, date, 'AMB', checkUp, diabetes));
  const bobVisit = encounter('encounter-bob-1', bob, '2024-05-06', 'AMB', checkUp,
    concept('Hyperlipidemia', coding(SNOMED, '55822004', 'Hyperlipidemia (disorder)')));

  // --- Observations: vital signs and labs in date order ----------------------------------------------
  const observation = (name, patient, when, category, code, value, enc) =>
    add({
      resourceType: 'Observation',
      id: seedId(name),
      status: 'final',
      category: category === 'laboratory' ? obsCategory('laboratory', 'Laboratory') : obsCategory('vital-signs', 'Vital Signs'),
      code,
      subject: patient,
      ...(enc ? { encounter: ref('Encounter', enc.id) } : {}),
      effectiveDateTime: when,
      issued: when.replace(/T.*$/, 'T12:00:00.000Z'),
      performer: [carol],
      ...value,
    });
  const lab = (system, code, display, text, unit, low, high) => (v) => ({
    valueQuantity: quantity(v, unit),
    referenceRange: [{ low: quantity(low, unit), high: quantity(high, unit) }],
    code: concept(text, coding(system, code, display)),
  });
  const labs = {
    glucose: lab(LOINC, '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'Glucose', 'mg/dL', 70, 99),
    hba1c: lab(LOINC, '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'Hemoglobin A1c', '%', 4, 5.6),
    creatinine: lab(LOINC, '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'Creatinine', 'mg/dL', 0.5, 1.1),
  };
  const labValues = { glucose: [142, 128, 118, 110], hba1c: [8.1, 7.4, 6.9, 6.6], creatinine: [0.9, 0.92, 0.88, 0.95] };
  const vitalCodes = {
    heartRate: concept('Heart rate', coding(LOINC, '8867-4', 'Heart rate')),
    weight: concept('Body weight', coding(LOINC, '29463-7', 'Body weight')),
    bp: concept('Blood pressure panel', coding(LOINC, '85354-9', 'Blood pressure panel with all children optional')),
  };
  const bpValue = (sys, dia) => ({
    component: [
      { code: concept('Systolic blood pressure', coding(LOINC, '8480-6', 'Systolic blood pressure')), valueQuantity: quantity(sys, 'mm[Hg]') },
      { code: concept('Diastolic blood pressure', coding(LOINC, '8462-4', 'Diastolic blood pressure')), valueQuantity: quantity(dia, 'mm[Hg]') },
    ],
  });
  const vital = (name, when, key, value, enc) =>
    observation(name, alice, when, 'vital-signs', vitalCodes[key], value, enc);

  // A home reading before the first visit.
  vital('obs-alice-hr-0', '2023-11-20T08:15:00Z', 'heartRate', { valueQuantity: quantity(80, '/min') });
  vital('obs-alice-bp-0', '2023-11-20T08:16:00Z', 'bp', bpValue(144, 92));
  const hr = [78, 74, 72, 70];
  const weight = [84.0, 82.5, 81.2, 80.1];
  const bp = [[140, 90], [134, 86], [130, 84], [127, 82]];
  ALICE_VISITS.forEach((date, i) => {
    const enc = visits[i];
    const at = (min) => `${date}T09:${String(min).padStart(2, '0')}:00Z`;
    vital(`obs-alice-hr-${i + 1}`, at(5), 'heartRate', { valueQuantity: quantity(hr[i], '/min') }, enc);
    vital(`obs-alice-weight-${i + 1}`, at(6), 'weight', { valueQuantity: quantity(weight[i], 'kg') }, enc);
    vital(`obs-alice-bp-${i + 1}`, at(7), 'bp', bpValue(...bp[i]), enc);
    for (const [key, make] of Object.entries(labs)) {
      const { code, ...value } = make(labValues[key][i]);
      observation(`obs-alice-${key}-${i + 1}`, alice, at(30), 'laboratory', code, value, enc);
    }
  });
  // Home readings after the last visit.
  vital('obs-alice-hr-5', '2024-12-03T07:45:00Z', 'heartRate', { valueQuantity: quantity(69, '/min') });
  vital('obs-alice-weight-5', '2024-12-03T07:46:00Z', 'weight', { valueQuantity: quantity(79.6, 'kg') });
  vital('obs-alice-bp-5', '2024-12-03T07:47:00Z', 'bp', bpValue(126, 80));
  // Bob has a few of his own, so patient filters matter.
  observation('obs-bob-hr-1', bob, '2024-05-06T10:05:00Z', 'vital-signs', vitalCodes.heartRate, { valueQuantity: quantity(66, '/min') }, bobVisit);
  observation('obs-bob-weight-1', bob, '2024-05-06T10:06:00Z', 'vital-signs', vitalCodes.weight, { valueQuantity: quantity(91.3, 'kg') }, bobVisit);
  {
    const { code, ...value } = labs.glucose(96);
    observation('obs-bob-glucose-1', bob, '2024-05-06T10:30:00Z', 'laboratory', code, value, bobVisit);
  }

  // --- Conditions ------------------------------------------------------------------------------------
  const condition = (name, patient, code, status, category, extra) =>
    add({
      resourceType: 'Condition',
      id: seedId(name),
      clinicalStatus: clinicalStatus(status),
      verificationStatus: verified,
      category: [concept(category, coding('http://terminology.hl7.org/CodeSystem/condition-category', category))],
      code,
      subject: patient,
      recorder: carol,
      ...extra,
    });
  condition('condition-alice-diabetes', alice, diabetes, 'active', 'problem-list-item', {
    onsetDateTime: '2019-06-03', recordedDate: '2019-06-03',
  });
  condition('condition-alice-hypertension', alice,
    concept('Essential hypertension', coding(SNOMED, '59621000', 'Essential hypertension (disorder)'), coding(ICD10, 'I10', 'Essential (primary) hypertension')),
    'active', 'problem-list-item', { onsetDateTime: '2021-02-11', recordedDate: '2021-02-11' });
  condition('condition-alice-bronchitis', alice,
    concept('Acute bronchitis', coding(SNOMED, '10509002', 'Acute bronchitis (disorder)'), coding(ICD10, 'J20.9', 'Acute bronchitis, unspecified')),
    'resolved', 'encounter-diagnosis', {
      encounter: ref('Encounter', edVisit.id), onsetDateTime: '2023-02-18', abatementDateTime: '2023-03-06', recordedDate: '2023-02-20',
    });
  condition('condition-bob-hyperlipidemia', bob,
    concept('Hyperlipidemia', coding(SNOMED, '55822004', 'Hyperlipidemia (disorder)'), coding(ICD10, 'E78.5', 'Hyperlipidemia, unspecified')),
    'active', 'problem-list-item', { onsetDateTime: '2020-10-01', recordedDate: '2020-10-01' });

  // --- Medications and allergies ---------------------------------------------------------------------
  const medicationRequest = (name, patient, status, med, authoredOn, dosage, extra) =>
    add({
      resourceType: 'MedicationRequest',
      id: seedId(name),
      status,
      intent: 'order',
      medicationCodeableConcept: med,
      subject: patient,
      authoredOn,
      requester: carol,
      dosageInstruction: [{ text: dosage }],
      ...extra,
    });
  medicationRequest('medreq-alice-metformin', alice, 'active',
    concept('Metformin 500 mg ER tablet', coding(RXNORM, '860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet')),
    '2019-06-03', 'Take 1 tablet by mouth once daily with the evening meal', {
      reasonReference: [ref('Condition', seedId('condition-alice-diabetes'))],
      dispenseRequest: { numberOfRepeatsAllowed: 3, quantity: quantity(90, 'tablet', '{tbl}'), expectedSupplyDuration: { value: 90, unit: 'days', system: UCUM, code: 'd' } },
    });
  medicationRequest('medreq-alice-lisinopril', alice, 'active',
    concept('Lisinopril 10 mg tablet', coding(RXNORM, '314076', 'lisinopril 10 MG Oral Tablet')),
    '2021-02-11', 'Take 1 tablet by mouth once daily', {
      reasonReference: [ref('Condition', seedId('condition-alice-hypertension'))],
    });
  medicationRequest('medreq-alice-acetaminophen', alice, 'completed',
    concept('Acetaminophen 325 mg tablet', coding(RXNORM, '313782', 'acetaminophen 325 MG Oral Tablet')),
    '2023-02-20', 'Take 2 tablets by mouth every 6 hours as needed for fever', { encounter: ref('Encounter', edVisit.id) });
  medicationRequest('medreq-bob-atorvastatin', bob, 'active',
    concept('Atorvastatin 20 mg tablet', coding(RXNORM, '617310', 'atorvastatin 20 MG Oral Tablet')),
    '2020-10-01', 'Take 1 tablet by mouth once daily');

  add({
    resourceType: 'AllergyIntolerance',
    id: seedId('allergy-alice-penicillin'),
    clinicalStatus: concept('Active', coding('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active')),
    verificationStatus: concept('Confirmed', coding('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed', 'Confirmed')),
    type: 'allergy',
    category: ['medication'],
    criticality: 'high',
    code: concept('Penicillin allergy', coding(SNOMED, '91936005', 'Allergy to penicillin (finding)')),
    patient: alice,
    onsetDateTime: '2004-08-01',
    recordedDate: '2015-03-10',
    recorder: carol,
    reaction: [{ manifestation: [concept('Hives', coding(SNOMED, '126485001', 'Urticaria (disorder)'))], severity: 'moderate' }],
  });

  // --- Coverage and claims -----------------------------------------------------------------------------
  const payer = ref('Organization', PAYER_ORGANIZATION_ID, `Sandbox Health Plan (${base})`);
  add({
    resourceType: 'Coverage',
    id: COVERAGE_ID,
    status: 'active',
    type: concept('Extended healthcare', coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'EHCPOL', 'extended healthcare')),
    subscriber: alice,
    subscriberId: 'SBX-100200300',
    beneficiary: alice,
    relationship: concept('Self', coding('http://terminology.hl7.org/CodeSystem/subscriber-relationship', 'self', 'Self')),
    period: { start: '2024-01-01' },
    payor: [payer],
    class: [
      { type: concept('Group', coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'group')), value: 'GRP-4242', name: 'Sandbox Employer Group' },
      { type: concept('Plan', coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'plan')), value: 'PLAN-GOLD', name: 'Gold PPO' },
    ],
  });
  const money = (value) => ({ value, currency: 'USD' });
  const adjudication = (submitted, paid) => [
    { category: concept('Submitted Amount', coding('http://terminology.hl7.org/CodeSystem/adjudication', 'submitted')), amount: money(submitted) },
    { category: concept('Benefit Amount', coding('http://terminology.hl7.org/CodeSystem/adjudication', 'benefit')), amount: money(paid) },
  ];
  const eob = (name, claimType, date, enc, items) => {
    const submitted = items.reduce((s, it) => s + it.submitted, 0);
    const paid = items.reduce((s, it) => s + it.paid, 0);
    return add({
      resourceType: 'ExplanationOfBenefit',
      id: seedId(name),
      status: 'active',
      type: concept(claimType, coding('http://terminology.hl7.org/CodeSystem/claim-type', claimType)),
      use: 'claim',
      patient: alice,
      billablePeriod: { start: date, end: date },
      created: `${date}T18:00:00Z`,
      insurer: payer,
      provider: ref('Organization', CLINIC_ORGANIZATION_ID, `Sandbox Family Clinic (${base})`),
      outcome: 'complete',
      insurance: [{ focal: true, coverage: ref('Coverage', COVERAGE_ID) }],
      item: items.map((it, i) => ({
        sequence: i + 1,
        productOrService: it.code,
        servicedDate: date,
        ...(enc ? { encounter: [ref('Encounter', enc.id)] } : {}),
        net: money(it.submitted),
        adjudication: adjudication(it.submitted, it.paid),
      })),
      total: [
        { category: concept('Submitted Amount', coding('http://terminology.hl7.org/CodeSystem/adjudication', 'submitted')), amount: money(submitted) },
        { category: concept('Benefit Amount', coding('http://terminology.hl7.org/CodeSystem/adjudication', 'benefit')), amount: money(paid) },
      ],
      payment: { date: date.replace(/-\d\d$/, '-28'), amount: money(paid) },
    });
  };
  eob('eob-alice-visit-2', 'professional', ALICE_VISITS[1], visits[1], [
    { code: concept('Office visit, established patient', coding(CPT, '99213', 'Office or other outpatient visit, established patient')), submitted: 150, paid: 120 },
    { code: concept('Hemoglobin A1c', coding(CPT, '83036', 'Hemoglobin; glycosylated (A1C)')), submitted: 45, paid: 36 },
  ]);
  eob('eob-alice-metformin', 'pharmacy', '2024-04-20', undefined, [
    { code: concept('Metformin 500 mg ER tablet', coding(RXNORM, '860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet')), submitted: 30, paid: 25 },
  ]);

  // --- Questionnaire ---------------------------------------------------------------------------------
  add({
    resourceType: 'Questionnaire',
    id: QUESTIONNAIRE_ID,
    url: 'https://sandbox.fhir-gateway.local/Questionnaire/health-check-in',
    version: '1.0.0',
    name: 'HealthCheckIn',
    title: 'Health check-in',
    status: 'active',
    subjectType: ['Patient'],
    date: '2024-01-01',
    item: [
      { linkId: 'general-health', text: 'How would you rate your health in general?', type: 'choice', required: true,
        answerOption: ['Excellent', 'Good', 'Fair', 'Poor'].map((t) => ({ valueCoding: coding('https://sandbox.fhir-gateway.local/CodeSystem/general-health', t.toLowerCase(), t) })) },
      { linkId: 'smoker', text: 'Do you currently smoke tobacco?', type: 'boolean', required: true },
      { linkId: 'cigarettes-per-day', text: 'How many cigarettes do you smoke per day?', type: 'integer',
        enableWhen: [{ question: 'smoker', operator: '=', answerBoolean: true }] },
      { linkId: 'notes', text: 'Anything else you would like us to know?', type: 'text' },
    ],
  });

  return resources;
}

/** Creates the seed resources in a SandboxRepository with the fixed ids and a pinned clock. */
export async function seedRepository(repo, base) {
  const clock = repo.now;
  repo.now = () => SEED_LAST_UPDATED;
  try {
    for (const resource of seedResources(base)) {
      await repo.createResource(resource);
    }
  } finally {
    repo.now = clock;
  }
}
