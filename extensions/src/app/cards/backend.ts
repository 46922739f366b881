// Where the card's backend is: the app's public URL (the server's PUBLIC_URL), which app-hsmeta.json
// also lists as the permitted fetch URL. Written by `npm run hubspot:configure -- --public-url …`
// together with every other place HubSpot needs the URL; scripts/hubspot-configure.test.ts keeps
// them equal.
export const BACKEND_URL = 'https://partner-capacity.example.com';
