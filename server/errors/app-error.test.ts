import { describe, expect, it } from 'vitest';
import { AppError, retryingCannotFix } from './app-error.js';

class PortalGoneError extends AppError {
  constructor() {
    super({ kind: 'not_found', code: 'PORTAL_GONE', message: 'The portal is gone. Install the app again.' });
  }
}

describe('AppError', () => {
  it('carries its code, kind, sentence and a title for its kind, and keeps the subclass', () => {
    const error = new PortalGoneError();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'PORTAL_GONE', kind: 'not_found', message: 'The portal is gone. Install the app again.', title: 'Not found', name: 'PortalGoneError' });
  });

  it.each([
    ['invalid', true],
    ['forbidden', true],
    ['not_found', true],
    ['conflict', false],
    ['unavailable', false],
  ] as const)('a %s error is one retrying cannot fix: %s', (kind, permanent) => {
    expect(retryingCannotFix(new AppError({ kind, code: 'X', message: 'x' }))).toBe(permanent);
  });

  it('says nothing about errors that are not AppErrors', () => {
    expect(retryingCannotFix(new Error('connection reset'))).toBe(false);
    expect(retryingCannotFix({ kind: 'invalid' })).toBe(false);
  });
});
