-- CreateEnum
CREATE TYPE "claim_mode" AS ENUM ('exclusive', 'shared');

-- CreateEnum
CREATE TYPE "waitlist_status" AS ENUM ('waiting', 'assigned', 'left');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "audit_action" ADD VALUE 'registration_renewed';
ALTER TYPE "audit_action" ADD VALUE 'waitlist_joined';
ALTER TYPE "audit_action" ADD VALUE 'waitlist_left';
ALTER TYPE "audit_action" ADD VALUE 'waitlist_assigned';
ALTER TYPE "audit_action" ADD VALUE 'waitlist_skipped';
ALTER TYPE "audit_action" ADD VALUE 'expiry_reminder_sent';
ALTER TYPE "audit_action" ADD VALUE 'conflict_resolved';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "deregistration_channel" ADD VALUE 'expiry';
ALTER TYPE "deregistration_channel" ADD VALUE 'conflict_resolution';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "program_audit_action" ADD VALUE 'program_settings_changed';
ALTER TYPE "program_audit_action" ADD VALUE 'conflict_resolved';

-- AlterEnum
ALTER TYPE "registration_channel" ADD VALUE 'waitlist';

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3),
ADD COLUMN     "lead_status" TEXT,
ADD COLUMN     "lifecycle_stage" TEXT;

-- AlterTable
ALTER TABLE "registrations" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "renewals" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "renewed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "program_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "claim_mode" "claim_mode" NOT NULL DEFAULT 'exclusive',
    "claim_period_days" INTEGER,
    "claim_period_days_by_tier" JSONB NOT NULL DEFAULT '{}',
    "reminder_days" INTEGER[] DEFAULT ARRAY[14, 3]::INTEGER[],
    "renewals_allowed" INTEGER NOT NULL DEFAULT 2,
    "inactivity_days" INTEGER NOT NULL DEFAULT 90,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "program_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waitlist_entries" (
    "id" BIGSERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "portal_id" BIGINT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "joined_by" TEXT NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "waitlist_status" NOT NULL DEFAULT 'waiting',
    "skip_count" INTEGER NOT NULL DEFAULT 0,
    "skipped_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "registration_id" BIGINT,
    "queue_prefix" TEXT NOT NULL DEFAULT 'pc',

    CONSTRAINT "waitlist_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expiry_reminders" (
    "registration_id" BIGINT NOT NULL,
    "days_before" INTEGER NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "task_id" TEXT,
    "detail" TEXT,

    CONSTRAINT "expiry_reminders_pkey" PRIMARY KEY ("registration_id","days_before")
);

-- CreateIndex
CREATE INDEX "waitlist_entries_queue_idx" ON "waitlist_entries"("domain", "joined_at", "id") WHERE (status = 'waiting');

-- CreateIndex
CREATE INDEX "waitlist_entries_portal_idx" ON "waitlist_entries"("portal_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "waitlist_entries_waiting_key" ON "waitlist_entries"("domain", "portal_id") WHERE (status = 'waiting');

-- CreateIndex
CREATE INDEX "registrations_active_domain_holder_idx" ON "registrations"("domain", "portal_id") WHERE (status = 'active');

-- CreateIndex
CREATE INDEX "registrations_expiry_idx" ON "registrations"("expires_at", "portal_id") WHERE (status = 'active' AND expires_at IS NOT NULL);

-- The program's one settings row, with the defaults above (exclusive claims, no claim period).
INSERT INTO "program_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
