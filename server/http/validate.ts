// Input validation at the edge: a route parses what it receives before anything else happens,
// so a rejected request has changed nothing.
import type { Request } from 'express';
import type { z } from 'zod';
import { invalidRequest } from './problem.js';

export function parseInput<S extends z.ZodType>(schema: S, req: Request, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(req[where]);
  if (!result.success) throw invalidRequest(result.error, where);
  return result.data;
}
