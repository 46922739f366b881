// A deregistration job while it runs and once it is done: progress, the outcome, and Undo
// while the job's undo window is open. Progress is read from the server every half second.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type DeregistrationJobView, type RequestDeregistrationResult, type UndoDeregistrationResult } from './api.js';
import { useI18n } from './i18n.js';
import { useManagePermission } from './roles.js';

const POLL_MS = 500;

export function JobPanel({ started, onFinished, onDismiss }: { started: RequestDeregistrationResult; onFinished: () => Promise<void>; onDismiss: () => void }) {
  const { t, number, time, counted } = useI18n();
  const [job, setJob] = useState<DeregistrationJobView>(started.job);
  const [undo, setUndo] = useState<UndoDeregistrationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const permission = useManagePermission();
  const heading = useRef<HTMLHeadingElement>(null);
  const statusMessage = useRef<HTMLDivElement>(null);
  const finished = job.status === 'completed' || job.status === 'failed';

  // Keyboard and screen-reader users land on the progress once the dialog has closed.
  useEffect(() => heading.current?.focus(), []);

  // One poll per state of the job, not per identity of the callbacks and texts the parent passes:
  // listing onFinished would restart the timer on every render of the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (finished) {
      void onFinished();
      return;
    }
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const next = await api.deregistrationJob(job.id);
        if (stopped) return;
        setError(null);
        setJob(next);
      } catch (failure) {
        if (!stopped) setError(failure instanceof ApiError ? failure.message : t.errors.generic);
        // Keep polling: a blip in the connection should not freeze the progress.
        if (!stopped) setJob((current) => ({ ...current }));
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job, finished]);

  const undoJob = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.undoDeregistration(job.id);
      setUndo(result);
      setJob(result.job);
      // The Undo button is gone now: keyboard and screen-reader users land on what the undo did.
      statusMessage.current?.focus();
      await onFinished();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t.errors.generic);
    } finally {
      setBusy(false);
    }
  };

  const skipped = started.notFound.length + started.alreadyDeregistered.length;
  return (
    <section className={`job-panel ${job.status === 'failed' ? 'job-failed' : ''}`} aria-labelledby="job-heading" data-testid="job-panel" data-status={job.status}>
      <h3 id="job-heading" tabIndex={-1} ref={heading} className="job-heading">
        {t.job.heading}
      </h3>
      <div role="status" aria-live="polite" ref={statusMessage} tabIndex={-1} data-testid="job-status">
        {job.status === 'queued' && <p>{t.job.queued}</p>}
        {job.status === 'running' && <p>{t.job.running(number(job.done), number(job.total))}</p>}
        {job.status === 'completed' && !undo && <p>{counted(job.total, t.job.completed)}</p>}
        {job.status === 'failed' && <p>{t.job.failed(job.error ?? t.errors.generic)}</p>}
        {finished && job.failed > 0 && !undo && <p>{counted(job.failed, t.job.completedWithFailures)}</p>}
        {undo && <p>{counted(undo.reregistered.length, t.job.undone)}</p>}
      </div>
      {!finished && (
        <div className="bar" role="progressbar" aria-label={t.job.progressLabel} aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
          <div className="bar-fill" style={{ width: `${job.total ? (job.done / job.total) * 100 : 0}%` }} />
        </div>
      )}
      {skipped > 0 && !undo && <p>{counted(skipped, t.job.skipped)}</p>}
      {undo && undo.notReregistered.length > 0 && (
        <>
          <p>{t.job.notUndone(number(undo.notReregistered.length))}</p>
          <ul>
            {undo.notReregistered.map((item) => (
              <li key={item.domain}>
                {item.domain}: {item.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p className="job-error" role="alert">
          {error}
        </p>
      )}
      {finished && (
        <div className="job-actions">
          {job.undoableUntil && !undo && (
            <>
              <span>{t.job.undoUntil(time(job.undoableUntil))}</span>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void undoJob()}
                disabled={busy || !permission.mayManage}
                title={permission.reason || undefined}
              >
                {t.job.undo}
              </button>
            </>
          )}
          <button type="button" className="button button-link" onClick={onDismiss}>
            {t.job.dismiss}
          </button>
        </div>
      )}
    </section>
  );
}
