// Before the new-contact rule is turned on: what it would have done over the last 30 days of the
// contact mirror (server/portals/preview-auto-register.ts), and the warning that it can fill the
// capacity. When the user has asked to turn it on, one confirmation does it.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type AutoRegisterPreview as Preview } from './api.js';
import { useI18n } from './i18n.js';

export function AutoRegisterPreview({ confirming, onConfirm, onCancel }: { confirming: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t, number, counted } = useI18n();
  const words = t.settings.preview;
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    api
      .autoRegisterPreview()
      .then(setPreview)
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : t.errors.generic));
  }, [t]);
  // Asked to turn it on: the choice is next, with the figures and the warning just above it.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  return (
    <section className="auto-register-preview" aria-labelledby="auto-register-preview-heading" data-testid="auto-register-preview">
      <h3 id="auto-register-preview-heading" className="recent-jobs-heading">
        {words.heading(number(preview?.days ?? 30))}
      </h3>
      {error && (
        <p className="job-error" role="alert">
          {error}
        </p>
      )}
      {preview ? (
        <ul className="preview-figures">
          <li>{counted(preview.contacts, words.contacts)}</li>
          <li>{counted(preview.wouldRegister, words.wouldRegister)}</li>
          {preview.refusedForCapacity > 0 && <li className="preview-refused">{counted(preview.refusedForCapacity, words.refusedForCapacity)}</li>}
          {preview.alreadyRegistered > 0 && <li>{counted(preview.alreadyRegistered, words.alreadyRegistered)}</li>}
          {preview.notRegistrable > 0 && <li>{counted(preview.notRegistrable, words.notRegistrable)}</li>}
          <li>
            <strong>{words.remaining(number(preview.remainingAfter), number(preview.remainingNow))}</strong>
          </li>
        </ul>
      ) : (
        !error && <p>{t.loading}</p>
      )}
      <div className="alert alert-warning" data-testid="auto-register-warning">
        {words.warning}
      </div>
      {confirming && (
        <div className="dialog-actions preview-actions">
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {words.cancel}
          </button>
          <button ref={confirmButton} type="button" className="button button-primary" onClick={onConfirm}>
            {words.confirm}
          </button>
        </div>
      )}
    </section>
  );
}
