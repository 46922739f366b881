-- AlterTable
ALTER TABLE "contact_backfills" ADD COLUMN     "queue_prefix" TEXT NOT NULL DEFAULT 'pc';

-- AlterTable
ALTER TABLE "contact_write_backs" ADD COLUMN     "queue_prefix" TEXT NOT NULL DEFAULT 'pc';

-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "queue_prefix" TEXT NOT NULL DEFAULT 'pc';
