// The audit trail's filters: one action, part of the actor's name or e-mail (applied after a
// short pause in typing), and a span of days in the user's calendar (to is inclusive: the
// filter ends at the start of the next day).
import { useEffect, useState } from 'react';
import type { AuditFilter } from './api.js';
import { useI18n } from './i18n.js';
import { startOfDay } from './registration-list.js';

const TYPING_DELAY_MS = 250;

export interface AuditFilterState {
  action: string;
  actor: string;
  fromDay: string;
  toDay: string;
  set(change: Partial<Omit<AuditFilterState, 'set' | 'filter' | 'active'>>): void;
  /** What the API is asked for. */
  filter: AuditFilter;
  active: boolean;
}

function dayAfter(day: string): string | undefined {
  const start = startOfDay(day);
  if (!start) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

export function useAuditFilter(): AuditFilterState {
  const [fields, setFields] = useState({ action: '', actor: '', fromDay: '', toDay: '' });
  const [actor, setActor] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setActor(fields.actor.trim()), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [fields.actor]);
  const filter: AuditFilter = {
    action: (fields.action || undefined) as AuditFilter['action'],
    actor: actor || undefined,
    from: startOfDay(fields.fromDay),
    to: dayAfter(fields.toDay),
  };
  return {
    ...fields,
    set: (change) => setFields((current) => ({ ...current, ...change })),
    filter,
    active: Object.values(filter).some((value) => value !== undefined),
  };
}

export function AuditFilters({ filters }: { filters: AuditFilterState }) {
  const { t } = useI18n();
  const words = t.audit.filters;
  return (
    <fieldset className="audit-filters">
      <legend className="visually-hidden">{words.label}</legend>
      <div className="filter-field">
        <label htmlFor="audit-action">{words.action}</label>
        <select id="audit-action" className="input" value={filters.action} onChange={(event) => filters.set({ action: event.target.value })}>
          <option value="">{words.anyAction}</option>
          {Object.entries(t.audit.actions).map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="audit-actor">{words.actor}</label>
        <input
          id="audit-actor"
          type="search"
          className="input"
          placeholder={words.actorPlaceholder}
          autoComplete="off"
          value={filters.actor}
          onChange={(event) => filters.set({ actor: event.target.value })}
        />
      </div>
      <div className="filter-field">
        <label htmlFor="audit-from">{words.from}</label>
        <input id="audit-from" type="date" className="input" value={filters.fromDay} onChange={(event) => filters.set({ fromDay: event.target.value })} />
      </div>
      <div className="filter-field">
        <label htmlFor="audit-to">{words.to}</label>
        <input id="audit-to" type="date" className="input" value={filters.toDay} onChange={(event) => filters.set({ toDay: event.target.value })} />
      </div>
      {(filters.active || filters.actor) && (
        <button type="button" className="button button-link" onClick={() => filters.set({ action: '', actor: '', fromDay: '', toDay: '' })}>
          {words.clear}
        </button>
      )}
    </fieldset>
  );
}
