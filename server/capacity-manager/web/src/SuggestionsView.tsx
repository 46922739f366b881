// Suggestions: the active claims worth releasing, best first, each with why (GET
// /api/release-suggestions). Select some or all and deregister them through the usual dialog
// and job. Over the limit, exactly the number to release is selected when the list arrives.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type CapacityInfo, type ReleaseReasonView, type ReleaseSuggestions, type RequestDeregistrationResult } from './api.js';
import { DeregisterDialog } from './DeregisterDialog.js';
import { RefusalReason, useManagePermission } from './roles.js';
import { useI18n } from './i18n.js';
import { JobPanel } from './JobPanel.js';
import { ContactCell, RegisteredAtCell, RegisteredByCell } from './registration-list.js';
import { useSuggestionsText } from './suggestions-text.js';

const LIMIT = 200;

export function SuggestionsView({ capacity, onCapacityChanged }: { capacity: CapacityInfo | null; onCapacityChanged: () => Promise<void> }) {
  const { t, number, counted, date } = useI18n();
  const text = useSuggestionsText();
  const [answer, setAnswer] = useState<ReleaseSuggestions | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [dialogOpen, setDialogOpen] = useState(false);
  const [started, setStarted] = useState<RequestDeregistrationResult | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const deregisterButton = useRef<HTMLButtonElement>(null);
  const permission = useManagePermission();
  const selectAllBox = useRef<HTMLInputElement>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const next = await api.releaseSuggestions(LIMIT, signal);
      setAnswer(next);
      setLoadError(null);
      // Over the limit: exactly the number to release, best first, is selected.
      setSelected(new Map(next.items.slice(0, next.releaseNeeded).map((item) => [item.registrationId, item.displayDomain])));
    } catch (error) {
      if (signal?.aborted) return;
      setLoadError(error instanceof ApiError ? error.message : (error as Error).message);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const items = answer?.items ?? [];
  const allSelected = items.length > 0 && selected.size === items.length;
  useEffect(() => {
    if (selectAllBox.current) selectAllBox.current.indeterminate = selected.size > 0 && !allSelected;
  }, [selected.size, allSelected]);

  const toggle = (id: string, domain: string) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, domain);
      return next;
    });
  const toggleAll = () => setSelected(allSelected ? new Map() : new Map(items.map((item) => [item.registrationId, item.displayDomain])));

  const confirm = async () => {
    try {
      const result = await api.requestDeregistration({ kind: 'registrations', registrationIds: [...selected.keys()] });
      setDialogOpen(false);
      setSelected(new Map());
      setStarted(result);
    } catch (error) {
      setDialogOpen(false);
      setRequestError(error instanceof ApiError ? error.message : t.errors.generic);
      void load();
      deregisterButton.current?.focus();
    }
  };

  const refreshAfterJob = async () => {
    await onCapacityChanged();
    await load();
  };

  const reasonText = (reason: ReleaseReasonView): string => {
    switch (reason.code) {
      case 'lead_lost':
        return text.reasons.lead_lost(reason.leadStatus, reason.lifecycleStage);
      case 'expiring_without_activity':
        return text.reasons.expiring_without_activity(date(reason.expiresAt));
      case 'inactive':
        return text.reasons.inactive(number(reason.idleDays));
      default:
        return text.reasons[reason.code]();
    }
  };

  return (
    <section aria-labelledby="suggestions-heading" className="panel">
      <h2 id="suggestions-heading" className="visually-hidden">
        {text.heading}
      </h2>
      {started && <JobPanel key={started.job.id} started={started} onFinished={refreshAfterJob} onDismiss={() => setStarted(null)} />}
      {requestError && (
        <div className="alert alert-danger" role="alert">
          {requestError}
        </div>
      )}
      {loadError && (
        <div className="alert alert-danger" role="alert">
          <p>{loadError}</p>
          <button type="button" className="button button-secondary" onClick={() => void load()}>
            {t.errors.retry}
          </button>
        </div>
      )}
      {answer && <p className="suggestions-intro">{text.intro(number(answer.inactivityDays))}</p>}
      {answer && answer.releaseNeeded > 0 && (
        <div className="alert alert-warning" role="status" data-testid="suggestions-over-limit">
          {counted(answer.releaseNeeded, text.overLimit)}
        </div>
      )}
      <div className="toolbar">
        <div className="toolbar-actions">
          <span className="selected-count" aria-live="polite">
            {selected.size > 0 ? t.selectedCount(number(selected.size)) : ''}
          </span>
          <button
            ref={deregisterButton}
            type="button"
            className="button button-danger"
            disabled={selected.size === 0 || !permission.mayManage}
            aria-describedby={permission.mayManage ? undefined : 'suggestions-refusal'}
            onClick={() => {
              setRequestError(null);
              setDialogOpen(true);
            }}
          >
            {t.deregister}
          </button>
        </div>
      </div>
      <RefusalReason id="suggestions-refusal" permission={permission} />
      <div className="table-wrap" aria-busy={answer === null && loadError === null}>
        <table className="table">
          <caption className="visually-hidden">{text.tableCaption(number(items.length))}</caption>
          <thead>
            <tr>
              <th scope="col" className="checkbox-cell">
                <input ref={selectAllBox} type="checkbox" aria-label={text.selectAll} checked={allSelected} disabled={items.length === 0} onChange={toggleAll} />
              </th>
              <th scope="col">{t.columns.domain}</th>
              <th scope="col">{t.columns.companyName}</th>
              <th scope="col">{t.columns.contactName}</th>
              <th scope="col">{text.columns.reasons}</th>
              <th scope="col">{text.columns.lastActivity}</th>
              <th scope="col">{t.columns.registeredAt}</th>
              <th scope="col">{t.columns.registeredBy}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const checked = selected.has(item.registrationId);
              return (
                <tr key={item.registrationId} className={checked ? 'row-selected' : undefined} data-testid="suggestion-row">
                  <td className="checkbox-cell">
                    <input type="checkbox" aria-label={t.selectRow(item.displayDomain)} checked={checked} onChange={() => toggle(item.registrationId, item.displayDomain)} />
                  </td>
                  <td className="domain-cell">{item.displayDomain}</td>
                  <td>{item.companyName ?? '—'}</td>
                  <ContactCell item={item} />
                  <td>
                    <ul className="suggestion-reasons">
                      {item.reasons.map((reason) => (
                        <li key={reason.code}>{reasonText(reason)}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{item.lastActivityAt ? <time dateTime={item.lastActivityAt}>{date(item.lastActivityAt)}</time> : text.noActivity}</td>
                  <RegisteredAtCell item={item} />
                  <RegisteredByCell item={item} />
                </tr>
              );
            })}
            {answer && items.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  {text.none}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {dialogOpen && (
        <DeregisterDialog
          pending={{ kind: 'ids', domains: [...selected.values()] }}
          capacity={capacity}
          onCancel={() => {
            setDialogOpen(false);
            deregisterButton.current?.focus();
          }}
          onConfirm={confirm}
        />
      )}
    </section>
  );
}
