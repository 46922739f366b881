/** The largest request body any endpoint accepts (HubSpot sends at most 1 MB too). */
export const BODY_LIMIT = '1mb';
