// "Deregister N domains?": what deregistering means, exactly which domains, and the capacity it
// frees; Yes, deregister starts the job. A native modal <dialog>: focus stays inside, Escape
// cancels, and focus returns to where it was when it closes.
import { useEffect, useId, useRef, useState } from 'react';
import { api, type CapacityInfo, type SortDirection, type SortField } from './api.js';
import { useI18n } from './i18n.js';

export type PendingSelection =
  | { kind: 'ids'; domains: string[] }
  | { kind: 'matching'; search: string; registeredBefore?: string; total: number; sortBy: SortField; sortDirection: SortDirection };

const PREVIEW_SIZE = 100;

export function DeregisterDialog({
  pending,
  capacity,
  onCancel,
  onConfirm,
}: {
  pending: PendingSelection;
  capacity: CapacityInfo | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { t, number, counted, date } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<string[] | null>(pending.kind === 'ids' ? pending.domains : null);
  const titleId = useId();
  const descriptionId = useId();
  const count = pending.kind === 'ids' ? pending.domains.length : pending.total;

  useEffect(() => {
    dialog.current?.showModal();
    // The safe choice first: Enter right away cancels rather than deregisters.
    cancelButton.current?.focus();
  }, []);

  useEffect(() => {
    if (pending.kind !== 'matching') return;
    const controller = new AbortController();
    api
      .registrations(
        {
          search: pending.search,
          registeredBefore: pending.registeredBefore,
          sortBy: pending.sortBy,
          sortDirection: pending.sortDirection,
          page: 1,
          pageSize: PREVIEW_SIZE,
          status: 'active',
        },
        controller.signal,
      )
      .then((page) => setPreview(page.items.map((item) => item.displayDomain)))
      .catch(() => setPreview([]));
    return () => controller.abort();
  }, [pending]);

  // Closing the dialog before it leaves the page returns focus to where it was (the Deregister button).
  const cancel = () => {
    dialog.current?.close();
    onCancel();
  };

  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) cancel();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {counted(count, t.dialog.title)}
      </h2>
      <p id={descriptionId}>{t.dialog.explanation}</p>
      <p className="dialog-frees">
        <strong>{counted(count, t.dialog.frees)}</strong>
        {capacity && <> {t.dialog.afterwards(number(Math.max(0, capacity.used - count)), number(capacity.limit))}</>}
      </p>
      <h3 className="dialog-list-heading">
        {pending.kind === 'matching'
          ? `${pending.search ? counted(pending.total, t.dialog.allMatching, { search: pending.search }) : counted(pending.total, t.dialog.allRegistered)}${
              pending.registeredBefore ? `, ${t.dialog.registeredBefore(date(pending.registeredBefore))}` : ''
            }`
          : t.dialog.listHeading}
      </h3>
      {/* A long list scrolls in its box: keyboard users must be able to focus it to scroll (axe: scrollable-region-focusable). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: see above */}
      <ul className="dialog-domains" data-testid="dialog-domains" tabIndex={0} aria-label={t.dialog.listHeading}>
        {preview === null ? <li>{t.loading}</li> : preview.map((domain) => <li key={domain}>{domain}</li>)}
      </ul>
      {pending.kind === 'matching' && preview !== null && pending.total > preview.length && <p>{t.dialog.andMore(number(pending.total - preview.length))}</p>}
      <div className="dialog-actions">
        <button ref={cancelButton} type="button" className="button button-secondary" onClick={cancel} disabled={busy}>
          {t.dialog.cancel}
        </button>
        <button type="button" className="button button-danger" onClick={() => void confirm()} disabled={busy}>
          {t.dialog.confirm}
        </button>
      </div>
    </dialog>
  );
}
