// Creates the app's property group and contact properties in a portal; existing ones are left
// as they are, so this is safe to run at every install.
import { PROPERTY_DEFINITIONS, PROPERTY_GROUP } from '../hubspot/app-properties.js';
import type { PortalHubSpotApi } from '../hubspot/hubspot-api.js';

export async function ensureAppProperties(api: PortalHubSpotApi): Promise<void> {
  await api.ensurePropertyGroup(PROPERTY_GROUP);
  for (const property of PROPERTY_DEFINITIONS) await api.ensureProperty(property);
}
