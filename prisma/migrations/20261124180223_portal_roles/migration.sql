-- CreateEnum
CREATE TYPE "portal_role" AS ENUM ('admin', 'manager');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "audit_action" ADD VALUE 'portal_admin_set';
ALTER TYPE "audit_action" ADD VALUE 'portal_role_granted';
ALTER TYPE "audit_action" ADD VALUE 'portal_role_revoked';

-- CreateTable
CREATE TABLE "portal_user_roles" (
    "id" BIGSERIAL NOT NULL,
    "portal_id" BIGINT NOT NULL,
    "role" "portal_role" NOT NULL,
    "user_id" TEXT,
    "email" TEXT,
    "granted_by" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_user_roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portal_users" (
    "portal_id" BIGINT NOT NULL,
    "user_id" TEXT NOT NULL,
    "email" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_users_pkey" PRIMARY KEY ("portal_id","user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "portal_user_roles_user_key" ON "portal_user_roles"("portal_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "portal_user_roles_email_key" ON "portal_user_roles"("portal_id", "email");

-- CreateIndex
CREATE UNIQUE INDEX "portal_user_roles_one_admin_key" ON "portal_user_roles"("portal_id") WHERE (role = 'admin');

-- AddForeignKey
ALTER TABLE "portal_user_roles" ADD CONSTRAINT "portal_user_roles_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portal_users" ADD CONSTRAINT "portal_users_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: a role names someone (Prisma does not model CHECK constraints, so later diffs leave it be).
ALTER TABLE "portal_user_roles" ADD CONSTRAINT "portal_user_roles_names_someone" CHECK ("user_id" IS NOT NULL OR "email" IS NOT NULL);
