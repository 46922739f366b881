-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "raw_hash" BYTEA,
ALTER COLUMN "portal_id" DROP NOT NULL,
ALTER COLUMN "subscription_id" DROP NOT NULL,
ALTER COLUMN "event_id" DROP NOT NULL,
ALTER COLUMN "occurred_at" DROP NOT NULL,
ALTER COLUMN "subscription_type" DROP NOT NULL,
ALTER COLUMN "object_id" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_raw_hash_key" ON "webhook_events"("raw_hash") WHERE (raw_hash IS NOT NULL);
