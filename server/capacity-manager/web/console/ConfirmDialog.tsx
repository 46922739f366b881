// A question before a change the program feels: the title, what will happen (or the field to
// change), Cancel and the confirming button. A native modal <dialog> (focus stays inside and
// starts on Cancel, or on `initialFocus`; Escape cancels); a refusal from the server is shown
// inside, and the dialog stays open for it.
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage } from './use-load-on-open.js';

export function ConfirmDialog({
  title,
  confirmLabel,
  onCancel,
  onConfirm,
  initialFocus,
  children,
}: {
  title: string;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
  /** What has the focus when the dialog opens (a field to fill in); Cancel when not given. */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const { t } = useConsoleI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  useEffect(() => {
    dialog.current?.showModal();
    (initialFocus?.current ?? cancelButton.current)?.focus();
  }, [initialFocus]);

  const cancel = () => {
    dialog.current?.close();
    onCancel();
  };
  const confirm = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (failure) {
      setError(failureMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) cancel();
      }}
    >
      <form onSubmit={(event) => void confirm(event)}>
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" ref={cancelButton} className="button button-secondary" onClick={cancel} disabled={busy}>
            {t.confirm.cancel}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
