// The partner program's settings (domain/claims.ts): read them, preview a change, change them.
//
// One row per deployment. A change is validated as a whole, audited with before → after in the
// program's audit log, and applied in the same transaction: a new claim period gives every
// active claim its new expiry at once (never sooner than 14 days after the change — see
// expiryAfterPeriodChange, which this SQL mirrors), so what the Capacity Manager shows is always
// what the expiry job will do.
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { claimPeriodFor, DEFAULT_PROGRAM_SETTINGS, PERIOD_CHANGE_GRACE_DAYS, settingsProblems, type ProgramSettings } from '../domain/claims.js';
import { PARTNER_TIERS } from '../domain/capacity.js';
import { AppError } from '../errors/app-error.js';

type SettingsRow = {
  claimMode: ProgramSettings['claimMode'];
  claimPeriodDays: number | null;
  claimPeriodDaysByTier: unknown;
  reminderDays: number[];
  renewalsAllowed: number;
  inactivityDays: number;
};

function settingsOf(row: SettingsRow | null): ProgramSettings {
  if (!row) return DEFAULT_PROGRAM_SETTINGS;
  return {
    claimMode: row.claimMode,
    claimPeriodDays: row.claimPeriodDays,
    claimPeriodDaysByTier: (row.claimPeriodDaysByTier ?? {}) as ProgramSettings['claimPeriodDaysByTier'],
    reminderDays: [...row.reminderDays].sort((a, b) => b - a),
    renewalsAllowed: row.renewalsAllowed,
    inactivityDays: row.inactivityDays,
  };
}

export async function getProgramSettings(db: Pick<Database, 'programSettings'>): Promise<ProgramSettings> {
  return settingsOf(await db.programSettings.findUnique({ where: { id: 1 } }));
}

export interface SettingsChangePreview {
  settings: ProgramSettings;
  /** Active claims that get an expiry date, a different one, or lose theirs. */
  claimsGettingExpiry: number;
  claimsChangingExpiry: number;
  claimsLosingExpiry: number;
  /** The earliest new expiry among them (never sooner than 14 days away, unless already due sooner). */
  earliestNewExpiry: string | null;
  /** Domains held by more than one partner: exclusive mode refuses them until the operator resolves them. */
  conflicts: number;
}

/** Merges `changes` into the current settings and refuses an invalid result, saying what to fix. */
function proposed(current: ProgramSettings, changes: Partial<ProgramSettings>): ProgramSettings {
  const next = { ...current, ...changes, reminderDays: [...(changes.reminderDays ?? current.reminderDays)].sort((a, b) => b - a) };
  const problems = settingsProblems(next);
  if (problems.length > 0) throw new AppError({ kind: 'invalid', code: 'INVALID_PROGRAM_SETTINGS', message: problems.join(' ') });
  return next;
}

/** The new expiry of each active claim under `settings`, as SQL over `registrations r JOIN portals p`. */
function newExpirySql(settings: ProgramSettings): Prisma.Sql {
  const period = Prisma.sql`(CASE p.tier::text ${Prisma.join(
    PARTNER_TIERS.map((tier) => Prisma.sql`WHEN ${tier} THEN ${claimPeriodFor(settings, tier)}::int`),
    ' ',
  )} END)`;
  const start = Prisma.sql`coalesce(r.renewed_at, r.registered_at)`;
  const grace = Prisma.sql`(now() + make_interval(days => ${PERIOD_CHANGE_GRACE_DAYS}))`;
  const floor = Prisma.sql`(CASE WHEN r.expires_at IS NOT NULL AND r.expires_at < ${grace} THEN r.expires_at ELSE ${grace} END)`;
  return Prisma.sql`(CASE WHEN ${period} IS NULL THEN NULL ELSE greatest(${start} + make_interval(days => ${period}), ${floor}) END)`;
}

async function previewOf(tx: Prisma.TransactionClient, settings: ProgramSettings): Promise<SettingsChangePreview> {
  const expiry = newExpirySql(settings);
  const [counts] = await tx.$queryRaw<Array<{ getting: number; changing: number; losing: number; earliest: Date | null; conflicts: number }>>`
    SELECT count(*) FILTER (WHERE r.expires_at IS NULL AND next IS NOT NULL)::int AS getting,
           count(*) FILTER (WHERE r.expires_at IS NOT NULL AND next IS NOT NULL AND next <> r.expires_at)::int AS changing,
           count(*) FILTER (WHERE r.expires_at IS NOT NULL AND next IS NULL)::int AS losing,
           min(next) FILTER (WHERE next IS DISTINCT FROM r.expires_at) AS earliest,
           (SELECT count(*)::int FROM (SELECT domain FROM registrations WHERE status = 'active' GROUP BY domain HAVING count(*) > 1) AS held) AS conflicts
    FROM registrations r JOIN portals p ON p.id = r.portal_id, LATERAL (SELECT ${expiry} AS next) AS computed
    WHERE r.status = 'active'`;
  return {
    settings,
    claimsGettingExpiry: counts!.getting,
    claimsChangingExpiry: counts!.changing,
    claimsLosingExpiry: counts!.losing,
    earliestNewExpiry: counts!.earliest?.toISOString() ?? null,
    conflicts: counts!.conflicts,
  };
}

/** What a change would do, without doing it. */
export async function previewProgramSettings(db: Database, changes: Partial<ProgramSettings>): Promise<SettingsChangePreview> {
  return db.$transaction(async (tx) => previewOf(tx, proposed(settingsOf(await tx.programSettings.findUnique({ where: { id: 1 } })), changes)));
}

/** Changes the settings; audited with before → after and what the change did to claims. */
export async function updateProgramSettings(db: Database, { changes, actor }: { changes: Partial<ProgramSettings>; actor: string }): Promise<SettingsChangePreview> {
  return db.$transaction(async (tx) => {
    // The row is locked for the change: two operators changing settings at once apply one after the other.
    const [row] = await tx.$queryRaw<SettingsRow[]>`
      SELECT claim_mode::text AS "claimMode", claim_period_days AS "claimPeriodDays", claim_period_days_by_tier AS "claimPeriodDaysByTier",
             reminder_days AS "reminderDays", renewals_allowed AS "renewalsAllowed", inactivity_days AS "inactivityDays"
      FROM program_settings WHERE id = 1 FOR UPDATE`;
    const before = settingsOf(row ?? null);
    const after = proposed(before, changes);
    const preview = await previewOf(tx, after);
    await tx.programSettings.upsert({
      where: { id: 1 },
      create: { id: 1, ...after, updatedBy: actor },
      update: { ...after, updatedAt: new Date(), updatedBy: actor },
    });
    const periodChanged = JSON.stringify([before.claimPeriodDays, before.claimPeriodDaysByTier]) !== JSON.stringify([after.claimPeriodDays, after.claimPeriodDaysByTier]);
    if (periodChanged) {
      await tx.$executeRaw`
        UPDATE registrations r SET expires_at = ${newExpirySql(after)}
        FROM portals p WHERE p.id = r.portal_id AND r.status = 'active' AND r.expires_at IS DISTINCT FROM ${newExpirySql(after)}`;
    }
    const { settings: _settings, ...effects } = preview;
    await tx.programAuditEvent.create({
      data: { action: 'program_settings_changed', actor, details: { before, after, ...effects } as unknown as Prisma.InputJsonValue },
    });
    return preview;
  });
}
