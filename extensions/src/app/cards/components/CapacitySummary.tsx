// The portal's capacity in use, its alert at 80, 90 and 100 %, and "Manage your capacity".
import { Alert, Flex, Link, ProgressBar, Text } from '@hubspot/ui-extensions';
import type { CardState } from '../card-api-contract.js';
import type { CardFormat } from '../card-text.js';

export function CapacitySummary({ state, format, onLinkUsed }: { state: CardState; format: CardFormat; onLinkUsed: () => void }) {
  const { text, number } = format;
  const { capacity } = state;
  const usedOf = format.usedOf(capacity.used, capacity.limit);
  const level = capacity.alertLevel;
  const over = capacity.used - capacity.limit;
  return (
    <Flex direction="column" gap="xs">
      <Text>
        <Text inline format={{ fontWeight: 'bold' }}>
          {usedOf}
        </Text>{' '}
        {text.registeredWord} · {text.tier(text.tiers[capacity.tier])}
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
          {text.alert[level](format.percent(capacity.used, capacity.limit))}
          {over > 0 && ` ${text.overLimit(number(over), number(capacity.limit), number(over + 1))}`}
        </Alert>
      )}
      {/* The link opens a session once: after a click the card fetches a fresh one. */}
      <Link href={{ url: state.manageLink.url, external: true }} onClick={onLinkUsed}>
        {text.manage}
      </Link>
    </Flex>
  );
}
