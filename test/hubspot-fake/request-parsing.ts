// Parsing what a client sends, at the edge: JSON bodies through zod, query parameters that may
// come repeated (`properties=a&properties=b`) or comma-separated (`properties=a,b`, which is how
// @hubspot/api-client sends arrays). A body HubSpot would refuse answers 400 VALIDATION_ERROR.
import type { z } from 'zod';
import { validationError } from './errors.js';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const details = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    // HubSpot words these "Invalid input JSON on line …"; the details differ, the category does not.
    throw validationError(
      `Invalid input JSON: ${details.join('; ')}`,
      details.map((message) => ({ message, code: 'INVALID_INPUT' })),
    );
  }
  return result.data;
}

export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values
    .filter((entry): entry is string => typeof entry === 'string')
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function stringParam(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function booleanParam(value: unknown): boolean {
  return stringParam(value) === 'true';
}

export function integerParam(value: unknown, name: string, fallback: number): number {
  const raw = stringParam(value);
  if (raw === undefined || raw === '') return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) throw validationError(`${name} must be a non-negative integer, got ${raw}`);
  return parsed;
}
