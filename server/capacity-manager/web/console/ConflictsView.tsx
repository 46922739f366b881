// Conflicts and waitlists: the domains more than one partner holds, each with its holders
// (earliest first) and the ways to resolve it — keep the earliest, keep a chosen partner, or keep
// the earliest for all — each through a confirmation (server/program/claim-conflicts.ts, audited
// with the operator's email); and the program's longest waitlists with who holds each domain.
// A resolved domain leaves the list at once (the server no longer counts holders being released);
// the other holders' registrations end in deregistration jobs, listed under Jobs.
import { useCallback, useRef, useState } from 'react';
import { consoleApi, type Conflict, type Waitlist } from './console-api.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage, useLoadOnOpen } from './use-load-on-open.js';

type Holder = Conflict['holders'][number];
type Pending = { kind: 'one'; conflict: Conflict; keep: Holder; earliest: boolean } | { kind: 'all'; count: number };

export function ConflictsView() {
  const { t, number, dateTime } = useConsoleI18n();
  const [list, setList] = useState<{ claimMode: 'exclusive' | 'shared'; conflicts: Conflict[]; total: number } | null>(null);
  const [waitlists, setWaitlists] = useState<Waitlist[] | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [conflicts, longest] = await Promise.all([consoleApi.conflicts(signal), consoleApi.waitlists(signal)]);
        setList(conflicts);
        setWaitlists(longest.waitlists);
      } catch (failure) {
        if (!signal?.aborted) setError(failureMessage(failure, t));
      }
    },
    [t],
  );
  useLoadOnOpen(load);

  const nameOf = (holder: Pick<Holder, 'portalName' | 'portalId'>) => holder.portalName ?? String(holder.portalId);
  const shown = list?.conflicts ?? [];
  const open = (next: Pending) => {
    opener.current = document.activeElement as HTMLElement | null;
    setNotice(null);
    setError(null);
    setPending(next);
  };
  const announce = (message: string) => {
    setNotice(message);
    setTimeout(() => noticeRef.current?.focus(), 0);
  };

  const resolve = async () => {
    if (!pending) return;
    if (pending.kind === 'one') {
      const { conflict, keep, earliest } = pending;
      const result = await consoleApi.resolveConflict({ domain: conflict.domain, keep: earliest ? { kind: 'earliest' } : { kind: 'portal', portalId: keep.portalId } });
      setPending(null);
      announce(t.conflicts.resolved(conflict.displayDomain, nameOf(result.kept), number(result.released.length)));
    } else {
      const result = await consoleApi.resolveAllConflicts();
      setPending(null);
      announce(t.conflicts.resolvedAll(number(result.resolved.length), number(result.remaining)));
    }
    await load();
  };
  const cancel = () => {
    setPending(null);
    opener.current?.focus();
  };

  return (
    <>
      <section aria-labelledby="conflicts-heading" className="panel">
        <h2 id="conflicts-heading">{t.conflicts.heading}</h2>
        <p className="setting-hint">{t.conflicts.intro}</p>
        {list?.claimMode === 'shared' && <p className="alert alert-warning">{t.conflicts.sharedMode}</p>}
        {notice && (
          <p className="alert alert-success" role="status" tabIndex={-1} ref={noticeRef} data-testid="conflicts-notice">
            {notice}
          </p>
        )}
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
        {list && shown.length > 0 && (
          <div className="row-actions">
            <button type="button" className="button button-secondary" onClick={() => open({ kind: 'all', count: list.total })}>
              {t.conflicts.keepEarliestForAll}
            </button>
            {list.total > list.conflicts.length && <span className="setting-hint">{t.conflicts.shown(number(shown.length), number(list.total))}</span>}
          </div>
        )}
        <div className="table-wrap" aria-busy={!list}>
          <table className="table">
            <caption className="visually-hidden">{t.conflicts.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.conflicts.domain}</th>
                <th scope="col">{t.conflicts.holder}</th>
                <th scope="col">{t.conflicts.actions}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((conflict) => (
                <tr key={conflict.domain} data-domain={conflict.domain}>
                  <th scope="row" className="domain-cell">
                    {conflict.displayDomain}
                  </th>
                  <td>
                    <ul className="holder-list">
                      {conflict.holders.map((holder, index) => (
                        <li key={holder.registrationId} className="row-actions">
                          <span>
                            {nameOf(holder)} ({holder.portalId}) · {t.partner.registeredAt} {dateTime(holder.registeredAt)}
                            {index === 0 && <span className="tier-tag"> {t.conflicts.earliest}</span>}
                          </span>
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            aria-label={t.conflicts.keepFor(nameOf(holder), conflict.displayDomain)}
                            onClick={() => open({ kind: 'one', conflict, keep: holder, earliest: false })}
                          >
                            {t.conflicts.keep}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={t.conflicts.keepEarliestFor(conflict.displayDomain)}
                      onClick={() => open({ kind: 'one', conflict, keep: conflict.holders[0]!, earliest: true })}
                    >
                      {t.conflicts.keepEarliest}
                    </button>
                  </td>
                </tr>
              ))}
              {list && shown.length === 0 && (
                <tr>
                  <td colSpan={3} className="empty">
                    {t.conflicts.none}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="waitlists-heading" className="panel console-section">
        <h2 id="waitlists-heading">{t.conflicts.waitlists}</h2>
        <div className="table-wrap" aria-busy={!waitlists}>
          <table className="table">
            <caption className="visually-hidden">{t.conflicts.waitlistsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.conflicts.domain}</th>
                <th scope="col" className="numeric">
                  {t.conflicts.waiting}
                </th>
                <th scope="col">{t.conflicts.waitingSince}</th>
                <th scope="col">{t.conflicts.heldBy}</th>
                <th scope="col">{t.conflicts.heldSince}</th>
              </tr>
            </thead>
            <tbody>
              {waitlists?.map((waitlist) => (
                <tr key={waitlist.domain} data-waitlist={waitlist.domain}>
                  <th scope="row" className="domain-cell">
                    {waitlist.displayDomain}
                  </th>
                  <td className="numeric">{number(waitlist.waiting)}</td>
                  <td>{dateTime(waitlist.waitingSince)}</td>
                  <td>{waitlist.holder ? `${nameOf(waitlist.holder)} (${waitlist.holder.portalId})` : t.conflicts.noHolder}</td>
                  <td>{waitlist.holder ? dateTime(waitlist.holder.heldSince) : '—'}</td>
                </tr>
              ))}
              {waitlists && waitlists.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    {t.conflicts.noWaitlists}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      {pending?.kind === 'one' && (
        <ConfirmDialog title={t.conflicts.confirmTitle(pending.conflict.displayDomain)} confirmLabel={t.conflicts.yes} onCancel={cancel} onConfirm={resolve}>
          <p data-testid="conflict-effect">
            {t.conflicts.confirmBody(
              nameOf(pending.keep),
              pending.conflict.holders
                .filter((holder) => holder !== pending.keep)
                .map(nameOf)
                .join(', '),
            )}
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'all' && (
        <ConfirmDialog title={t.conflicts.confirmAllTitle(number(pending.count))} confirmLabel={t.conflicts.yes} onCancel={cancel} onConfirm={resolve}>
          <p>{t.conflicts.confirmAllBody}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
