// Free-mail and internet-provider domains (gmail.com, outlook.com, gmx.de, telia.com, …) are not
// prospects: a contact whose website is one names the mailbox, not the company, and registering
// it would claim everyone who writes from that provider. They are refused, unless the program's
// operator allows one (`npm run admin -- program allow-domain <domain>`).
//
// The list is a maintained package, not ours: company-email-validator's list of free e-mail
// provider domains (about 16,000, kept as a Set; github.com/bnurbekov/company-email-validator).
// Chosen over free-email-domains and email-providers because, of the lists checked on npm, it is
// the one that has telia.com as well as gmx.de and web.de.
import { isCompanyDomain } from 'company-email-validator';

/** True when a registrable domain (lowercase ASCII) is a free-mail or internet provider's. */
export function isFreeMailDomain(domain: string): boolean {
  return !isCompanyDomain(domain);
}

/** Whether the rules refuse the domain: on the free-mail list and not allowed by the operator. */
export function refusedAsFreeMail(domain: string, allowedFreeMailDomains: ReadonlySet<string>): boolean {
  return isFreeMailDomain(domain) && !allowedFreeMailDomains.has(domain);
}
