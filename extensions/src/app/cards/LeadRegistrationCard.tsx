// The card's entrypoint (lead-registration-card-hsmeta.json): it only registers the card with
// HubSpot, as HubSpot's own examples do; the card is components/LeadRegistrationCard.tsx.
import { hubspot } from '@hubspot/ui-extensions';
import { LeadRegistrationCard } from './components/LeadRegistrationCard.js';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <LeadRegistrationCard context={context} />);
