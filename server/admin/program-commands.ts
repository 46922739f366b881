// The operator's program-wide commands (dispatched from admin-commands.ts): the program's claim
// settings (server/program/program-settings.ts), conflicts — domains several partners hold —
// and their resolution (server/program/claim-conflicts.ts), and exceptions to the rule that
// free-mail and internet-provider domains are not registered
// (server/program/allowed-free-mail-domains.ts). Each change is audited with the operator as actor.
import type { Database } from '../db/client.js';
import { CLAIM_MODES, type ClaimMode, type ProgramSettings } from '../domain/claims.js';
import { isPartnerTier, PARTNER_TIERS } from '../domain/capacity.js';
import { displayDomain } from '../domain/registrable-domain.js';
import { allowFreeMailDomain, disallowFreeMailDomain, listAllowedFreeMailDomains } from '../program/allowed-free-mail-domains.js';
import { listClaimConflicts, resolveClaimConflict, resolveClaimConflictsKeepingEarliest, type KeepWhom } from '../program/claim-conflicts.js';
import { getProgramSettings, previewProgramSettings, updateProgramSettings, type SettingsChangePreview } from '../program/program-settings.js';
import type { AppQueues } from '../queue/queues.js';
import { formatTable } from './text-table.js';

export const PROGRAM_USAGE = `  program settings [--json]                  the program's claim settings
  program set [--claim-mode exclusive|shared] [--claim-period-days N|none]
              [--tier-claim-period TIER=N|TIER=none]… [--reminder-days 14,3]
              [--renewals N] [--inactivity-days N] [--dry-run]
                                              change them; prints what the change does to claims
                                              (--dry-run: only that)
  program conflicts [--json]                 domains more than one partner holds
  program resolve-conflict <domain> (--keep-earliest | --keep-portal P)
                                              keep one holder, deregister the others (written back)
  program resolve-conflicts --keep-earliest  resolve every conflict the same way
  program allow-domain <domain>              let portals register a free-mail or internet-provider
                                              domain (gmail.com, telia.com, …) that is refused by default
  program disallow-domain <domain>           refuse it again (registrations already made stay)
  program allowed-domains [--json]           the free-mail domains this program allows`;

export interface ProgramCommandContext {
  db: Database;
  queues: () => Pick<AppQueues, 'deregistrations'>;
  print: (line: string) => void;
  actor: string;
  usage: (message: string) => Error;
}

export interface ProgramCommandOptions {
  json?: boolean;
  'claim-mode'?: string;
  'claim-period-days'?: string;
  'tier-claim-period'?: string[];
  'reminder-days'?: string;
  renewals?: string;
  'inactivity-days'?: string;
  'dry-run'?: boolean;
  'keep-earliest'?: boolean;
  'keep-portal'?: string;
}

export async function runProgramCommand(context: ProgramCommandContext, [, command, domain]: string[], options: ProgramCommandOptions): Promise<void> {
  switch (command) {
    case 'settings': {
      const settings = await getProgramSettings(context.db);
      if (options.json) return context.print(JSON.stringify(settings, null, 2));
      return printSettings(context, settings);
    }
    case 'set': {
      const changes = settingsChanges(context, options);
      if (Object.keys(changes).length === 0) throw context.usage('Say what to change, e.g. program set --claim-period-days 180.');
      const preview = options['dry-run'] ? await previewProgramSettings(context.db, changes) : await updateProgramSettings(context.db, { changes, actor: context.actor });
      if (options.json) return context.print(JSON.stringify(preview, null, 2));
      printSettings(context, preview.settings);
      return printEffects(context, preview, Boolean(options['dry-run']));
    }
    case 'conflicts': {
      const conflicts = await listClaimConflicts(context.db);
      if (options.json) return context.print(JSON.stringify(conflicts, null, 2));
      if (conflicts.length === 0) return context.print('No domain is held by more than one partner.');
      const rows = conflicts.flatMap((conflict) =>
        conflict.holders.map((holder, index) => [
          index === 0 ? conflict.displayDomain : '',
          String(holder.portalId),
          holder.portalName ?? '',
          holder.registeredAt.slice(0, 16).replace('T', ' '),
          index === 0 ? 'earliest' : '',
        ]),
      );
      for (const line of formatTable(['DOMAIN', 'PORTAL', 'NAME', 'REGISTERED (UTC)', ''], rows)) context.print(line);
      return context.print(`${conflicts.length} conflicted ${conflicts.length === 1 ? 'domain' : 'domains'}: no other partner can register them until they are resolved.`);
    }
    case 'resolve-conflict': {
      if (!domain) throw context.usage('Say which domain: program resolve-conflict <domain> --keep-earliest | --keep-portal P.');
      const resolution = await resolveClaimConflict({ db: context.db, queues: context.queues() }, { domain, keep: keepWhom(context, options), actor: context.actor });
      return printResolution(context, resolution);
    }
    case 'resolve-conflicts': {
      if (!options['keep-earliest']) throw context.usage('Resolving every conflict at once keeps the earliest registration: add --keep-earliest.');
      // In batches, as the console does; a conflict someone else resolved meanwhile is skipped.
      let resolved = 0;
      for (;;) {
        const batch = await resolveClaimConflictsKeepingEarliest({ db: context.db, queues: context.queues() }, { actor: context.actor, limit: 500 });
        for (const resolution of batch.resolved) printResolution(context, resolution);
        resolved += batch.resolved.length;
        if (batch.remaining === 0 || batch.resolved.length === 0) break;
      }
      return context.print(resolved === 0 ? 'No domain is held by more than one partner.' : `Resolved ${resolved} ${resolved === 1 ? 'conflict' : 'conflicts'}.`);
    }
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

function keepWhom(context: ProgramCommandContext, options: ProgramCommandOptions): KeepWhom {
  if (options['keep-earliest'] && options['keep-portal']) throw context.usage('Give --keep-earliest or --keep-portal, not both.');
  if (options['keep-earliest']) return { kind: 'earliest' };
  const portal = options['keep-portal'];
  if (!portal) throw context.usage('Say whom to keep: --keep-earliest, or --keep-portal <portalId>.');
  if (!/^[1-9]\d{0,15}$/.test(portal)) throw context.usage(`A portal id is a positive whole number (got "${portal}").`);
  return { kind: 'portal', portalId: Number(portal) };
}

function wholeNumber(context: ProgramCommandContext, name: string, value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw context.usage(`--${name} takes a whole number (got "${value}").`);
  return Number(value);
}

/** The options given, as a settings change; values are checked as a whole by the use case. */
function settingsChanges(context: ProgramCommandContext, options: ProgramCommandOptions): Partial<ProgramSettings> {
  const changes: Partial<ProgramSettings> = {};
  const mode = options['claim-mode'];
  if (mode !== undefined) {
    if (!(CLAIM_MODES as readonly string[]).includes(mode)) throw context.usage(`--claim-mode is ${CLAIM_MODES.join(' or ')} (got "${mode}").`);
    changes.claimMode = mode as ClaimMode;
  }
  const period = options['claim-period-days'];
  if (period !== undefined) changes.claimPeriodDays = period === 'none' ? null : wholeNumber(context, 'claim-period-days', period);
  if (options['tier-claim-period']?.length) {
    changes.claimPeriodDaysByTier = {};
    for (const pair of options['tier-claim-period']) {
      const [tier, days] = pair.split('=');
      if (!tier || !isPartnerTier(tier) || days === undefined)
        throw context.usage(`--tier-claim-period is TIER=DAYS or TIER=none, tiers ${PARTNER_TIERS.join(', ')} (got "${pair}").`);
      if (days !== 'none') changes.claimPeriodDaysByTier[tier] = wholeNumber(context, 'tier-claim-period', days);
    }
  }
  if (options['reminder-days'] !== undefined) {
    changes.reminderDays = options['reminder-days'] === 'none' ? [] : options['reminder-days'].split(',').map((days) => wholeNumber(context, 'reminder-days', days.trim()));
  }
  if (options.renewals !== undefined) changes.renewalsAllowed = wholeNumber(context, 'renewals', options.renewals);
  if (options['inactivity-days'] !== undefined) changes.inactivityDays = wholeNumber(context, 'inactivity-days', options['inactivity-days']);
  return changes;
}

function printSettings(context: ProgramCommandContext, settings: ProgramSettings): void {
  const tiers = Object.entries(settings.claimPeriodDaysByTier).map(([tier, days]) => `${tier} ${days} days`);
  context.print(
    `Claims:            ${settings.claimMode}${settings.claimMode === 'exclusive' ? ' (a domain is held by one partner at a time)' : ' (partners may hold the same domain)'}`,
  );
  context.print(
    `Claim period:      ${settings.claimPeriodDays === null ? 'none (claims never expire)' : `${settings.claimPeriodDays} days`}${tiers.length ? `; ${tiers.join(', ')}` : ''}`,
  );
  context.print(`Reminders:         ${settings.reminderDays.length ? `${settings.reminderDays.join(' and ')} days before expiry` : 'none'}`);
  context.print(`Renewals allowed:  ${settings.renewalsAllowed} per claim`);
  context.print(`Inactivity:        ${settings.inactivityDays} days without sales activity suggests releasing a claim`);
}

function printEffects(context: ProgramCommandContext, preview: SettingsChangePreview, dryRun: boolean): void {
  const would = dryRun ? 'would ' : '';
  const earliest = preview.earliestNewExpiry ? `; the earliest new expiry is ${preview.earliestNewExpiry.slice(0, 10)}` : '';
  context.print(
    `${dryRun ? 'Nothing changed (dry run). ' : 'Saved. '}${preview.claimsGettingExpiry} claims ${would}get an expiry date, ${preview.claimsChangingExpiry} ${would}change theirs, ${preview.claimsLosingExpiry} ${would}lose theirs${earliest}.`,
  );
  if (preview.settings.claimMode === 'exclusive' && preview.conflicts > 0) {
    context.print(
      `${preview.conflicts} domains are held by more than one partner: nobody else can register them; resolve them with \`program conflicts\` and \`program resolve-conflict\`.`,
    );
  }
}

function printResolution(context: ProgramCommandContext, resolution: Awaited<ReturnType<typeof resolveClaimConflict>>): void {
  const released = resolution.released.map((holder) => `${holder.portalId} (job ${holder.jobId.slice(0, 8)})`).join(', ');
  context.print(`${displayDomain(resolution.domain)}: kept portal ${resolution.kept.portalId}; deregistering it from ${released}.`);
}
