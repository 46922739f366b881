-- CreateEnum
CREATE TYPE "deregistration_job_status" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "deregistration_channel" AS ENUM ('capacity_manager', 'api', 'operator');

-- CreateEnum
CREATE TYPE "deregistration_chunk_state" AS ENUM ('pending', 'deregistered', 'written');

-- CreateEnum
CREATE TYPE "deregistration_item_outcome" AS ENUM ('pending', 'deregistered', 'skipped');

-- CreateEnum
CREATE TYPE "contact_update_outcome" AS ENUM ('pending', 'written', 'missing', 'failed', 'not_needed');

-- CreateTable
CREATE TABLE "deregistration_jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "portal_id" BIGINT NOT NULL,
    "status" "deregistration_job_status" NOT NULL DEFAULT 'queued',
    "selection" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "chunk_size" INTEGER NOT NULL,
    "requested_by" TEXT NOT NULL,
    "channel" "deregistration_channel" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,
    "queue_job_id" TEXT NOT NULL,
    "undone_at" TIMESTAMPTZ(3),
    "undone_by" TEXT,

    CONSTRAINT "deregistration_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deregistration_job_chunks" (
    "job_id" UUID NOT NULL,
    "chunk_index" INTEGER NOT NULL,
    "state" "deregistration_chunk_state" NOT NULL DEFAULT 'pending',
    "deregistered_at" TIMESTAMPTZ(3),
    "written_at" TIMESTAMPTZ(3),

    CONSTRAINT "deregistration_job_chunks_pkey" PRIMARY KEY ("job_id","chunk_index")
);

-- CreateTable
CREATE TABLE "deregistration_job_items" (
    "job_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "registration_id" BIGINT NOT NULL,
    "domain" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "outcome" "deregistration_item_outcome" NOT NULL DEFAULT 'pending',
    "contact_update" "contact_update_outcome" NOT NULL DEFAULT 'pending',
    "contact_error" TEXT,
    "reregistered" BOOLEAN,
    "undo_note" TEXT,

    CONSTRAINT "deregistration_job_items_pkey" PRIMARY KEY ("job_id","position")
);

-- CreateIndex
CREATE INDEX "deregistration_jobs_portal_created_at_idx" ON "deregistration_jobs"("portal_id", "created_at");

-- CreateIndex
CREATE INDEX "deregistration_jobs_unfinished_idx" ON "deregistration_jobs"("updated_at") WHERE (finished_at IS NULL);

-- AddForeignKey
ALTER TABLE "deregistration_job_chunks" ADD CONSTRAINT "deregistration_job_chunks_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "deregistration_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deregistration_job_items" ADD CONSTRAINT "deregistration_job_items_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "deregistration_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
