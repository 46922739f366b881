// Is the contact's domain registered, through which contact, by whom, until when (Renew while
// the program allows); Register when it is not (the waitlist when another partner holds it), with
// the outcome of the last click in place.
import { Alert, DescriptionList, DescriptionListItem, Flex, Link, LoadingButton, Tag, Text } from '@hubspot/ui-extensions';
import type { CardState } from '../card-api-contract.js';
import { refusalSentence, type CardFormat } from '../card-text.js';
import type { RegisterOutcome } from '../hooks/useCardState.js';
import { ClaimRenewal } from './ClaimRenewal.js';
import { WaitlistStatus } from './WaitlistStatus.js';

interface RegistrationStatusProps {
  state: CardState;
  format: CardFormat;
  outcome: RegisterOutcome;
  registering: boolean;
  onRegister: () => void;
  waitlistBusy: boolean;
  onJoinWaitlist: () => void;
  onLeaveWaitlist: (domain: string) => void;
  renewing: boolean;
  onRenew: (registrationId: string) => void;
}

function OutcomeNotice({ state, format, outcome }: Pick<RegistrationStatusProps, 'state' | 'format' | 'outcome'>) {
  const { text } = format;
  if (outcome?.kind === 'registered' && state.registration) {
    return (
      <Alert title={text.registered} variant="success">
        {text.justRegistered(state.registration.displayDomain)}
      </Alert>
    );
  }
  if (outcome?.kind === 'refused') {
    const { refusal } = outcome;
    return (
      <Alert title={text.refusedTitle} variant={refusal.code === 'ALREADY_REGISTERED' ? 'info' : 'danger'}>
        {refusalSentence(refusal, format)}
        {refusal.code === 'CAPACITY_FULL' && (
          <>
            {' '}
            <Link href={{ url: state.manageLink.url, external: true }}>{text.freeSome}</Link>
          </>
        )}
      </Alert>
    );
  }
  if (outcome?.kind === 'joined' || outcome?.kind === 'left') {
    return (
      <Alert title={text.waitlistTitle} variant="success">
        {outcome.kind === 'joined' ? text.joinedWaitlist(outcome.domain) : text.leftWaitlist(outcome.domain)}
      </Alert>
    );
  }
  if (outcome?.kind === 'waitlist-refused' || outcome?.kind === 'waitlist-failed') {
    return (
      <Alert title={text.waitlistTitle} variant={outcome.kind === 'waitlist-refused' ? 'info' : 'error'}>
        {outcome.kind === 'waitlist-refused'
          ? text.waitlistRefusals[outcome.refusal.code]
          : outcome.failure === 'hubspot-unavailable'
            ? text.hubspotUnavailable
            : text.waitlistFailed}
      </Alert>
    );
  }
  if (outcome?.kind === 'renewed' && state.registration?.expiry) {
    return (
      <Alert title={text.renewedTitle} variant="success">
        {text.justRenewed(state.registration.displayDomain, format.dateTime(state.registration.expiry.expiresAt))}
      </Alert>
    );
  }
  if (outcome?.kind === 'renewal-refused' || outcome?.kind === 'renewal-failed') {
    return (
      <Alert title={text.renewalRefusedTitle} variant={outcome.kind === 'renewal-refused' ? 'warning' : 'error'}>
        {outcome.kind === 'renewal-refused' ? text.renewalRefusals[outcome.refusal.code] : outcome.failure === 'hubspot-unavailable' ? text.hubspotUnavailable : text.renewFailed}
      </Alert>
    );
  }
  if (outcome?.kind === 'failed') {
    return (
      <Alert title={text.refusedTitle} variant="error">
        {outcome.failure === 'hubspot-unavailable' ? text.hubspotUnavailable : text.registerFailed}
      </Alert>
    );
  }
  return null;
}

export function RegistrationStatus({ state, format, outcome, registering, onRegister, waitlistBusy, onJoinWaitlist, onLeaveWaitlist, renewing, onRenew }: RegistrationStatusProps) {
  const { text, dateTime } = format;
  const { registration, contact } = state;
  const notice = <OutcomeNotice state={state} format={format} outcome={outcome} />;
  const expiry = registration?.expiry;
  const renewal = registration && expiry && <ClaimRenewal registration={registration} expiry={expiry} format={format} renewing={renewing} onRenew={onRenew} />;

  if (registration?.throughThisContact) {
    const by =
      registration.channel === 'automatic'
        ? text.byRule(registration.registeredBy)
        : registration.channel === 'operator'
          ? text.byOperator
          : registration.channel === 'waitlist'
            ? text.byWaitlist(registration.registeredBy)
            : registration.registeredBy;
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="success">{text.registered}</Tag>
        {notice}
        <DescriptionList direction="column">
          <DescriptionListItem label={text.domain}>
            <Text format={{ fontWeight: 'bold' }}>{registration.displayDomain}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={text.registeredOn}>
            <Text>{dateTime(registration.registeredAt)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={text.registeredBy}>
            <Text>{by}</Text>
          </DescriptionListItem>
          {expiry && (
            <DescriptionListItem label={text.expiresOn}>
              <Text>{dateTime(expiry.expiresAt)}</Text>
            </DescriptionListItem>
          )}
        </DescriptionList>
        {renewal}
        {state.websiteChanged && (
          <Alert title={text.websiteChangedTitle} variant="info">
            {text.websiteChanged(contact.currentDisplayDomain, registration.displayDomain)}
          </Alert>
        )}
      </Flex>
    );
  }

  if (registration) {
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="success">{text.registered}</Tag>
        {notice}
        <Text>
          {text.throughOther.before(registration.displayDomain)}
          <Link href={{ url: registration.contactUrl, external: true }}>{registration.contactName ?? text.unnamedContact}</Link>
          {text.throughOther.after(dateTime(registration.registeredAt))}
        </Text>
        {expiry && (
          <DescriptionList direction="column">
            <DescriptionListItem label={text.expiresOn}>
              <Text>{dateTime(expiry.expiresAt)}</Text>
            </DescriptionListItem>
          </DescriptionList>
        )}
        {renewal}
      </Flex>
    );
  }

  // Another partner holds the domain, or this portal waits for it: the waitlist instead of Register.
  if (state.waitlist || state.domainHeld) {
    return <WaitlistStatus state={state} format={format} notice={notice} busy={waitlistBusy} onJoin={onJoinWaitlist} onLeave={onLeaveWaitlist} />;
  }

  const blocked = state.cannotRegister;
  const refused = outcome?.kind === 'refused';
  // The refusal just shown says it already; the same reason twice would be noise.
  const reasonShown = refused && blocked?.code === outcome.refusal.code;
  return (
    <Flex direction="column" gap="xs">
      <Tag variant="default">{text.notRegistered}</Tag>
      {notice}
      {blocked
        ? !reasonShown && (
            <Text variant="microcopy">
              {refusalSentence(blocked, format)}
              {blocked.code === 'CAPACITY_FULL' && (
                <>
                  {' '}
                  <Link href={{ url: state.manageLink.url, external: true }}>{text.freeSome}</Link>
                </>
              )}
            </Text>
          )
        : !refused && contact.currentDisplayDomain && <Text variant="microcopy">{text.willRegister(contact.currentDisplayDomain)}</Text>}
      <LoadingButton variant="primary" loading={registering} disabled={Boolean(blocked) || registering} onClick={onRegister}>
        {registering ? text.registering : text.register}
      </LoadingButton>
    </Flex>
  );
}
