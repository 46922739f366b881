// History: the recent deregistration jobs (Undo while it can be done), then the domains that were
// deregistered, with who did it, when, and in which job (Undo there too, while it can be done).
import { MAIN_TABLE_ID } from './main-table.js';
import { useI18n } from './i18n.js';
import type { DeregistrationJobView } from './api.js';
import { RecentJobsTable, UndoJobButton, useRecentJobs, type RecentJobs } from './recent-jobs.js';
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
  useRegistrationList,
} from './registration-list.js';
import { RegisteredBeforeFilter } from './registered-before-filter.js';

export function HistoryView({ onCapacityChanged }: { onCapacityChanged: () => Promise<void> }) {
  const { t, number, dateTime } = useI18n();
  const list = useRegistrationList('deregistered');
  const recent = useRecentJobs(null, async () => {
    await onCapacityChanged();
    list.reload();
  });
  const jobsById = new Map(recent.jobs.map((job) => [job.id, job]));
  const items = list.result?.items ?? [];
  const total = list.result?.total ?? 0;
  return (
    <section aria-labelledby="history-heading" className="panel">
      <h2 id="history-heading" className="visually-hidden">
        {t.views.history}
      </h2>
      <RecentJobsTable recent={recent} />
      <div className="toolbar">
        <SearchBox list={list} id="history-search" />
        <RegisteredBeforeFilter list={list} id="history-before" />
        <div className="toolbar-actions">
          <ExportLink list={list} />
        </div>
      </div>
      <ListError list={list} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the skip link's target, and a table wider than the screen scrolls in this box, which the keyboard must reach (axe: scrollable-region-focusable) */}
      <div className="table-wrap" id={MAIN_TABLE_ID} tabIndex={0} aria-busy={list.loading}>
        <table className="table">
          <caption className="visually-hidden">{t.historyCaption(number(total))}</caption>
          <thead>
            <tr>
              <SnapshotHeaders list={list} />
              <th scope="col">{t.columns.deregisteredAt}</th>
              <th scope="col">{t.columns.deregisteredBy}</th>
              <th scope="col">{t.columns.job}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td className="domain-cell">{item.displayDomain}</td>
                <td>{item.companyName ?? '—'}</td>
                <ContactCell item={item} />
                <CountryCell item={item} />
                <RegisteredAtCell item={item} />
                <RegisteredByCell item={item} />
                <td>{item.deregisteredAt ? <time dateTime={item.deregisteredAt}>{dateTime(item.deregisteredAt)}</time> : '—'}</td>
                <td>{item.deregisteredBy ?? '—'}</td>
                <td>{item.deregistrationJobId ? <JobCell recent={recent} jobId={item.deregistrationJobId} job={jobsById.get(item.deregistrationJobId)} /> : '—'}</td>
              </tr>
            ))}
            {!list.loading && items.length === 0 && (
              <tr>
                <td colSpan={9} className="empty">
                  {t.historyEmpty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager list={list} id="history-page-size" />
    </section>
  );
}

/** The job that deregistered a domain, and its Undo while the job's window is open. */
function JobCell({ recent, jobId, job }: { recent: RecentJobs; jobId: string; job: DeregistrationJobView | undefined }) {
  const { t } = useI18n();
  const shortId = jobId.slice(0, 8);
  return (
    <span className="job-cell">
      <code title={jobId}>{shortId}</code>
      {job && recent.undoable(job) && <UndoJobButton recent={recent} job={job} label={t.recentJobs.undoJob(shortId)} />}
    </span>
  );
}
