// Who the sandbox payer is and whom it insures: its members are the active Coverages in its own base
// whose payor is the seeded payer Organization.
import { PAYER_ORGANIZATION_ID } from '../seed.mjs';

/** e.g. "Sandbox Health Plan (payer-a)" (the seeded payer Organization's name). */
export const payerName = (base) => `Sandbox Health Plan (${base.name})`;

/** e.g. http://127.0.0.1:4180/payer-a (where cds-services and policies live). */
export const payerRoot = (base) => base.url.replace(/\/fhir$/, '');

/**
 * The payer's own active Coverage matching a Coverage sent by a client (same subscriberId, or the same id when
 * the client's has no subscriberId), or undefined when the payer does not insure it.
 */
export async function findMember(base, coverage) {
  if (coverage?.resourceType !== 'Coverage') return undefined;
  const own = await base.repo.searchResources({ resourceType: 'Coverage', count: 1000 });
  return own.find(
    (c) =>
      c.status === 'active' &&
      (c.payor ?? []).some((p) => p?.reference === `Organization/${PAYER_ORGANIZATION_ID}`) &&
      (coverage.subscriberId ? c.subscriberId === coverage.subscriberId : c.id === coverage.id)
  );
}
