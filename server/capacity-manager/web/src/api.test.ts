import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from './api.js';

afterEach(() => vi.unstubAllGlobals());

/** An answer whose body fails while it is read, as a fetch aborted mid-body does. */
function answerWhoseBodyFails(failure: Error): Response {
  const response = new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
  Object.defineProperty(response, 'json', { value: () => Promise.reject(failure) });
  return response;
}

describe('call', () => {
  it('an abort while the body is still arriving stays an abort, never an empty answer', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    vi.stubGlobal('fetch', () => Promise.resolve(answerWhoseBodyFails(abort)));
    await expect(call('/api/deregistrations?limit=5', { signal: controller.signal })).rejects.toBe(abort);
  });

  it('a 2xx body that is not JSON, without an abort, is still the empty answer it was', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(answerWhoseBodyFails(new SyntaxError('Unexpected end of JSON input'))));
    await expect(call('/api/anything')).resolves.toEqual({});
  });
});
