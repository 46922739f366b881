// The Lead Registration card (crm.record.sidebar, contacts): is this contact's domain
// registered, and by whom; Register when it is not; the capacity in use with its alerts; and
// "Manage your capacity", a one-time link into the Capacity Manager, already signed in.
//
// Everything comes from the app's backend through hubspot.fetch (HubSpot signs each request,
// and the backend acts only for the portal and user HubSpot names). The logic lives on the
// server; the card shows what it answers, in the user's language.
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  ErrorState,
  Flex,
  hubspot,
  Link,
  LoadingButton,
  LoadingSpinner,
  ProgressBar,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { CrmContext } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { BACKEND_URL } from './backend.js';
import { CARD_API_PATHS, CARD_PROBLEM_CODES, type CardProblem, type CardState, type RegisterAnswer } from './card-api-contract.js';
import { cardFormat, cardLocaleOf, refusalSentence, type CardFormat } from './card-text.js';

/** The state is fetched again this often while the card is open, so the link never goes stale. */
export const REFRESH_INTERVAL_MS = 4 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; state: CardState }
  | { status: 'unreachable' }
  | { status: 'not-connected'; installUrl: string | null }
  | { status: 'contact-not-found' };

type Outcome = { kind: 'registered' | 'refused'; answer: RegisterAnswer } | { kind: 'failed'; message: string } | null;

type BackendAnswer<T> = { ok: true; body: T } | { ok: false; problem: CardProblem | null };

async function callBackend<T>(path: string, locale: string, options: { method?: 'GET' | 'POST'; body?: Record<string, unknown> } = {}): Promise<BackendAnswer<T>> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${path}?locale=${encodeURIComponent(locale)}`, { method: options.method ?? 'GET', body: options.body, timeout: FETCH_TIMEOUT_MS });
  } catch {
    return { ok: false, problem: null };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.ok && body) return { ok: true, body: body as T };
  return { ok: false, problem: body && typeof (body as CardProblem).code === 'string' ? (body as CardProblem) : null };
}

function loadedFromProblem(problem: CardProblem | null): Loaded {
  if (problem?.code === CARD_PROBLEM_CODES.notConnected) return { status: 'not-connected', installUrl: problem.installUrl ?? null };
  if (problem?.code === CARD_PROBLEM_CODES.contactNotFound) return { status: 'contact-not-found' };
  return { status: 'unreachable' };
}

export function LeadRegistrationCard({ context }: { context: CrmContext }) {
  const locale = cardLocaleOf(context.user.locale ?? context.user.language);
  const format = useMemo(() => cardFormat(locale), [locale]);
  const { text } = format;
  const contactId = String(context.crm.objectId);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [registering, setRegistering] = useState(false);

  const load = useCallback(async () => {
    const answer = await callBackend<CardState>(CARD_API_PATHS.state(contactId), locale);
    setLoaded(answer.ok ? { status: 'ready', state: answer.body } : loadedFromProblem(answer.problem));
  }, [contactId, locale]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const register = async () => {
    setRegistering(true);
    setOutcome(null);
    const answer = await callBackend<RegisterAnswer>(CARD_API_PATHS.register(contactId), locale, { method: 'POST', body: {} });
    setRegistering(false);
    if (answer.ok) {
      setOutcome({ kind: answer.body.outcome, answer: answer.body });
      setLoaded({ status: 'ready', state: answer.body.state });
      return;
    }
    const problem = answer.problem;
    if (problem?.code === CARD_PROBLEM_CODES.notConnected || problem?.code === CARD_PROBLEM_CODES.contactNotFound) {
      setLoaded(loadedFromProblem(problem));
      return;
    }
    setOutcome({ kind: 'failed', message: problem?.code === CARD_PROBLEM_CODES.hubspotUnavailable ? text.hubspotUnavailable : text.registerFailed });
  };

  if (loaded.status === 'loading') return <LoadingSpinner label={text.loading} showLabel layout="centered" />;
  if (loaded.status === 'unreachable') {
    return (
      <ErrorState title={text.unreachableTitle}>
        <Text>{text.unreachable}</Text>
        <Button
          onClick={() => {
            setLoaded({ status: 'loading' });
            void load();
          }}
        >
          {text.retry}
        </Button>
      </ErrorState>
    );
  }
  if (loaded.status === 'not-connected') {
    return (
      <Alert title={text.notConnectedTitle} variant="warning">
        {text.notConnected} {loaded.installUrl && <Link href={{ url: loaded.installUrl, external: true }}>{text.reinstall}</Link>}
      </Alert>
    );
  }
  if (loaded.status === 'contact-not-found') return <Alert title={text.unreachableTitle} variant="error">{text.contactNotFound}</Alert>;

  const { state } = loaded;
  return (
    <Flex direction="column" gap="sm">
      <RegistrationStatus state={state} format={format} outcome={outcome} registering={registering} onRegister={() => void register()} />
      <Divider />
      <CapacitySummary state={state} format={format} onLinkUsed={() => void load()} />
    </Flex>
  );
}

function RegistrationStatus({ state, format, outcome, registering, onRegister }: { state: CardState; format: CardFormat; outcome: Outcome; registering: boolean; onRegister: () => void }) {
  const { text, date } = format;
  const { registration, contact } = state;
  const refusal = outcome?.kind === 'refused' ? outcome.answer.refusal : null;

  const outcomeNotice = (
    <>
      {outcome?.kind === 'registered' && registration && (
        <Alert title={text.registered} variant="success">
          {text.justRegistered(registration.displayDomain)}
        </Alert>
      )}
      {refusal && (
        <Alert title={text.refusedTitle} variant={refusal.code === 'ALREADY_REGISTERED' ? 'info' : 'danger'}>
          {refusalSentence(refusal, format)}
          {refusal.code === 'CAPACITY_FULL' && (
            <>
              {' '}
              <Link href={{ url: state.manageLink.url, external: true }}>{text.freeSome}</Link>
            </>
          )}
        </Alert>
      )}
      {outcome?.kind === 'failed' && (
        <Alert title={text.refusedTitle} variant="error">
          {outcome.message}
        </Alert>
      )}
    </>
  );

  if (registration?.throughThisContact) {
    const by =
      registration.channel === 'automatic' ? text.byRule(registration.registeredBy) : registration.channel === 'operator' ? text.byOperator : registration.registeredBy;
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="success">{text.registered}</Tag>
        {outcomeNotice}
        <DescriptionList direction="column">
          <DescriptionListItem label={text.domain}>
            <Text format={{ fontWeight: 'bold' }}>{registration.displayDomain}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={text.registeredOn}>
            <Text>{date(registration.registeredAt)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={text.registeredBy}>
            <Text>{by}</Text>
          </DescriptionListItem>
        </DescriptionList>
        {state.websiteChanged && (
          <Alert title={text.domain} variant="info">
            {text.websiteChanged(contact.currentDisplayDomain, registration.displayDomain)}
          </Alert>
        )}
      </Flex>
    );
  }

  if (registration) {
    const through = registration.contactName ? `${registration.contactName} (${registration.contactId})` : registration.contactId;
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="success">{text.registered}</Tag>
        {outcomeNotice}
        <Text>{text.throughOther(registration.displayDomain, through, date(registration.registeredAt))}</Text>
      </Flex>
    );
  }

  const blocked = contact.websiteProblem;
  return (
    <Flex direction="column" gap="xs">
      <Tag variant="default">{text.notRegistered}</Tag>
      {outcomeNotice}
      {blocked ? (
        <Text variant="microcopy">{blocked.code === 'NO_WEBSITE' ? text.noWebsite : text.invalidWebsite(blocked.reason)}</Text>
      ) : (
        contact.currentDisplayDomain && <Text variant="microcopy">{text.willRegister(contact.currentDisplayDomain)}</Text>
      )}
      <LoadingButton variant="primary" loading={registering} disabled={Boolean(blocked) || registering} onClick={onRegister}>
        {registering ? text.registering : text.register}
      </LoadingButton>
    </Flex>
  );
}

function CapacitySummary({ state, format, onLinkUsed }: { state: CardState; format: CardFormat; onLinkUsed: () => void }) {
  const { text, number } = format;
  const { capacity } = state;
  const usedOf = text.usedOf(number(capacity.used), number(capacity.limit));
  const level = capacity.alertLevel;
  return (
    <Flex direction="column" gap="xs">
      <Text>
        <Text inline format={{ fontWeight: 'bold' }}>
          {usedOf}
        </Text>{' '}
        {text.domainsRegistered} · {text.tier(text.tiers[capacity.tier])}
      </Text>
      <ProgressBar
        title={text.capacity}
        value={Math.min(capacity.used, capacity.limit)}
        maxValue={Math.max(capacity.limit, 1)}
        valueDescription={usedOf}
        variant={level === 100 ? 'danger' : level ? 'warning' : 'success'}
      />
      {level !== null && (
        <Alert title={text.capacity} variant={level === 100 ? 'danger' : 'warning'}>
          {text.alert[level]}
        </Alert>
      )}
      {/* The link opens a session once: after a click the card fetches a fresh one. */}
      <Link href={{ url: state.manageLink.url, external: true }} onClick={onLinkUsed}>
        {text.manage}
      </Link>
    </Flex>
  );
}

hubspot.extend<'crm.record.sidebar'>(({ context }) => <LeadRegistrationCard context={context} />);
