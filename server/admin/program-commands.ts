// The operator's program-wide commands (dispatched from admin-commands.ts): exceptions to the
// rule that free-mail and internet-provider domains are not registered
// (server/program/allowed-free-mail-domains.ts). Each change is audited with the operator as actor.
import type { Database } from '../db/client.js';
import { displayDomain } from '../domain/registrable-domain.js';
import { allowFreeMailDomain, disallowFreeMailDomain, listAllowedFreeMailDomains } from '../program/allowed-free-mail-domains.js';

export const PROGRAM_USAGE = `  program allow-domain <domain>              let portals register a free-mail or internet-provider
                                              domain (gmail.com, telia.com, …) that is refused by default
  program disallow-domain <domain>           refuse it again (registrations already made stay)
  program allowed-domains [--json]           the free-mail domains this program allows`;

export interface ProgramCommandContext {
  db: Database;
  print: (line: string) => void;
  actor: string;
  usage: (message: string) => Error;
}

export async function runProgramCommand(context: ProgramCommandContext, [, command, domain]: string[], options: { json?: boolean }): Promise<void> {
  switch (command) {
    case 'allow-domain': {
      if (!domain) throw context.usage('Say which domain: program allow-domain <domain>.');
      const result = await allowFreeMailDomain(context.db, { domain, actor: context.actor });
      return context.print(result.changed ? `${displayDomain(result.domain)} can now be registered.` : `${displayDomain(result.domain)} was already allowed; nothing changed.`);
    }
    case 'disallow-domain': {
      if (!domain) throw context.usage('Say which domain: program disallow-domain <domain>.');
      const result = await disallowFreeMailDomain(context.db, { domain, actor: context.actor });
      return context.print(result.changed ? `${displayDomain(result.domain)} is refused again.` : `${displayDomain(result.domain)} was not allowed; nothing changed.`);
    }
    case 'allowed-domains': {
      const allowed = await listAllowedFreeMailDomains(context.db);
      if (options.json) return context.print(JSON.stringify(allowed, null, 2));
      if (allowed.length === 0) return context.print('No free-mail domain is allowed.');
      for (const entry of allowed) context.print(`${displayDomain(entry.domain).padEnd(30)} allowed ${entry.allowedAt.toISOString()} by ${entry.allowedBy}`);
      return;
    }
    default:
      throw context.usage(`Unknown command "program${command ? ` ${command}` : ''}".`);
  }
}
