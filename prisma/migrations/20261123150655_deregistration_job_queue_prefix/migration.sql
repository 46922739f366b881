-- AlterTable
ALTER TABLE "deregistration_jobs" ADD COLUMN     "queue_prefix" TEXT;
