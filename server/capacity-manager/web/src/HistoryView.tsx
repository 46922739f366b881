// History: the domains that were deregistered, with who did it, when, and in which job.
import { useI18n } from './i18n.js';
import { ContactCell, ExportLink, RegisteredByCell, ListError, Pager, SearchBox, SnapshotHeaders, useRegistrationList } from './registration-list.js';

export function HistoryView() {
  const { t, number, dateTime } = useI18n();
  const list = useRegistrationList('deregistered');
  const items = list.result?.items ?? [];
  const total = list.result?.total ?? 0;
  return (
    <section aria-labelledby="history-heading" className="panel">
      <h2 id="history-heading" className="visually-hidden">
        {t.views.history}
      </h2>
      <div className="toolbar">
        <SearchBox list={list} id="history-search" />
        <div className="toolbar-actions">
          <ExportLink list={list} />
        </div>
      </div>
      <ListError list={list} />
      <div className="table-wrap" aria-busy={list.loading}>
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
                <td>{item.country ?? '—'}</td>
                <td>
                  <time dateTime={item.registeredAt}>{dateTime(item.registeredAt)}</time>
                </td>
                <RegisteredByCell item={item} />
                <td>{item.deregisteredAt ? <time dateTime={item.deregisteredAt}>{dateTime(item.deregisteredAt)}</time> : '—'}</td>
                <td>{item.deregisteredBy ?? '—'}</td>
                <td>{item.deregistrationJobId ? <code title={item.deregistrationJobId}>{item.deregistrationJobId.slice(0, 8)}</code> : '—'}</td>
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
