-- AlterTable
ALTER TABLE "contact_write_backs" ADD COLUMN     "not_in_hubspot_at" TIMESTAMPTZ(3);
