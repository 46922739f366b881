// For the contract tests: an HTTP answer read as its contract says it is, or a failure that
// shows what did not fit (the schema's complaint and the body).
import { expect } from 'vitest';
import { z } from 'zod';
import { problemSchema } from '../openapi-document.js';

export async function parseAnswer<S extends z.ZodType>(response: Response, status: number, schema: S): Promise<z.infer<S>> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const result = schema.safeParse(JSON.parse(text));
  if (!result.success) throw new Error(`${response.url} answered outside its contract:\n${z.prettifyError(result.error)}\n${text}`);
  return result.data;
}

/** An error answer: a problem document with this status and code. */
export async function parseProblem(response: Response, status: number, code: string): Promise<z.infer<typeof problemSchema>> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(JSON.parse(text));
  expect(problem.code).toBe(code);
  return problem;
}
