// The registered-before filter: a day picker (the browser's own, in the user's calendar) and a
// way to clear it. The day lives in the address (?before=YYYY-MM-DD) like the rest of the list.
import type { RegistrationList } from './registration-list.js';
import { useI18n } from './i18n.js';

export function RegisteredBeforeFilter({ list, id }: { list: RegistrationList; id: string }) {
  const { t } = useI18n();
  return (
    <div className="date-filter">
      <label htmlFor={id}>{t.registeredBefore.label}</label>
      <input id={id} type="date" className="input" value={list.registeredBeforeDay} onChange={(event) => list.setRegisteredBeforeDay(event.target.value)} />
      {list.registeredBeforeDay && (
        <button type="button" className="button button-link" onClick={() => list.setRegisteredBeforeDay('')}>
          {t.registeredBefore.clear}
        </button>
      )}
    </div>
  );
}
