// Loads a console view's data when it opens (and again when `load` changes: new filters), and
// abandons the request when the view closes first, so a late answer never lands in a view that
// is gone.
import { useEffect } from 'react';
import { ApiError } from './console-api.js';

export function useLoadOnOpen(load: (signal: AbortSignal) => Promise<void>): void {
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);
}

/** What a failed request says in the page: the server's reason, or the page's own words. */
export function failureMessage(failure: unknown, t: { errors: { generic: string } }): string {
  return failure instanceof ApiError ? failure.message : t.errors.generic;
}
