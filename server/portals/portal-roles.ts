// Roles inside a partner. Everyone in a portal may view its Capacity Manager, register from the
// card and export; deregistering (and undoing it) and changing settings is for the partner's
// admin and the managers the admin chooses.
//
// The admin is the HubSpot user who installed the app (complete-install.ts names them when the
// install creates the portal), or whom the operator names (`npm run admin -- portals set-admin`).
// Portals installed before roles existed have no admin: nobody is made admin by signing in or
// opening Settings (that would hand the partner to whoever came first), and until the operator
// names one every user keeps the rights they had before. The installer's email of those installs
// is not trustworthy enough to promote: every HubSpot sign-in rewrote it.
//
// Roles are read from PostgreSQL on every request that needs them (no cache): several server
// processes answer the same portal, and a revoke must hold at once everywhere.
import type { Database } from '../db/client.js';
import type { PortalRole } from '../db/generated/client.js';
import { AppError } from '../errors/app-error.js';

export interface RoleHolder {
  id: string;
  role: PortalRole;
  userId: string | null;
  email: string | null;
  grantedBy: string;
  grantedAt: string;
}

export interface PortalRoles {
  admin: RoleHolder | null;
  managers: RoleHolder[];
}

export interface PortalUserIdentity {
  userId: string;
  userEmail: string | null;
}

/** What a user may do beyond viewing, registering and exporting. */
export type Authority = 'admin' | 'manager' | 'member' | 'unrestricted';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function holds(holder: RoleHolder, user: PortalUserIdentity): boolean {
  if (holder.userId !== null && holder.userId === user.userId) return true;
  return holder.email !== null && user.userEmail !== null && holder.email === normalizeEmail(user.userEmail);
}

/** The user's authority in a portal with these roles; 'unrestricted' while it has no admin. */
export function authorityOf(roles: PortalRoles, user: PortalUserIdentity): Authority {
  if (!roles.admin) return 'unrestricted';
  if (holds(roles.admin, user)) return 'admin';
  return roles.managers.some((manager) => holds(manager, user)) ? 'manager' : 'member';
}

export function mayManage(authority: Authority): boolean {
  return authority !== 'member';
}

function nameOf(holder: RoleHolder): string {
  return holder.email ?? `HubSpot user ${holder.userId}`;
}

/** "ask ann@x.example or one of bo@x.example, cy@x.example": who to turn to, for refusals. */
export function whoCanManage(roles: PortalRoles): string {
  if (!roles.admin) return 'ask the partner program’s operator to name an admin for this HubSpot account';
  const others = roles.managers.map(nameOf);
  if (others.length === 0) return `ask ${nameOf(roles.admin)}`;
  if (others.length === 1) return `ask ${nameOf(roles.admin)} or ${others[0]}`;
  return `ask ${nameOf(roles.admin)} or one of ${others.join(', ')}`;
}

/** The portal's admin and managers, managers in the order they were granted. */
export async function findPortalRoles(db: Database, portalId: number): Promise<PortalRoles> {
  const rows = await db.portalUserRole.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
  const holders = rows.map(
    (row): RoleHolder => ({ id: String(row.id), role: row.role, userId: row.userId, email: row.email, grantedBy: row.grantedBy, grantedAt: row.grantedAt.toISOString() }),
  );
  return { admin: holders.find((holder) => holder.role === 'admin') ?? null, managers: holders.filter((holder) => holder.role === 'manager') };
}

function roleConflict(message: string): AppError {
  return new AppError({ kind: 'conflict', code: 'ROLE_CONFLICT', message: message });
}

/**
 * Names the portal's admin (replacing any other), audited. A manager row of the same person
 * becomes the admin row. Used at install and by the operator's CLI.
 */
export async function setPortalAdmin(db: Database, input: { portalId: number; userId: string | null; email: string | null; actor: string }): Promise<RoleHolder> {
  const portalId = BigInt(input.portalId);
  const email = input.email ? normalizeEmail(input.email) : null;
  if (!input.userId && !email) throw new AppError({ kind: 'invalid', code: 'ADMIN_UNNAMED', message: 'Name the admin by HubSpot user id or email.' });
  return db.$transaction(async (tx) => {
    // The portal row lock serialises role changes of one portal.
    const found = await tx.$queryRaw<Array<{ id: bigint }>>`SELECT id FROM portals WHERE id = ${portalId} FOR UPDATE`;
    if (found.length === 0)
      throw new AppError({ kind: 'not_found', code: 'PORTAL_NOT_FOUND', message: `Portal ${input.portalId} is not known. Check the id with: npm run admin -- portals list` });
    const before = await tx.portalUserRole.findFirst({ where: { portalId, role: 'admin' } });
    const same = [...(input.userId ? [{ userId: input.userId }] : []), ...(email ? [{ email }] : [])];
    await tx.portalUserRole.deleteMany({ where: { portalId, OR: [{ role: 'admin' }, ...same] } });
    const row = await tx.portalUserRole.create({ data: { portalId, role: 'admin', userId: input.userId, email, grantedBy: input.actor } });
    await tx.auditEvent.create({
      data: {
        portalId,
        action: 'portal_admin_set',
        actor: input.actor,
        details: { before: before ? { userId: before.userId, email: before.email } : null, after: { userId: row.userId, email: row.email } },
      },
    });
    return { id: String(row.id), role: row.role, userId: row.userId, email: row.email, grantedBy: row.grantedBy, grantedAt: row.grantedAt.toISOString() };
  });
}

/** Lets a user deregister and change settings, audited. Named by user id (from the users seen), email, or both. */
export async function grantManager(db: Database, input: { portalId: number; userId: string | null; email: string | null; actor: string }): Promise<RoleHolder> {
  const portalId = BigInt(input.portalId);
  let email = input.email ? normalizeEmail(input.email) : null;
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM portals WHERE id = ${portalId} FOR UPDATE`;
    if (input.userId && !email) {
      const seen = await tx.portalUser.findUnique({ where: { portalId_userId: { portalId, userId: input.userId } } });
      if (!seen)
        throw new AppError({
          kind: 'not_found',
          code: 'USER_NOT_SEEN',
          message: `HubSpot user ${input.userId} has not signed in to this Capacity Manager. Name them by email instead.`,
        });
      email = seen.email ? normalizeEmail(seen.email) : null;
    }
    if (!input.userId && !email) throw new AppError({ kind: 'invalid', code: 'USER_UNNAMED', message: 'Name the user by HubSpot user id or email.' });
    const existing = await tx.portalUserRole.findFirst({
      where: { portalId, OR: [...(input.userId ? [{ userId: input.userId }] : []), ...(email ? [{ email }] : [])] },
    });
    if (existing?.role === 'admin') throw roleConflict(`${existing.email ?? existing.userId} is this account’s admin and may already do everything.`);
    if (existing) throw roleConflict(`${existing.email ?? existing.userId} may already deregister and change settings.`);
    const row = await tx.portalUserRole.create({ data: { portalId, role: 'manager', userId: input.userId, email, grantedBy: input.actor } });
    await tx.auditEvent.create({
      data: { portalId, action: 'portal_role_granted', actor: input.actor, details: { role: 'manager', userId: row.userId, email: row.email } },
    });
    return { id: String(row.id), role: row.role, userId: row.userId, email: row.email, grantedBy: row.grantedBy, grantedAt: row.grantedAt.toISOString() };
  });
}

/** Takes a manager's rights back, audited. The admin cannot be revoked here (the operator names another). */
export async function revokeManager(db: Database, input: { portalId: number; roleId: string; actor: string }): Promise<void> {
  const portalId = BigInt(input.portalId);
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM portals WHERE id = ${portalId} FOR UPDATE`;
    const row = await tx.portalUserRole.findFirst({ where: { portalId, id: BigInt(input.roleId), role: 'manager' } });
    if (!row)
      throw new AppError({
        kind: 'not_found',
        code: 'ROLE_NOT_FOUND',
        message: `No manager ${input.roleId} in this HubSpot account. Reload Settings to see who holds a role now.`,
      });
    await tx.portalUserRole.delete({ where: { id: row.id } });
    await tx.auditEvent.create({
      data: { portalId, action: 'portal_role_revoked', actor: input.actor, details: { role: 'manager', userId: row.userId, email: row.email } },
    });
  });
}

/** Remembers who signed in to a portal, so the admin can pick managers from a list. */
export async function recordPortalUser(db: Database, input: PortalUserIdentity & { portalId: number }): Promise<void> {
  const portalId = BigInt(input.portalId);
  const now = new Date();
  await db.portalUser.upsert({
    where: { portalId_userId: { portalId, userId: input.userId } },
    create: { portalId, userId: input.userId, email: input.userEmail, firstSeenAt: now, lastSeenAt: now },
    update: { email: input.userEmail, lastSeenAt: now },
  });
}

/** The users seen in a portal, most recent first. */
export async function listPortalUsers(db: Database, portalId: number): Promise<Array<{ userId: string; email: string | null; lastSeenAt: string }>> {
  const rows = await db.portalUser.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { lastSeenAt: 'desc' }, take: 200 });
  return rows.map((row) => ({ userId: row.userId, email: row.email, lastSeenAt: row.lastSeenAt.toISOString() }));
}
