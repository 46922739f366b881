-- CreateEnum
CREATE TYPE "backfill_status" AS ENUM ('pending', 'running', 'completed', 'failed');

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "property_changed_at" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "hubspot_installs" (
    "portal_id" BIGINT NOT NULL,
    "access_token_encrypted" TEXT NOT NULL,
    "refresh_token_encrypted" TEXT NOT NULL,
    "access_token_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "scopes" TEXT[],
    "hub_domain" TEXT,
    "installed_by" TEXT,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hubspot_installs_pkey" PRIMARY KEY ("portal_id")
);

-- CreateTable
CREATE TABLE "contact_backfills" (
    "portal_id" BIGINT NOT NULL,
    "status" "backfill_status" NOT NULL DEFAULT 'pending',
    "after" TEXT,
    "contacts_synced" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,

    CONSTRAINT "contact_backfills_pkey" PRIMARY KEY ("portal_id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" BIGSERIAL NOT NULL,
    "portal_id" BIGINT NOT NULL,
    "subscription_id" BIGINT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "subscription_type" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_write_backs" (
    "portal_id" BIGINT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "properties" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "contact_write_backs_pkey" PRIMARY KEY ("portal_id","contact_id")
);

-- CreateIndex
CREATE INDEX "webhook_events_unprocessed_idx" ON "webhook_events"("received_at") WHERE (processed_at IS NULL);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_dedupe_key" ON "webhook_events"("portal_id", "subscription_id", "event_id", "occurred_at");

-- CreateIndex
CREATE INDEX "contact_write_backs_portal_updated_at_idx" ON "contact_write_backs"("portal_id", "updated_at");

-- AddForeignKey
ALTER TABLE "hubspot_installs" ADD CONSTRAINT "hubspot_installs_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_backfills" ADD CONSTRAINT "contact_backfills_portal_id_fkey" FOREIGN KEY ("portal_id") REFERENCES "portals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
