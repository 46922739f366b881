// Links to records in HubSpot's own interface, for people (the card, the Capacity Manager).
//
// A contact's record is `https://{uiDomain}/contacts/{portalId}/record/0-1/{contactId}` ("0-1" is
// the contacts object type). The interface's host depends on where the account's data lives:
// app.hubspot.com, or app-eu1.hubspot.com for EU-hosted accounts. HubSpot says which in the
// account details (`GET /account-info/v3/details` → `uiDomain`, e.g. "app-eu1.hubspot.com";
// developers.hubspot.com/docs/api-reference/account-account-info-v3/details/get-account-info-v3-details).
// The card's own context does not say (@hubspot/ui-extensions 0.17, PortalContext: id and
// timezone only), so the app reads it at install (install/complete-install.ts) and keeps it on
// the portal (Portal.uiDomain). A portal installed before that has none yet: its links use the
// default host until its next install or sign-in through HubSpot.
export const DEFAULT_HUBSPOT_UI_DOMAIN = 'app.hubspot.com';

export function contactRecordUrl(portalId: number, contactId: string, uiDomain: string = DEFAULT_HUBSPOT_UI_DOMAIN): string {
  return `https://${uiDomain}/contacts/${portalId}/record/0-1/${encodeURIComponent(contactId)}`;
}
