// The demo portal's identity, apart from the demo's HubSpot sandbox: the Capacity Manager's demo
// sign-in needs the id, and production builds must not pull the sandbox (test/hubspot-fake) in.
export const DEMO_PORTAL_ID = 24681357;
export const DEMO_PORTAL_NAME = 'Northwind Digital (demo)';
