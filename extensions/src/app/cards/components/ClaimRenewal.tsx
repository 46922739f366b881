// A claim that expires (the program has a claim period): the reminder when it ends within the
// program's first reminder window, and Renew while the program allows more renewals. Whether it
// is expiring soon and how many renewals are left come from the server; the card decides nothing.
import { Alert, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { CardRegistration, ClaimExpiry } from '../card-api-contract.js';
import type { CardFormat } from '../card-text.js';

interface ClaimRenewalProps {
  registration: CardRegistration;
  expiry: ClaimExpiry;
  format: CardFormat;
  renewing: boolean;
  onRenew: (registrationId: string) => void;
}

export function ClaimRenewal({ registration, expiry, format, renewing, onRenew }: ClaimRenewalProps) {
  const { text, dateTime } = format;
  const expiresAt = dateTime(expiry.expiresAt);
  const left = format.count(expiry.renewalsLeft, text.renewals);
  return (
    <Flex direction="column" gap="xs">
      {expiry.expiringSoon && (
        <Alert title={text.expiringTitle} variant="warning">
          {expiry.renewalsLeft > 0 ? text.expiringSoon(registration.displayDomain, expiresAt, left) : text.expiringNoRenewals(registration.displayDomain, expiresAt)}
        </Alert>
      )}
      {expiry.renewalsLeft > 0 && (
        <Flex direction="row" gap="sm" align="center">
          <LoadingButton variant={expiry.expiringSoon ? 'primary' : 'secondary'} loading={renewing} disabled={renewing} onClick={() => onRenew(registration.id)}>
            {renewing ? text.renewing : text.renew}
          </LoadingButton>
          <Text variant="microcopy">{text.renewalsLeft(left)}</Text>
        </Flex>
      )}
    </Flex>
  );
}
