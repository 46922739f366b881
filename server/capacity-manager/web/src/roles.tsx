// Roles inside a partner on the page (the server decides: server/portals/portal-roles.ts).
// Everyone may view, register from the card and export; deregistering, undoing and changing
// settings is for the account's admin and the users the admin chooses. For everyone else those
// actions are disabled with the sentence that says whom to ask, the same one the API answers
// with. In Settings the admin grants and revokes. The words live here, beside the only
// component that uses them, in both languages.
import { useCallback, useEffect, useId, useState } from 'react';
import type { RoleHolderAnswer, RolesAnswer } from '../../roles-contract.js';
import { ApiError, call } from './api.js';
import { type Locale, useI18n } from './i18n.js';

const WORDS = {
  en: {
    refusal: 'Only this account’s admin and the users they choose may deregister and change settings',
    ask: 'ask',
    or: 'or',
    oneOf: 'or one of',
    heading: 'Who may deregister and change settings',
    admin: 'Admin',
    managers: 'Chosen by the admin',
    noManagers: 'Nobody else yet.',
    noAdmin: 'This account has no admin yet, so every user may deregister and change settings. The partner program’s operator names the admin.',
    you: { admin: 'You are the admin.', manager: 'You may deregister and change settings.', member: '', unrestricted: '' },
    grantLabel: 'User',
    grantHint: 'Pick someone who has signed in, or type their HubSpot email address.',
    grant: 'Allow',
    revoke: (name: string) => `Remove ${name}`,
    granted: (name: string) => `${name} may now deregister and change settings.`,
    revoked: (name: string) => `${name} may no longer deregister or change settings.`,
    user: (id: string) => `HubSpot user ${id}`,
  },
  sv: {
    refusal: 'Bara kontots administratör och de användare hen väljer får avregistrera och ändra inställningar',
    ask: 'fråga',
    or: 'eller',
    oneOf: 'eller någon av',
    heading: 'Vem får avregistrera och ändra inställningar',
    admin: 'Administratör',
    managers: 'Valda av administratören',
    noManagers: 'Ingen annan ännu.',
    noAdmin: 'Kontot har ingen administratör ännu, så alla användare får avregistrera och ändra inställningar. Partnerprogrammets operatör utser administratören.',
    you: { admin: 'Du är administratör.', manager: 'Du får avregistrera och ändra inställningar.', member: '', unrestricted: '' },
    grantLabel: 'Användare',
    grantHint: 'Välj någon som har loggat in, eller skriv hens e-postadress i HubSpot.',
    grant: 'Tillåt',
    revoke: (name: string) => `Ta bort ${name}`,
    granted: (name: string) => `${name} får nu avregistrera och ändra inställningar.`,
    revoked: (name: string) => `${name} får inte längre avregistrera eller ändra inställningar.`,
    user: (id: string) => `HubSpot-användare ${id}`,
  },
} satisfies Record<Locale, unknown>;

function wordsFor(locale: Locale) {
  return WORDS[locale];
}

function nameOf(locale: Locale, holder: Pick<RoleHolderAnswer, 'email' | 'userId'>): string {
  return holder.email ?? wordsFor(locale).user(holder.userId ?? '');
}

/** "Only … settings: ask ann@x or one of bo@x, cy@x." */
export function refusalSentence(locale: Locale, roles: RolesAnswer): string {
  const words = wordsFor(locale);
  if (!roles.admin) return '';
  const others = roles.managers.map((holder) => nameOf(locale, holder));
  const tail = others.length === 0 ? '' : others.length === 1 ? ` ${words.or} ${others[0]}` : ` ${words.oneOf} ${others.join(', ')}`;
  return `${words.refusal}: ${words.ask} ${nameOf(locale, roles.admin)}${tail}.`;
}

export const rolesApi = {
  roles: () => call<RolesAnswer>('/api/roles'),
  grant: (grant: { userId?: string; email?: string }) => call<RoleHolderAnswer>('/api/roles', { method: 'POST', body: grant }),
  revoke: (id: string) => call<void>(`/api/roles/${encodeURIComponent(id)}/revoke`, { method: 'POST', body: {} }),
};

export interface ManagePermission {
  /** False only once the server said so: until then the API is the judge. */
  mayManage: boolean;
  /** Why not, in the page's language; empty when allowed. */
  reason: string;
  roles: RolesAnswer | null;
  reload(): Promise<void>;
}

// One read shared by every action on the page (a list of jobs has an Undo each); read again
// after a grant or revoke, and on the next page load.
let shared: Promise<RolesAnswer> | null = null;
function readRoles(fresh: boolean): Promise<RolesAnswer> {
  if (fresh || !shared) {
    shared = rolesApi.roles();
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/** Whether the signed-in user may deregister, undo and change settings, read from the server. */
export function useManagePermission(): ManagePermission {
  const { locale } = useI18n();
  const [roles, setRoles] = useState<RolesAnswer | null>(null);
  const reload = useCallback(async () => {
    setRoles(await readRoles(true));
  }, []);
  useEffect(() => {
    let live = true;
    readRoles(false)
      .then((answer) => live && setRoles(answer))
      .catch(() => live && setRoles(null));
    return () => {
      live = false;
    };
  }, []);
  const mayManage = roles?.you.mayManage ?? true;
  return { mayManage, reason: roles && !mayManage ? refusalSentence(locale, roles) : '', roles, reload };
}

/** The sentence shown beside a disabled action, referenced by its aria-describedby. */
export function RefusalReason({ id, permission }: { id: string; permission: ManagePermission }) {
  if (permission.mayManage) return null;
  return (
    <p id={id} className="setting-hint role-refusal" data-testid="role-refusal">
      {permission.reason}
    </p>
  );
}

/** Settings: who may deregister and change settings; the admin grants and revokes. */
export function RolesSettings({ permission }: { permission: ManagePermission }) {
  const { locale } = useI18n();
  const words = wordsFor(locale);
  const inputId = useId();
  const hintId = useId();
  const [who, setWho] = useState('');
  const [message, setMessage] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { roles } = permission;
  if (!roles) return null;
  const isAdmin = roles.you.authority === 'admin';

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await action();
      await permission.reload();
      setMessage({ kind: 'saved', text });
    } catch (failure) {
      setMessage({ kind: 'error', text: failure instanceof ApiError ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  };

  const grant = () =>
    run(async () => {
      const typed = who.trim();
      const seen = roles.usersSeen.find((user) => user.email === typed || user.userId === typed);
      const holder = await rolesApi.grant(seen ? { userId: seen.userId } : { email: typed });
      setWho('');
      return words.granted(nameOf(locale, holder));
    });

  return (
    <section aria-labelledby="roles-heading" className="roles">
      <h3 id="roles-heading">{words.heading}</h3>
      {roles.admin ? (
        <>
          <p>
            {words.admin}: {nameOf(locale, roles.admin)}
          </p>
          <p>{words.you[roles.you.authority]}</p>
          <h4>{words.managers}</h4>
          {roles.managers.length === 0 ? (
            <p>{words.noManagers}</p>
          ) : (
            <ul className="role-list">
              {roles.managers.map((holder) => (
                <li key={holder.id}>
                  {nameOf(locale, holder)}{' '}
                  {isAdmin && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={busy}
                      onClick={() =>
                        void run(async () => {
                          await rolesApi.revoke(holder.id);
                          return words.revoked(nameOf(locale, holder));
                        })
                      }
                    >
                      {words.revoke(nameOf(locale, holder))}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {isAdmin && (
            <form
              className="role-grant"
              onSubmit={(event) => {
                event.preventDefault();
                if (who.trim()) void grant();
              }}
            >
              <label htmlFor={inputId}>{words.grantLabel}</label>
              <input id={inputId} type="text" list={`${inputId}-seen`} value={who} onChange={(event) => setWho(event.target.value)} aria-describedby={hintId} autoComplete="off" />
              <datalist id={`${inputId}-seen`}>
                {roles.usersSeen
                  .filter((user) => user.userId !== roles.admin?.userId)
                  .map((user) => (
                    <option key={user.userId} value={user.email ?? user.userId} />
                  ))}
              </datalist>
              <button type="submit" className="button button-primary" disabled={busy || !who.trim()}>
                {words.grant}
              </button>
              <p id={hintId} className="setting-hint">
                {words.grantHint}
              </p>
            </form>
          )}
        </>
      ) : (
        <p>{words.noAdmin}</p>
      )}
      <p role="status" className={message?.kind === 'error' ? 'job-error' : 'setting-saved'}>
        {message?.text}
      </p>
    </section>
  );
}
