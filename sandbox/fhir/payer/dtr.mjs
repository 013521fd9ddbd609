// DTR: Questionnaire/$questionnaire-package, and the completeness check PAS uses on a QuestionnaireResponse.
import { HttpError } from '../http.mjs';
import { questionnaireByCanonical, valueSetByUrl } from './content.mjs';
import { codingProblem, pickCoding, ruleFor } from './rules.mjs';

const PACKAGE_BUNDLE_PROFILE = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/DTR-QPackageBundle';
const ORDER_TYPES = new Set(['ServiceRequest', 'MedicationRequest', 'DeviceRequest', 'NutritionOrder', 'VisionPrescription', 'CommunicationRequest', 'Appointment', 'Encounter']);

/** The code of an order resource (ServiceRequest.code, DeviceRequest.codeCodeableConcept, MedicationRequest.medicationCodeableConcept...). */
export function orderCode(order) {
  return order?.code ?? order?.codeCodeableConcept ?? order?.medicationCodeableConcept ?? order?.serviceType?.[0] ?? order?.type?.[0];
}

/**
 * POST /{base}/fhir/Questionnaire/$questionnaire-package. Input Parameters: coverage (Coverage resource, optional),
 * order (request resources, 0..*), questionnaire (canonicals, 0..*), context (string, ignored); at least one of
 * order/questionnaire/context. Output Parameters: one `PackageBundle` per Questionnaire.
 */
export async function questionnairePackage({ base, body }) {
  if (body?.resourceType !== 'Parameters') throw new HttpError(400, 'invalid', 'Body must be a Parameters resource');
  const params = Array.isArray(body.parameter) ? body.parameter : [];
  const canonicals = [];
  let hasContext = false;
  let hasOrder = false;
  for (const p of params) {
    if (p?.name === 'coverage') {
      if (p.resource?.resourceType !== 'Coverage') throw new HttpError(400, 'invalid', "Parameter 'coverage' must carry a Coverage resource");
    } else if (p?.name === 'order') {
      const order = p.resource;
      if (!ORDER_TYPES.has(order?.resourceType)) throw new HttpError(400, 'invalid', "Parameter 'order' must carry a request resource (e.g. ServiceRequest, MedicationRequest, DeviceRequest)");
      hasOrder = true;
      const coding = pickCoding(orderCode(order));
      if (!coding) throw new HttpError(400, 'invalid', `The ${order.resourceType} in 'order' has no code with a system and a code`);
      const problem = codingProblem(coding);
      if (problem) throw new HttpError(400, 'invalid', `Order code: ${problem}`);
      for (const q of ruleFor(coding)?.questionnaires ?? []) canonicals.push(q);
    } else if (p?.name === 'questionnaire') {
      const canonical = p.valueCanonical ?? p.valueUri ?? p.valueString;
      if (typeof canonical !== 'string' || !canonical) throw new HttpError(400, 'invalid', "Parameter 'questionnaire' must have a valueCanonical");
      canonicals.push(canonical);
    } else if (p?.name === 'context') {
      hasContext = true;
    }
  }
  if (!hasOrder && !canonicals.length && !hasContext) {
    throw new HttpError(400, 'invalid', "At least one of 'order', 'questionnaire' or 'context' is required (dtr-1)");
  }
  if (!canonicals.length) {
    throw new HttpError(404, 'not-found', 'No questionnaire applies: the orders need no documentation from this payer');
  }

  const bundles = [];
  const seen = new Set();
  for (const canonical of canonicals) {
    const published = questionnaireByCanonical(canonical);
    if (!published) throw new HttpError(404, 'not-found', `Unknown questionnaire: ${canonical}`);
    if (seen.has(published.id)) continue;
    seen.add(published.id);
    const questionnaire = await readStored(base, 'Questionnaire', published.id, canonical);
    const entries = [entry(base, questionnaire)];
    for (const url of valueSetUrls(questionnaire.item)) {
      const vs = valueSetByUrl(url);
      if (vs) entries.push(entry(base, await readStored(base, 'ValueSet', vs.id, url)));
    }
    bundles.push({
      resourceType: 'Bundle',
      meta: { profile: [PACKAGE_BUNDLE_PROFILE] },
      type: 'collection',
      timestamp: new Date().toISOString(),
      entry: entries,
    });
  }
  return { resourceType: 'Parameters', parameter: bundles.map((resource) => ({ name: 'PackageBundle', resource })) };
}

async function readStored(base, type, id, canonical) {
  try {
    return await base.repo.readResource(type, id);
  } catch {
    throw new HttpError(404, 'not-found', `${type} ${canonical} is no longer available on this server`);
  }
}

const entry = (base, resource) => ({ fullUrl: `${base.url}/${resource.resourceType}/${resource.id}`, resource });

function valueSetUrls(items, out = new Set()) {
  for (const item of items ?? []) {
    if (item.answerValueSet) out.add(item.answerValueSet);
    valueSetUrls(item.item, out);
  }
  return out;
}

// --- QuestionnaireResponse completeness ---------------------------------------------------------------------

/** Every answer of a QuestionnaireResponse by linkId (items nested under items and under answers). */
function answersByLinkId(items, out = new Map()) {
  for (const item of items ?? []) {
    if (item?.linkId) {
      const list = out.get(item.linkId) ?? [];
      list.push(...(item.answer ?? []));
      out.set(item.linkId, list);
    }
    answersByLinkId(item?.item, out);
    for (const a of item?.answer ?? []) answersByLinkId(a?.item, out);
  }
  return out;
}

const answerValue = (a) => {
  const key = Object.keys(a ?? {}).find((k) => k.startsWith('value'));
  return key ? a[key] : undefined;
};

function matches(condition, answer) {
  const key = Object.keys(condition).find((k) => k.startsWith('answer'));
  const expected = condition[key];
  const actual = answer?.[`value${key.slice('answer'.length)}`];
  if (actual === undefined) return false;
  if (key === 'answerCoding') {
    const equal = actual.code === expected.code && (!expected.system || actual.system === expected.system);
    return condition.operator === '!=' ? !equal : condition.operator === '=' && equal;
  }
  switch (condition.operator) {
    case '=': return actual === expected;
    case '!=': return actual !== expected;
    case '>': return actual > expected;
    case '<': return actual < expected;
    case '>=': return actual >= expected;
    case '<=': return actual <= expected;
    default: return false;
  }
}

function enabled(item, answers) {
  const conditions = item.enableWhen ?? [];
  if (!conditions.length) return true;
  const results = conditions.map((c) => {
    const given = (answers.get(c.question) ?? []).filter((a) => answerValue(a) !== undefined);
    if (c.operator === 'exists') return c.answerBoolean === given.length > 0;
    // FHIR: != is true when no answer equals the value (also when there is no answer at all)
    if (c.operator === '!=') return given.every((a) => matches(c, a));
    return given.some((a) => matches(c, a));
  });
  return item.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
}

/**
 * The required items of `questionnaire` that are enabled (enableWhen evaluated against the response) and
 * unanswered in `response`: [{ linkId, text }]. An empty list means the response is complete.
 */
export function missingAnswers(questionnaire, response) {
  const answers = answersByLinkId(response?.item);
  const missing = [];
  const walk = (items) => {
    for (const item of items ?? []) {
      if (!enabled(item, answers)) continue;
      if (item.type === 'group' || item.type === 'display') {
        walk(item.item);
        continue;
      }
      const given = (answers.get(item.linkId) ?? []).filter((a) => answerValue(a) !== undefined && answerValue(a) !== '');
      if (item.required && !given.length) missing.push({ linkId: item.linkId, text: item.text });
      walk(item.item);
    }
  };
  walk(questionnaire.item);
  return missing;
}
