-- CreateEnum
CREATE TYPE "partner_tier" AS ENUM ('untiered', 'silver', 'gold', 'platinum', 'diamond');

-- CreateEnum
CREATE TYPE "install_state" AS ENUM ('installed', 'disconnected');

-- CreateEnum
CREATE TYPE "registration_status" AS ENUM ('active', 'deregistered');

-- CreateEnum
CREATE TYPE "registration_channel" AS ENUM ('card', 'automatic', 'operator');

-- CreateEnum
CREATE TYPE "audit_action" AS ENUM ('registration_created', 'registration_refused', 'registration_deregistered', 'portal_created', 'portal_tier_changed', 'portal_limit_changed', 'portal_settings_changed');

-- CreateTable
CREATE TABLE "portals" (
    "id" BIGINT NOT NULL,
    "name" TEXT,
    "tier" "partner_tier" NOT NULL DEFAULT 'untiered',
    "limit_override" INTEGER,
    "auto_register_new_contacts" BOOLEAN NOT NULL DEFAULT false,
    "install_state" "install_state" NOT NULL DEFAULT 'installed',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "portal_id" BIGINT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "company" TEXT,
    "website" TEXT,
    "country" TEXT,
    "register_as_partner_lead" BOOLEAN NOT NULL DEFAULT false,
    "source_updated_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "merged_into_contact_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("portal_id","contact_id")
);

-- CreateTable
CREATE TABLE "registrations" (
    "id" BIGSERIAL NOT NULL,
    "portal_id" BIGINT NOT NULL,
    "domain" TEXT NOT NULL,
    "status" "registration_status" NOT NULL DEFAULT 'active',
    "website" TEXT NOT NULL,
    "company_name" TEXT,
    "contact_name" TEXT,
    "country" TEXT,
    "contact_id" TEXT NOT NULL,
    "search_text" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registered_by" TEXT NOT NULL,
    "channel" "registration_channel" NOT NULL,
    "deregistered_at" TIMESTAMPTZ(3),
    "deregistered_by" TEXT,
    "deregistration_job_id" UUID,

    CONSTRAINT "registrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "portal_id" BIGINT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "audit_action" NOT NULL,
    "actor" TEXT NOT NULL,
    "channel" "registration_channel",
    "registration_id" BIGINT,
    "domain" TEXT,
    "contact_id" TEXT,
    "job_id" UUID,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "registrations_portal_status_registered_at_idx" ON "registrations"("portal_id", "status", "registered_at");

-- CreateIndex
CREATE INDEX "registrations_portal_contact_idx" ON "registrations"("portal_id", "contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "registrations_active_domain_key" ON "registrations"("portal_id", "domain") WHERE (status = 'active');

-- CreateIndex
CREATE INDEX "audit_events_portal_occurred_at_idx" ON "audit_events"("portal_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_registration_idx" ON "audit_events"("registration_id");

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
