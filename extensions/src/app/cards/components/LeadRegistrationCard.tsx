// The Lead Registration card (crm.record.sidebar, contacts): is this contact's domain
// registered, and by whom; Register when it is not; the capacity in use with its alerts; and
// "Manage your capacity", a one-time link into the Capacity Manager, already signed in; when
// another partner holds the domain, the waitlist (join, place in line, leave); with a claim
// period, until when the claim lasts, the reminder when it ends soon, and Renew.
//
// Everything comes from the app's backend through hubspot.fetch (HubSpot signs each request,
// and the backend acts only for the portal and user HubSpot names). The logic lives on the
// server; the card shows what it answers, in the user's language.
import { Alert, Button, Divider, ErrorState, Flex, Link, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardFormat, cardLocaleOf } from '../card-text.js';
import { useCardState } from '../hooks/useCardState.js';
import { CapacitySummary } from './CapacitySummary.js';
import { RegistrationStatus } from './RegistrationStatus.js';

export function LeadRegistrationCard({ context }: { context: CrmContext }) {
  const locale = cardLocaleOf(context.user.locale ?? context.user.language);
  const format = useMemo(() => cardFormat(locale), [locale]);
  const { text } = format;
  const { view, outcome, registering, register, retry, refresh, waitlistBusy, joinWaitlist, leaveWaitlist, renewing, renew } = useCardState(String(context.crm.objectId), locale);

  switch (view.status) {
    case 'loading':
      return <LoadingSpinner label={text.loading} showLabel layout="centered" />;
    case 'failed':
      return (
        <ErrorState title={text.unreachableTitle}>
          <Text>{view.failure === 'hubspot-unavailable' ? text.hubspotUnavailable : text.unreachable}</Text>
          <Button onClick={retry}>{text.retry}</Button>
        </ErrorState>
      );
    case 'not-connected':
      return (
        <Alert title={text.notConnectedTitle} variant="warning">
          {text.notConnected} <Link href={{ url: view.installUrl, external: true }}>{text.reinstall}</Link>
        </Alert>
      );
    case 'contact-not-found':
      return (
        <Alert title={text.contactNotFoundTitle} variant="warning">
          {text.contactNotFound}
        </Alert>
      );
    case 'ready':
      return (
        <Flex direction="column" gap="sm">
          <RegistrationStatus
            state={view.state}
            format={format}
            outcome={outcome}
            registering={registering}
            onRegister={() => void register()}
            waitlistBusy={waitlistBusy}
            onJoinWaitlist={() => void joinWaitlist()}
            onLeaveWaitlist={(domain) => void leaveWaitlist(domain)}
            renewing={renewing}
            onRenew={(registrationId) => void renew(registrationId)}
          />
          <Divider />
          <CapacitySummary state={view.state} format={format} onLinkUsed={() => void refresh()} />
        </Flex>
      );
  }
}
