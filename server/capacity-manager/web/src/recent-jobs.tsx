// The portal's recent deregistration jobs, read from the server, so that Undo stays reachable for
// its whole 15 minutes: after a reload, from another tab, from History — not only while the job's
// progress panel is on screen. The list is read again when the tab comes back into view (another
// tab may have deregistered or undone meanwhile), and the Undo buttons go away when the window
// closes even if nothing is read.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type DeregistrationJobView, type UndoDeregistrationResult } from './api.js';
import { useI18n } from './i18n.js';
import { useManagePermission } from './roles.js';

const RECENT_JOBS = 10;
/** How often the page notices that an undo window has closed. */
const CLOCK_TICK_MS = 15_000;

export interface RecentJobs {
  jobs: DeregistrationJobView[];
  error: string | null;
  /** The job's Undo, while its window is open. */
  undoable(job: DeregistrationJobView): boolean;
  undo(jobId: string): Promise<void>;
  busyJobId: string | null;
  /** The last undo's outcome, shown (and focused) where the Undo was. */
  outcome: UndoDeregistrationResult | null;
  reload(): void;
}

/** `refreshSignal`: a value that changes whenever a job may have started or finished here. */
export function useRecentJobs(refreshSignal: unknown, onUndone: () => Promise<void> | void): RecentJobs {
  const { t } = useI18n();
  const [jobs, setJobs] = useState<DeregistrationJobView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busyJobId, setBusyJobId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<UndoDeregistrationResult | null>(null);
  const [generation, setGeneration] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshSignal and generation are triggers
  useEffect(() => {
    const controller = new AbortController();
    api
      .recentDeregistrationJobs(RECENT_JOBS, controller.signal)
      .then((answer) => {
        setJobs(answer.jobs);
        setNow(Date.now());
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure instanceof ApiError ? failure.message : t.errors.generic);
      });
    return () => controller.abort();
  }, [refreshSignal, generation, t]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', reload);
    const clock = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', reload);
      clearInterval(clock);
    };
  }, [reload]);

  const undo = async (jobId: string) => {
    setBusyJobId(jobId);
    setError(null);
    try {
      setOutcome(await api.undoDeregistration(jobId));
      await onUndone();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t.errors.generic);
    } finally {
      setBusyJobId(null);
      reload();
    }
  };

  return {
    jobs,
    error,
    undoable: (job) => job.undoableUntil !== null && Date.parse(job.undoableUntil) > now,
    undo,
    busyJobId,
    outcome,
    reload,
  };
}

/** What an undo did: how many came back, and which did not and why. Focused when it appears. */
export function UndoOutcome({ outcome }: { outcome: UndoDeregistrationResult }) {
  const { t, number, counted } = useI18n();
  const message = useRef<HTMLDivElement>(null);
  // The Undo button is gone once the job is undone: keyboard and screen-reader users land here.
  useEffect(() => message.current?.focus(), []);
  return (
    <div ref={message} className="alert alert-success" role="status" tabIndex={-1} data-testid="undo-outcome">
      <p>{counted(outcome.reregistered.length, t.job.undone)}</p>
      {outcome.notReregistered.length > 0 && (
        <>
          <p>{t.job.notUndone(number(outcome.notReregistered.length))}</p>
          <ul>
            {outcome.notReregistered.map((item) => (
              <li key={item.domain}>
                {item.domain}: {item.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * The recent jobs as a table: when, how many domains, who, how it went, and Undo while it can be
 * undone. `onlyUndoable` shows just the ones that can still be undone (nothing when none can),
 * leaving out `hideJobId` (a job whose own panel is already on screen).
 */
export function RecentJobsTable({ recent, onlyUndoable = false, hideJobId }: { recent: RecentJobs; onlyUndoable?: boolean; hideJobId?: string }) {
  const { t, time, dateTime, counted } = useI18n();
  const jobs = recent.jobs.filter((job) => job.id !== hideJobId && (!onlyUndoable || recent.undoable(job)));
  const heading = onlyUndoable ? t.recentJobs.undoableHeading : t.recentJobs.heading;
  if (onlyUndoable && jobs.length === 0 && !recent.outcome) return null;
  return (
    <section className="recent-jobs" aria-label={heading} data-testid={onlyUndoable ? 'undoable-jobs' : 'recent-jobs'}>
      <h3 className="recent-jobs-heading">{heading}</h3>
      {recent.outcome && <UndoOutcome key={recent.outcome.job.id} outcome={recent.outcome} />}
      {recent.error && (
        <p className="job-error" role="alert">
          {recent.error}
        </p>
      )}
      {jobs.length === 0 ? (
        !onlyUndoable && <p className="recent-jobs-empty">{t.recentJobs.empty}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the screen scrolls in its box, which the keyboard must reach (axe: scrollable-region-focusable)
        <div className="table-wrap" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t.recentJobs.started}</th>
                <th scope="col">{t.recentJobs.domains}</th>
                <th scope="col">{t.recentJobs.by}</th>
                <th scope="col">{t.recentJobs.state}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.job.undo}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td>
                    <time dateTime={job.createdAt}>{dateTime(job.createdAt)}</time>
                  </td>
                  <td>{counted(job.total, t.capacity.domains)}</td>
                  <td>{job.requestedBy}</td>
                  <td>{job.undoneAt ? t.recentJobs.undoneAt(time(job.undoneAt)) : t.recentJobs.status[job.status]}</td>
                  <td>
                    {recent.undoable(job) && (
                      <UndoJobButton recent={recent} job={job} label={t.recentJobs.undoLabel(counted(job.total, t.capacity.domains), time(job.undoableUntil!))} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Undo for one job; the visible word starts its accessible name (WCAG 2.5.3), which says which job and until when. */
export function UndoJobButton({ recent, job, label }: { recent: RecentJobs; job: DeregistrationJobView; label: string }) {
  const { t } = useI18n();
  const permission = useManagePermission();
  return (
    <button
      type="button"
      className="button button-secondary button-small"
      aria-label={label}
      // Disabled for users who may not undo, with the reason as its tooltip (the table has no room for the sentence).
      title={permission.reason || undefined}
      disabled={recent.busyJobId !== null || !permission.mayManage}
      onClick={() => void recent.undo(job.id)}
    >
      {t.job.undo}
    </button>
  );
}
