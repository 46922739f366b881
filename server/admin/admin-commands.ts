// The operator's commands (`npm run admin -- …`, see cli.ts): set what partners cannot set
// themselves (tier, limit override) and show usage across portals. Every change goes through the
// same use cases as the app and is audited with the operator as actor.
import { parseArgs } from 'node:util';
import { isPartnerTier, PARTNER_TIERS } from '../domain/capacity.js';
import { setPortalLimit, setPortalTier, updatePortalSettings } from '../portals/change-portal.js';
import { ensurePortal } from '../portals/ensure-portal.js';
import { listPortals } from '../portals/list-portals.js';
import { setPortalAdmin } from '../portals/portal-roles.js';
import type { PortalView } from '../portals/portal-view.js';
import type { Dependencies } from '../runtime/dependencies.js';
import { DEREGISTRATION_USAGE, runDeregistrationCommand } from './deregistration-commands.js';
import { PORTAL_DISCONNECT_USAGE, runPortalDisconnect } from './portal-disconnect-command.js';
import { PROGRAM_USAGE, runProgramCommand } from './program-commands.js';
import { formatTable } from './text-table.js';

export const USAGE = `Usage: npm run admin -- <command> [arguments]

Commands:
  portals list [--json]                       every portal with its tier, limit, capacity in use,
                                              automatic registration and install state
  portals create <portalId> [--tier T] [--name N]
                                              add a portal by hand (installs create them too)
  portals set-tier <portalId> <tier>          tier: ${PARTNER_TIERS.join(', ')}
  portals set-limit <portalId> <limit>        an explicit limit that wins over the tier's
  portals clear-limit <portalId>              back to the tier's limit
  portals set-auto-register <portalId> on|off register every new contact with a website
  portals set-admin <portalId> <email>        name the partner's admin (who chooses who may deregister
                                              and change settings); for portals installed before roles
${PORTAL_DISCONNECT_USAGE}
${DEREGISTRATION_USAGE}
${PROGRAM_USAGE}

Options:
  --actor NAME   who to record in the audit log (default: operator:$USER)
  --help         this text`;

export class UsageError extends Error {}

function portalIdArgument(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) throw new UsageError(`A portal id is a positive whole number (got "${value ?? ''}").`);
  return Number(value);
}

const PORTAL_COLUMNS = ['PORTAL', 'NAME', 'TIER', 'LIMIT', 'USED', 'LEFT', 'AUTO-REGISTER', 'STATE'];

function portalRow(portal: PortalView): string[] {
  const { capacity } = portal;
  return [
    String(portal.id),
    portal.name ?? '',
    capacity.tier,
    capacity.limitSource === 'override' ? `${capacity.limit} (override)` : String(capacity.limit),
    String(capacity.used),
    String(capacity.remaining),
    portal.autoRegisterNewContacts ? 'on' : 'off',
    portal.installState,
  ];
}

/** One portal after a change, as a sentence-like line. */
function formatPortal(portal: PortalView): string {
  const { capacity } = portal;
  const limit = capacity.limitSource === 'override' ? `${capacity.limit} (override; ${capacity.tier} tier)` : `${capacity.limit} (${capacity.tier} tier)`;
  return `${String(portal.id).padEnd(14)} ${(portal.name ?? '').padEnd(24).slice(0, 24)} ${String(capacity.used).padStart(6)} of ${limit}, ${capacity.remaining} left${portal.installState === 'disconnected' ? ', disconnected' : ''}`;
}

/** What the commands use; the CLI's Redis connects only when a command first needs it. */
export type AdminDependencies = Pick<Dependencies, 'db' | 'queues' | 'hubspot'>;

export async function runAdminCommand(deps: AdminDependencies, argv: string[], print: (line: string) => void): Promise<void> {
  const { db } = deps;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      tier: { type: 'string' },
      name: { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', default: false },
      portal: { type: 'string' },
      domains: { type: 'string' },
      all: { type: 'boolean' },
      'registered-before': { type: 'string' },
      status: { type: 'string' },
      wait: { type: 'boolean' },
      'claim-mode': { type: 'string' },
      'claim-period-days': { type: 'string' },
      'tier-claim-period': { type: 'string', multiple: true },
      'reminder-days': { type: 'string' },
      renewals: { type: 'string' },
      'inactivity-days': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'keep-earliest': { type: 'boolean' },
      'keep-portal': { type: 'string' },
    },
  });
  if (values.help) return print(USAGE);
  const actor = values.actor ?? `operator:${process.env.USER ?? 'unknown'}`;
  const [group, command, ...rest] = positionals;
  if (group === 'program') return runProgramCommand({ db, queues: () => deps.queues, print, actor, usage: (message) => new UsageError(message) }, positionals, values);
  if (group === 'deregister' || group === 'jobs') {
    return runDeregistrationCommand({ db, queues: deps.queues, print, actor, usage: (message) => new UsageError(message), portalIdArgument }, positionals, values);
  }
  if (group !== 'portals' || !command) throw new UsageError(group ? `Unknown command "${positionals.join(' ')}".` : 'No command given.');

  switch (command) {
    case 'list': {
      const portals = await listPortals(db);
      if (values.json) return print(JSON.stringify(portals, null, 2));
      if (portals.length === 0) return print('No portals yet.');
      for (const line of formatTable(PORTAL_COLUMNS, portals.map(portalRow))) print(line);
      return;
    }
    case 'create': {
      const portalId = portalIdArgument(rest[0]);
      const tier = values.tier ?? 'untiered';
      if (!isPartnerTier(tier)) throw new UsageError(`Unknown tier "${tier}". Tiers: ${PARTNER_TIERS.join(', ')}.`);
      const { created } = await ensurePortal(db, { portalId, tier, name: values.name ?? null, actor });
      return print(created ? `Created portal ${portalId} (${tier}).` : `Portal ${portalId} already exists; nothing changed.`);
    }
    case 'set-tier': {
      const portalId = portalIdArgument(rest[0]);
      const tier = rest[1];
      if (!tier || !isPartnerTier(tier)) throw new UsageError(`Unknown tier "${tier ?? ''}". Tiers: ${PARTNER_TIERS.join(', ')}.`);
      return print(formatPortal(await setPortalTier(db, { portalId, tier, actor })));
    }
    case 'set-limit': {
      const portalId = portalIdArgument(rest[0]);
      if (!rest[1] || !/^\d+$/.test(rest[1])) throw new UsageError(`A limit is a whole number of domains (got "${rest[1] ?? ''}").`);
      return print(formatPortal(await setPortalLimit(db, { portalId, limit: Number(rest[1]), actor })));
    }
    case 'clear-limit':
      return print(formatPortal(await setPortalLimit(db, { portalId: portalIdArgument(rest[0]), limit: null, actor })));
    case 'set-auto-register': {
      const portalId = portalIdArgument(rest[0]);
      if (rest[1] !== 'on' && rest[1] !== 'off') throw new UsageError(`Say on or off (got "${rest[1] ?? ''}").`);
      const portal = await updatePortalSettings(db, { portalId, settings: { autoRegisterNewContacts: rest[1] === 'on' }, actor });
      return print(`Portal ${portalId}: new contacts with a website are ${portal.autoRegisterNewContacts ? 'registered automatically' : 'not registered automatically'}.`);
    }
    case 'set-admin': {
      const portalId = portalIdArgument(rest[0]);
      const email = rest[1];
      if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`Name the admin by email (got "${email ?? ''}").`);
      const admin = await setPortalAdmin(db, { portalId, userId: null, email, actor });
      return print(`Portal ${portalId}: ${admin.email} is the admin; they choose who may deregister and change settings.`);
    }
    case 'disconnect':
      return runPortalDisconnect(deps, portalIdArgument(rest[0]), actor, print);
    default:
      throw new UsageError(`Unknown command "portals ${command}".`);
  }
}
