// Stands in for @hubspot/project-parsing-lib's schemas.js: the component schemas written from
// HubSpot's documentation (component-schemas.json, each with its source) instead of the ones
// HubSpot serves to a logged-in account.
import { readFileSync } from 'node:fs';

const schemas = JSON.parse(readFileSync(new URL('./component-schemas.json', import.meta.url), 'utf8'));

export async function getIntermediateRepresentationSchema() {
  return schemas;
}
