-- portal_user_roles named its holder by user id or email through a CHECK constraint, which
-- prisma/schema.prisma cannot declare: the schema and the migrations would disagree (the drift
-- test in prisma/schema-matches-migrations.test.ts). The rule stays where every write goes
-- through it, in server/portals/portal-roles.ts (ADMIN_UNNAMED and the grant's validation).
ALTER TABLE "portal_user_roles" DROP CONSTRAINT IF EXISTS "portal_user_roles_names_someone";
