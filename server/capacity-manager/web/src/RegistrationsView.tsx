// The registered domains: search, sort, pages, selection (one, the page, or everything the
// search matches), Deregister with its confirmation, the job's progress, and export. Where the
// partner's claims expire, an Expires column (sortable) with Renew on each row.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type CapacityInfo, type DeregistrationSelection, type ExpiringClaims, type RegistrationView, type RequestDeregistrationResult } from './api.js';
import { DeregisterDialog, type PendingSelection } from './DeregisterDialog.js';
import { RefusalReason, useManagePermission } from './roles.js';
import { MAIN_TABLE_ID } from './main-table.js';
import { useI18n } from './i18n.js';
import { JobPanel } from './JobPanel.js';
import { RecentJobsTable, useRecentJobs } from './recent-jobs.js';
import {
  ContactCell,
  CountryCell,
  ExportLink,
  RegisteredAtCell,
  RegisteredByCell,
  ListError,
  Pager,
  SearchBox,
  SnapshotHeaders,
  SortableHeader,
  useRegistrationList,
} from './registration-list.js';
import { useExpiryText } from './expiry-text.js';
import { ExpiresCell, RenewalNoticeBanner, useRenewal } from './renew-claim.js';
import { RegisteredBeforeFilter } from './registered-before-filter.js';

type Selection = { kind: 'ids'; domains: Map<string, string> } | { kind: 'matching'; search: string; registeredBefore?: string; total: number };

const noSelection = (): Selection => ({ kind: 'ids', domains: new Map() });

export function RegistrationsView({
  capacity,
  expiring,
  onCapacityChanged,
}: {
  capacity: CapacityInfo | null;
  /** Says whether the partner's claims expire (claimPeriodDays): the Expires column shows only then. */
  expiring: ExpiringClaims | null;
  onCapacityChanged: () => Promise<void>;
}) {
  const { t, number, counted } = useI18n();
  const expiryText = useExpiryText();
  const list = useRegistrationList('active');
  const showExpiry = (expiring?.claimPeriodDays ?? null) !== null;
  const renewal = useRenewal(async () => {
    list.reload();
    await onCapacityChanged();
  });
  const [selection, setSelection] = useState<Selection>(noSelection);
  const [dialog, setDialog] = useState<PendingSelection | null>(null);
  const [started, setStarted] = useState<RequestDeregistrationResult | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const selectPageBox = useRef<HTMLInputElement>(null);
  const deregisterButton = useRef<HTMLButtonElement>(null);
  const permission = useManagePermission();
  const [jobsChanged, setJobsChanged] = useState(0);

  // A new search or date is a new set of rows: what was selected under the old one no longer shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is the trigger, not an input
  useEffect(() => setSelection(noSelection()), [list.query.search, list.query.registeredBefore]);

  const items = list.result?.items ?? [];
  const total = list.result?.total ?? 0;
  const nothingRegistered = !list.loading && list.result !== null && total === 0 && !list.query.search && !list.query.registeredBefore;
  const everRegistered = useEverRegistered(nothingRegistered);
  const selectedOnPage = selection.kind === 'matching' ? items.length : items.filter((item) => selection.domains.has(item.id)).length;
  const pageFullySelected = items.length > 0 && selectedOnPage === items.length;
  const selectedCount = selection.kind === 'matching' ? selection.total : selection.domains.size;

  useEffect(() => {
    if (selectPageBox.current) selectPageBox.current.indeterminate = selectedOnPage > 0 && !pageFullySelected;
  }, [selectedOnPage, pageFullySelected]);

  const toggleOne = (item: RegistrationView) =>
    setSelection((current) => {
      const domains = new Map(current.kind === 'ids' ? current.domains : items.map((row) => [row.id, row.displayDomain]));
      if (domains.has(item.id)) domains.delete(item.id);
      else domains.set(item.id, item.displayDomain);
      return { kind: 'ids', domains };
    });
  const togglePage = () =>
    setSelection((current) => {
      const domains = new Map(current.kind === 'ids' ? current.domains : []);
      if (pageFullySelected) for (const item of items) domains.delete(item.id);
      else for (const item of items) domains.set(item.id, item.displayDomain);
      return { kind: 'ids', domains };
    });

  const openDialog = () => {
    setRequestError(null);
    setDialog(
      selection.kind === 'matching'
        ? {
            kind: 'matching',
            search: selection.search,
            registeredBefore: selection.registeredBefore,
            total: selection.total,
            sortBy: list.query.sortBy,
            sortDirection: list.query.sortDirection,
          }
        : { kind: 'ids', domains: [...selection.domains.values()] },
    );
  };

  const confirm = async () => {
    const request: DeregistrationSelection =
      selection.kind === 'matching'
        ? { kind: 'search', search: selection.search, registeredBefore: selection.registeredBefore }
        : { kind: 'registrations', registrationIds: [...selection.domains.keys()] };
    try {
      const result = await api.requestDeregistration(request);
      setDialog(null);
      setSelection(noSelection());
      setStarted(result);
    } catch (error) {
      setDialog(null);
      setRequestError(error instanceof ApiError ? error.message : t.errors.generic);
      list.reload();
      deregisterButton.current?.focus();
    }
  };

  const refreshAfterJob = async () => {
    await onCapacityChanged();
    list.reload();
    setJobsChanged((n) => n + 1);
  };
  // Jobs still undoable that have no panel on screen (after a reload, or started in another tab).
  const recent = useRecentJobs(jobsChanged, refreshAfterJob);

  return (
    <section aria-labelledby="registered-heading" className="panel">
      <h2 id="registered-heading" className="visually-hidden">
        {t.views.registered}
      </h2>
      {started && <JobPanel key={started.job.id} started={started} onFinished={refreshAfterJob} onDismiss={() => setStarted(null)} />}
      <RecentJobsTable recent={recent} onlyUndoable hideJobId={started?.job.id} />
      {requestError && (
        <div className="alert alert-danger" role="alert">
          {requestError}
        </div>
      )}
      <RenewalNoticeBanner renewal={renewal} />
      <div className="toolbar">
        <SearchBox list={list} id="registration-search" />
        <RegisteredBeforeFilter list={list} id="registration-before" />
        <div className="toolbar-actions">
          <span className="selected-count" aria-live="polite">
            {selectedCount > 0 ? t.selectedCount(number(selectedCount)) : ''}
          </span>
          <button
            ref={deregisterButton}
            type="button"
            className="button button-danger"
            disabled={selectedCount === 0 || !permission.mayManage}
            aria-describedby={permission.mayManage ? undefined : 'deregister-refusal'}
            onClick={openDialog}
          >
            {t.deregister}
          </button>
          <ExportLink list={list} />
        </div>
      </div>

      <RefusalReason id="deregister-refusal" permission={permission} />

      {pageFullySelected && total > items.length && (
        <div className="selection-banner" role="status">
          {selection.kind === 'matching' ? (
            <>
              <span>
                {counted(selection.total, t.allMatchingSelected)} {counted(selection.total, t.wouldFree)}
              </span>
              <button type="button" className="button button-link" onClick={() => setSelection(noSelection())}>
                {t.clearSelection}
              </button>
            </>
          ) : (
            <>
              <span>{counted(items.length, t.pageSelected)}</span>
              <button
                type="button"
                className="button button-link"
                onClick={() => setSelection({ kind: 'matching', search: list.query.search, registeredBefore: list.query.registeredBefore, total })}
              >
                {counted(total, t.selectAllMatching)}
              </button>
            </>
          )}
        </div>
      )}

      <ListError list={list} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the skip link's target, and a table wider than the screen scrolls in this box, which the keyboard must reach (axe: scrollable-region-focusable) */}
      <div className="table-wrap" id={MAIN_TABLE_ID} tabIndex={0} aria-busy={list.loading}>
        <table className="table">
          <caption className="visually-hidden">{t.tableCaption(number(total))}</caption>
          <thead>
            <tr>
              <th scope="col" className="checkbox-cell">
                <input ref={selectPageBox} type="checkbox" aria-label={t.selectPage} checked={pageFullySelected} disabled={items.length === 0} onChange={togglePage} />
              </th>
              <SnapshotHeaders list={list} />
              {showExpiry && (
                <SortableHeader list={list} field="expiresAt">
                  {expiryText.column}
                </SortableHeader>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const checked = selection.kind === 'matching' || selection.domains.has(item.id);
              return (
                <tr key={item.id} className={checked ? 'row-selected' : undefined}>
                  <td className="checkbox-cell">
                    <input type="checkbox" aria-label={t.selectRow(item.displayDomain)} checked={checked} onChange={() => toggleOne(item)} />
                  </td>
                  <td className="domain-cell">{item.displayDomain}</td>
                  <td>{item.companyName ?? '—'}</td>
                  <ContactCell item={item} />
                  <CountryCell item={item} />
                  <RegisteredAtCell item={item} />
                  <RegisteredByCell item={item} />
                  {showExpiry && <ExpiresCell item={item} renewal={renewal} />}
                </tr>
              );
            })}
            {!list.loading && items.length === 0 && (
              <tr>
                <td colSpan={showExpiry ? 8 : 7} className="empty">
                  {list.query.search || list.query.registeredBefore ? t.empty : everRegistered === false ? t.emptyNew : t.emptyAll}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager list={list} id="registration-page-size" />
      {dialog && (
        <DeregisterDialog
          pending={dialog}
          capacity={capacity}
          onCancel={() => {
            setDialog(null);
            deregisterButton.current?.focus();
          }}
          onConfirm={confirm}
        />
      )}
    </section>
  );
}

/**
 * Whether the portal ever registered a domain (its history is not empty), asked only once the
 * list is empty: "No domains are registered yet" is for a new portal, not for one that has
 * deregistered them all. Null until known.
 */
function useEverRegistered(listEmpty: boolean): boolean | null {
  const [ever, setEver] = useState<boolean | null>(null);
  useEffect(() => {
    if (!listEmpty) return;
    const controller = new AbortController();
    api
      .registrations({ search: '', sortBy: 'registeredAt', sortDirection: 'desc', page: 1, pageSize: 1, status: 'deregistered' }, controller.signal)
      .then((history) => setEver(history.total > 0))
      .catch(() => setEver(null));
    return () => controller.abort();
  }, [listEmpty]);
  return ever;
}
