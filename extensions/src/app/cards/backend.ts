// Where the card's backend is: the app's public URL (the server's PUBLIC_URL). It must also be
// listed in app.json's permitted fetch URLs; card-api-contract.test.ts checks that the two agree.
// Change both when deploying the app somewhere else.
export const BACKEND_URL = 'https://partner-capacity.example.com';
