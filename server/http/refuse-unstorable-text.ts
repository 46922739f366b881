// Requests carrying text PostgreSQL cannot store are refused at the edge, with a 400 that says
// so: U+0000 and half of a surrogate pair can come in a query string (`%00`) or a JSON body
// (`\u0000`), never from a person typing, and PostgreSQL refuses the first in any statement
// ("invalid byte sequence for encoding UTF8: 0x00"), which answered 500 (a Capacity Manager
// search for "a%00b", seen 2026-11-25). Mounted after the webhook receiver: HubSpot's events are
// stored whatever they hold, with those characters replaced (webhooks/jsonb-text.ts).
import type { RequestHandler } from 'express';
import { holdsUnstorableText } from '../domain/storable-text.js';
import { Problem } from './problem.js';

export function refuseUnstorableText(): RequestHandler {
  return (req, _res, next) => {
    const where = holdsUnstorableText(req.query) ? 'query string' : holdsUnstorableText(req.body) ? 'body' : null;
    if (where) {
      throw new Problem({
        status: 400,
        code: 'UNSTORABLE_TEXT',
        title: 'The request holds a character that cannot be stored',
        detail: `The ${where} holds U+0000 or half of a UTF-16 surrogate pair; send the text without it.`,
      });
    }
    next();
  };
}
