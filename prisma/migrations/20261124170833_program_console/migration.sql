-- AlterEnum
ALTER TYPE "audit_action" ADD VALUE 'deregistration_job_retried';

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"("occurred_at", "id");

-- CreateIndex
CREATE INDEX "webhook_events_portal_received_at_idx" ON "webhook_events"("portal_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_events_failed_idx" ON "webhook_events"("received_at") WHERE (outcome ~~ 'failed:%'::text);
