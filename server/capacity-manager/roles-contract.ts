// The Capacity Manager's roles API (server/portals/portal-roles-routes.ts): who is the partner's
// admin, whom the admin lets deregister and change settings, and what the signed-in user may do.
// The page imports the types only.
import { z } from 'zod';

export const roleGrantSchema = z
  .strictObject({
    userId: z.string().trim().min(1).max(200).optional(),
    email: z.email({ error: 'expected an email address' }).max(320).optional(),
  })
  .refine((grant) => grant.userId !== undefined || grant.email !== undefined, { error: 'Name the user by userId (from the users seen) or email.' });

export const roleParamsSchema = z.strictObject({ id: z.string().regex(/^\d{1,18}$/, { error: 'expected a role id' }) });

export const roleHolderSchema = z.strictObject({
  id: z.string(),
  role: z.enum(['admin', 'manager']),
  userId: z.string().nullable(),
  email: z.string().nullable(),
  grantedBy: z.string(),
  grantedAt: z.iso.datetime(),
});

export const rolesAnswerSchema = z.strictObject({
  admin: roleHolderSchema.nullable(),
  managers: z.array(roleHolderSchema),
  /** What the signed-in user may do: 'unrestricted' while the account has no admin yet. */
  you: z.strictObject({ authority: z.enum(['admin', 'manager', 'member', 'unrestricted']), mayManage: z.boolean() }),
  /** Users who have signed in to this account's Capacity Manager (for the admin only; empty for others). */
  usersSeen: z.array(z.strictObject({ userId: z.string(), email: z.string().nullable(), lastSeenAt: z.iso.datetime() })),
});

/** The problem's extension on a ROLE_REQUIRED refusal: whom to ask. */
export const roleRequiredSchema = z.object({
  code: z.literal('ROLE_REQUIRED'),
  detail: z.string(),
  whoCan: z.strictObject({ admin: z.string().nullable(), managers: z.array(z.string()) }),
});

export type RoleGrant = z.infer<typeof roleGrantSchema>;
export type RoleHolderAnswer = z.infer<typeof roleHolderSchema>;
export type RolesAnswer = z.infer<typeof rolesAnswerSchema>;
