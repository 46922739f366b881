// Jobs: the durable work's backlog (webhook inbox, write-backs, backfills) with failures and
// their reasons, and every portal's deregistration jobs with progress, failures, Retry (a failed
// job) and Undo (within its window). Read again every few seconds while a job is under way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { consoleApi, type Backlog, type Job } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage, useLoadOnOpen } from './use-load-on-open.js';

const POLL_MS = 2000;

export function JobsView({ queueDashboard }: { queueDashboard: string }) {
  const { t, number, dateTime } = useConsoleI18n();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [backlog, setBacklog] = useState<Backlog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [jobList, nextBacklog] = await Promise.all([consoleApi.jobs(signal), consoleApi.backlog(signal)]);
        setJobs(jobList.jobs);
        setBacklog(nextBacklog);
      } catch (failure) {
        if (!signal?.aborted) setError(failureMessage(failure, t));
      }
    },
    [t],
  );

  useLoadOnOpen(load);

  const underWay = jobs?.some((job) => job.status === 'queued' || job.status === 'running') ?? false;
  useEffect(() => {
    if (!underWay) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [underWay, load]);

  const act = async (job: Job, action: 'retry' | 'undo') => {
    setBusy(job.id);
    setError(null);
    try {
      if (action === 'retry') {
        await consoleApi.retryJob(job.id);
        setNotice(t.jobs.retried);
      } else {
        const result = await consoleApi.undoJob(job.id);
        setNotice(t.jobs.undoneNotice(number(result.reregistered.length)));
      }
      await load();
      setTimeout(() => noticeRef.current?.focus(), 0);
    } catch (failure) {
      setError(failureMessage(failure, t));
    } finally {
      setBusy(null);
    }
  };

  const now = Date.now();
  return (
    <section aria-labelledby="jobs-heading" className="panel">
      <h2 id="jobs-heading">{t.jobs.backlog}</h2>
      {backlog && (
        <dl className="backlog-figures">
          <div>
            <dt>{t.jobs.inboxPending}</dt>
            <dd data-testid="inbox-pending">
              {number(backlog.webhookInbox.pending)}
              {backlog.webhookInbox.oldestPendingAt && <span className="setting-hint"> ({t.jobs.oldest(dateTime(backlog.webhookInbox.oldestPendingAt))})</span>}
            </dd>
          </div>
          <div>
            <dt>{t.jobs.inboxFailed}</dt>
            <dd>{number(backlog.webhookInbox.failed)}</dd>
          </div>
          <div>
            <dt>{t.jobs.writeBacksPending}</dt>
            <dd>
              {number(backlog.writeBacks.pending)}
              {backlog.writeBacks.oldestPendingAt && <span className="setting-hint"> ({t.jobs.oldest(dateTime(backlog.writeBacks.oldestPendingAt))})</span>}
            </dd>
          </div>
          <div>
            <dt>{t.jobs.writeBacksFailing}</dt>
            <dd>{number(backlog.writeBacks.failing)}</dd>
          </div>
        </dl>
      )}
      <p>
        <a className="button button-secondary" href={queueDashboard}>
          {t.jobs.dashboard}
        </a>
      </p>
      {backlog && backlog.webhookInbox.recentFailures.length > 0 && (
        <>
          <h3 className="console-section">{t.jobs.inboxFailures}</h3>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t.jobs.inboxFailures}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.jobs.created}</th>
                  <th scope="col">{t.jobs.partner}</th>
                  <th scope="col">{t.jobs.reason}</th>
                </tr>
              </thead>
              <tbody>
                {backlog.webhookInbox.recentFailures.map((failure) => (
                  <tr key={failure.id}>
                    <td>{dateTime(failure.receivedAt)}</td>
                    <td>{failure.portalId ?? '—'}</td>
                    <td>{failure.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {backlog && backlog.writeBacks.recentFailures.length > 0 && (
        <>
          <h3 className="console-section">{t.jobs.writeBackFailures}</h3>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t.jobs.writeBackFailures}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.jobs.partner}</th>
                  <th scope="col">{t.jobs.contact}</th>
                  <th scope="col">{t.jobs.attempts}</th>
                  <th scope="col">{t.jobs.reason}</th>
                </tr>
              </thead>
              <tbody>
                {backlog.writeBacks.recentFailures.map((failure) => (
                  <tr key={`${failure.portalId}-${failure.contactId}`}>
                    <td>{failure.portalId}</td>
                    <td>{failure.contactId}</td>
                    <td className="numeric">{failure.attempts}</td>
                    <td>{failure.lastError}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {backlog && backlog.backfills.length > 0 && (
        <>
          <h3 className="console-section">{t.jobs.backfills}</h3>
          <ul>
            {backlog.backfills.map((backfill) => (
              <li key={backfill.portalId}>
                {backfill.portalId}: {backfill.status}, {t.jobs.synced} {number(backfill.contactsSynced)}
                {backfill.error ? ` — ${backfill.error}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 className="console-section">{t.jobs.caption}</h2>
      {notice && (
        <div className="alert alert-success" role="status" tabIndex={-1} ref={noticeRef} data-testid="job-notice">
          {notice}
        </div>
      )}
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div className="table-wrap" aria-busy={!jobs}>
        <table className="table">
          <caption className="visually-hidden">{t.jobs.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.jobs.created}</th>
              <th scope="col">{t.jobs.partner}</th>
              <th scope="col">{t.jobs.status}</th>
              <th scope="col">{t.jobs.progress}</th>
              <th scope="col">{t.jobs.requestedBy}</th>
              <th scope="col">{t.jobs.error}</th>
              <th scope="col">{t.partners.actions}</th>
            </tr>
          </thead>
          <tbody>
            {jobs?.map((job) => {
              const undoable = !job.undoneAt && job.undoableUntil !== null && Date.parse(job.undoableUntil) > now;
              return (
                <tr key={job.id} data-job-id={job.id} data-status={job.undoneAt ? 'undone' : job.status}>
                  <td>{dateTime(job.createdAt)}</td>
                  <td>{job.portalId}</td>
                  <td className="job-status">{job.undoneAt ? t.jobs.undone : (t.jobs.statuses[job.status] ?? job.status)}</td>
                  <td>{t.jobs.progressOf(number(job.done), number(job.total), number(job.failed))}</td>
                  <td>{job.requestedBy}</td>
                  <td>{job.error ?? '—'}</td>
                  <td>
                    <div className="row-actions">
                      {job.status === 'failed' && !job.undoneAt && (
                        <button type="button" className="button button-secondary button-small" disabled={busy === job.id} onClick={() => void act(job, 'retry')}>
                          {t.jobs.retry}
                        </button>
                      )}
                      {undoable && (
                        <button type="button" className="button button-secondary button-small" disabled={busy === job.id} onClick={() => void act(job, 'undo')}>
                          {t.jobs.undo}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
            {jobs && jobs.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  {t.jobs.empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
