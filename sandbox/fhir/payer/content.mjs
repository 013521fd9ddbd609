// What the sandbox payer publishes: DTR Questionnaires with their ValueSets (seeded as real resources in
// every payer base, so `GET Questionnaire?url=...` works as well as $questionnaire-package), and the
// policy documents its CRD cards link to.
import { SEED_LAST_UPDATED, seedId } from '../seed.mjs';
import { CPAP_QUESTIONNAIRE, LUMBAR_MRI_QUESTIONNAIRE, QUESTIONNAIRE_VERSION, RULES } from './rules.mjs';

const SITE = 'https://sandbox.fhir-gateway.local';
const DTR_QUESTIONNAIRE_PROFILE = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-std-questionnaire';
export const RED_FLAGS_VALUESET = `${SITE}/ValueSet/lumbar-mri-red-flags`;
export const SLEEP_STUDY_VALUESET = `${SITE}/ValueSet/sleep-study-types`;
const RED_FLAGS_SYSTEM = `${SITE}/CodeSystem/lumbar-mri-red-flags`;
const SLEEP_STUDY_SYSTEM = `${SITE}/CodeSystem/sleep-study-types`;

/** A ValueSet with both its definition (compose) and a ready expansion, so clients need no terminology server. */
function valueSet(name, url, title, system, concepts) {
  return {
    resourceType: 'ValueSet',
    id: seedId(`valueset-${name}`),
    url,
    version: QUESTIONNAIRE_VERSION,
    name: title.replace(/[^A-Za-z0-9]/g, ''),
    title,
    status: 'active',
    date: '2025-01-01',
    publisher: 'Sandbox Health Plan',
    compose: { include: [{ system, concept: concepts.map(([code, display]) => ({ code, display })) }] },
    expansion: {
      identifier: `urn:uuid:${seedId(`valueset-${name}-expansion`)}`,
      timestamp: '2025-01-01T00:00:00Z',
      total: concepts.length,
      contains: concepts.map(([code, display]) => ({ system, code, display })),
    },
  };
}

export const VALUE_SETS = [
  valueSet('lumbar-mri-red-flags', RED_FLAGS_VALUESET, 'Lumbar MRI red flags', RED_FLAGS_SYSTEM, [
    ['none', 'None of these'],
    ['progressive-neuro-deficit', 'Progressive or severe neurological deficit'],
    ['cauda-equina', 'Suspected cauda equina syndrome'],
    ['cancer-history', 'History of cancer'],
    ['infection-suspected', 'Suspected spinal infection'],
    ['trauma', 'Recent significant trauma'],
  ]),
  valueSet('sleep-study-types', SLEEP_STUDY_VALUESET, 'Sleep study types', SLEEP_STUDY_SYSTEM, [
    ['psg', 'In-laboratory polysomnography'],
    ['hsat', 'Home sleep apnea test'],
  ]),
];

const questionnaire = (name, url, title, item) => ({
  resourceType: 'Questionnaire',
  id: seedId(`questionnaire-${name}`),
  meta: { profile: [DTR_QUESTIONNAIRE_PROFILE] },
  url,
  version: QUESTIONNAIRE_VERSION,
  name: title.replace(/[^A-Za-z0-9]/g, ''),
  title,
  status: 'active',
  subjectType: ['Patient'],
  date: '2025-01-01',
  publisher: 'Sandbox Health Plan',
  item,
});

export const QUESTIONNAIRES = [
  questionnaire('lumbar-mri-pa', LUMBAR_MRI_QUESTIONNAIRE, 'Lumbar spine MRI prior authorization', [
    {
      linkId: 'history', type: 'group', text: 'Clinical history', required: true,
      item: [
        { linkId: 'symptom-weeks', type: 'integer', required: true, text: 'How many weeks has the low back pain lasted?' },
        { linkId: 'conservative-therapy', type: 'boolean', required: true,
          text: 'Has the patient completed at least 6 weeks of conservative therapy (physical therapy, medication)?' },
        { linkId: 'conservative-therapy-details', type: 'text', required: true,
          text: 'Describe the conservative therapy (what, when, result).',
          enableWhen: [{ question: 'conservative-therapy', operator: '=', answerBoolean: true }] },
      ],
    },
    {
      linkId: 'findings', type: 'group', text: 'Findings', required: true,
      item: [
        { linkId: 'red-flags', type: 'choice', required: true, repeats: true, answerValueSet: RED_FLAGS_VALUESET,
          text: 'Red-flag findings (select all that apply, or "None of these")' },
        { linkId: 'neuro-deficit-details', type: 'text', required: true, text: 'Describe the neurological deficit and its progression.',
          enableWhen: [{ question: 'red-flags', operator: '=', answerCoding: { system: RED_FLAGS_SYSTEM, code: 'progressive-neuro-deficit' } }] },
        { linkId: 'prior-imaging', type: 'boolean', text: 'Has the lumbar spine been imaged in the last 12 months?' },
      ],
    },
  ]),
  questionnaire('cpap-pa', CPAP_QUESTIONNAIRE, 'CPAP device prior authorization', [
    { linkId: 'sleep-study-done', type: 'boolean', required: true, text: 'Has a sleep study been performed?' },
    { linkId: 'sleep-study-type', type: 'choice', required: true, answerValueSet: SLEEP_STUDY_VALUESET, text: 'Which type of sleep study?',
      enableWhen: [{ question: 'sleep-study-done', operator: '=', answerBoolean: true }] },
    { linkId: 'ahi', type: 'decimal', required: true, text: 'Apnea-hypopnea index (events per hour)',
      enableWhen: [{ question: 'sleep-study-done', operator: '=', answerBoolean: true }] },
    { linkId: 'face-to-face', type: 'boolean', required: true, text: 'Was there a face-to-face clinical evaluation before the sleep study?' },
  ]),
];

/** Creates the payer's Questionnaires and ValueSets in a base's repository (same pinned clock as seed.mjs). */
export async function seedPayerContent(repo) {
  const clock = repo.now;
  repo.now = () => SEED_LAST_UPDATED;
  try {
    for (const resource of [...VALUE_SETS, ...QUESTIONNAIRES]) await repo.createResource(resource);
  } finally {
    repo.now = clock;
  }
}

// --- Policy documents ------------------------------------------------------------------------------------

const POLICY_TEXT = {
  'lumbar-spine-mri': ['Lumbar spine MRI', [
    'CPT 72148 (MRI lumbar spine without contrast) is covered and needs prior authorization.',
    'Submit the "Lumbar spine MRI prior authorization" questionnaire with the request: symptom duration, at least 6 weeks of conservative therapy, and red-flag findings.',
    'Red flags (progressive neurological deficit, suspected cauda equina syndrome, cancer, infection, trauma) support imaging without conservative therapy.',
  ]],
  'office-visits': ['Office visits', ['CPT 99213 (established patient office visit) is covered without prior authorization.']],
  cpap: ['CPAP devices', [
    'HCPCS E0601 (CPAP device) is covered. Prior authorization depends on the sleep study.',
    'Submit the "CPAP device prior authorization" questionnaire: study type, apnea-hypopnea index, and the face-to-face evaluation.',
  ]],
  'investigational-services': ['Investigational services', [
    'CPT Category III codes such as 0042T (CT cerebral perfusion analysis) describe emerging technology and are not covered.',
  ]],
};

/** Ids of the policies the rules link to. */
export const POLICY_IDS = [...new Set(RULES.map((r) => r.policy))];

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A small HTML page for a policy id, or undefined. */
export function policyHtml(id, payerName) {
  const policy = POLICY_TEXT[id];
  if (!policy) return undefined;
  const [title, paragraphs] = policy;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - ${escapeHtml(payerName)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p><em>${escapeHtml(payerName)} coverage policy ${escapeHtml(id)} (sandbox, not real guidance)</em></p>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</body></html>
`;
}

/** Finds a payer Questionnaire by canonical (`url` or `url|version`). */
export function questionnaireByCanonical(canonical) {
  const [url, version] = String(canonical).split('|');
  return QUESTIONNAIRES.find((q) => q.url === url && (!version || q.version === version));
}

export function valueSetByUrl(url) {
  const [u, version] = String(url).split('|');
  return VALUE_SETS.find((v) => v.url === u && (!version || v.version === version));
}
