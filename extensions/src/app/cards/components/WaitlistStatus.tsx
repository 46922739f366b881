// A contact whose domain another partner holds (exclusive claims): since when and until when,
// never who, and "Join the waitlist"; once this portal waits, its place in line and "Leave the
// waitlist". Waiting uses no capacity; the server registers the domain when it is released.
import { Flex, LoadingButton, Tag, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { CardState } from '../card-api-contract.js';
import type { CardFormat } from '../card-text.js';

interface WaitlistStatusProps {
  state: CardState;
  format: CardFormat;
  /** The outcome of the last click, shown in place. */
  notice: ReactNode;
  busy: boolean;
  onJoin: () => void;
  onLeave: (domain: string) => void;
}

export function WaitlistStatus({ state, format, notice, busy, onJoin, onLeave }: WaitlistStatusProps) {
  const { text, number, dateTime } = format;
  const place = state.waitlist;
  if (place) {
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="info">{text.waitlistTag}</Tag>
        {notice}
        <Text format={{ fontWeight: 'bold' }}>{text.waitlistPlace(place.displayDomain, place.position, number(place.position))}</Text>
        <Text variant="microcopy">{text.waitlistHow}</Text>
        {place.skippedAt && <Text variant="microcopy">{text.waitlistSkipped(dateTime(place.skippedAt))}</Text>}
        <LoadingButton variant="secondary" loading={busy} disabled={busy} onClick={() => onLeave(place.domain)}>
          {busy ? text.leavingWaitlist : text.leaveWaitlist}
        </LoadingButton>
      </Flex>
    );
  }
  const held = state.domainHeld;
  if (!held) return null;
  return (
    <Flex direction="column" gap="xs">
      <Tag variant="warning">{text.heldTag}</Tag>
      {notice}
      <Text>{text.domainHeld(state.contact.currentDisplayDomain ?? '', dateTime(held.heldSince), held.heldUntil ? dateTime(held.heldUntil) : null)}</Text>
      <LoadingButton variant="primary" loading={busy} disabled={busy} onClick={onJoin}>
        {busy ? text.joiningWaitlist : text.joinWaitlist}
      </LoadingButton>
    </Flex>
  );
}
